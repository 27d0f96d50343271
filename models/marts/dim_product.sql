-- Every CPF rév. 2.1 level-4 product (DGDDI's label list, INSEE's NA 2008 mapping, and the
-- codes the current data carries that no list knows) with its NA 2008 aggregated levels.
-- A129 labels are DGDDI product labels where DGDDI publishes them (goods), else INSEE activity
-- labels; higher levels carry INSEE labels. DGDDI labels come from the newest list shipped
-- with the data, else the bundled seed (label_source). The five DGDDI CPF4 positions without
-- an INSEE NAF class have null levels: customs rows carry their A129 code
-- (fct_trade_flows.a129_code); an unknown code carries the A129 its rows carry.
-- Grain: cpf4_code.
with

dgddi_cpf4 as (

    select
        code as cpf4_code,
        label as cpf4_label,
        label_source
    from {{ ref('int_labels__current') }}
    where code_kind = 'cpf4'

),

dgddi_a129 as (

    select
        code as a129_code,
        label as a129_label
    from {{ ref('int_labels__current') }}
    where code_kind = 'a129'

),

unknown as (

    select
        code as cpf4_code,
        parent_code as a129_code,
        row_number() over (partition by code order by value_eur desc, parent_code asc) as a129_rank
    from {{ ref('int_codes__in_current_data') }}
    where code_kind = 'cpf4' and not is_known

),

hierarchy as (

    select
        cpf4_code,
        a129_code,
        a129_label,
        a88_code,
        a88_label,
        a64_code,
        a64_label,
        a38_code,
        a38_label,
        a17_code,
        a17_label,
        a21_code,
        a21_label,
        a10_code,
        a10_label
    from {{ ref('stg_reference__product_hierarchy') }}

),

codes as (

    select cpf4_code from dgddi_cpf4
    union
    select cpf4_code from hierarchy
    union
    select cpf4_code from unknown

)

select
    cast(codes.cpf4_code as {{ dbt.type_string() }}) as cpf4_code,
    cast(
        coalesce(
            dgddi_cpf4.cpf4_label,
            case when unknown.cpf4_code is not null then {{ unknown_label('codes.cpf4_code') }} end
        )
        as {{ dbt.type_string() }}
    ) as cpf4_label,
    cast(coalesce(hierarchy.a129_code, unknown.a129_code) as {{ dbt.type_string() }}) as a129_code,
    cast(coalesce(dgddi_a129.a129_label, hierarchy.a129_label) as {{ dbt.type_string() }}) as a129_label,
    cast(hierarchy.a88_code as {{ dbt.type_string() }}) as a88_code,
    cast(hierarchy.a88_label as {{ dbt.type_string() }}) as a88_label,
    cast(hierarchy.a64_code as {{ dbt.type_string() }}) as a64_code,
    cast(hierarchy.a64_label as {{ dbt.type_string() }}) as a64_label,
    cast(hierarchy.a38_code as {{ dbt.type_string() }}) as a38_code,
    cast(hierarchy.a38_label as {{ dbt.type_string() }}) as a38_label,
    cast(hierarchy.a17_code as {{ dbt.type_string() }}) as a17_code,
    cast(hierarchy.a17_label as {{ dbt.type_string() }}) as a17_label,
    cast(hierarchy.a21_code as {{ dbt.type_string() }}) as a21_code,
    cast(hierarchy.a21_label as {{ dbt.type_string() }}) as a21_label,
    cast(hierarchy.a10_code as {{ dbt.type_string() }}) as a10_code,
    cast(hierarchy.a10_label as {{ dbt.type_string() }}) as a10_label,
    cast(dgddi_cpf4.cpf4_code is not null as boolean) as is_dgddi_product,
    cast(
        coalesce(
            dgddi_cpf4.label_source,
            case when unknown.cpf4_code is not null then 'unknown' else 'INSEE' end
        )
        as {{ dbt.type_string() }}
    ) as label_source
from codes
left join dgddi_cpf4
    on codes.cpf4_code = dgddi_cpf4.cpf4_code
left join hierarchy
    on codes.cpf4_code = hierarchy.cpf4_code
left join unknown
    on codes.cpf4_code = unknown.cpf4_code and unknown.a129_rank = 1
left join dgddi_a129
    on coalesce(hierarchy.a129_code, unknown.a129_code) = dgddi_a129.a129_code
