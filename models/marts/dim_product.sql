-- Every CPF rév. 2.1 level-4 product (DGDDI label file and INSEE NA 2008 mapping) with its
-- NA 2008 aggregated levels. A129 labels are DGDDI product labels where DGDDI publishes them
-- (goods), else INSEE activity labels; higher levels carry INSEE labels. The five DGDDI CPF4
-- positions without an INSEE NAF class have null levels: customs rows carry their A129 code
-- (fct_trade_flows.a129_code). Grain: cpf4_code.
with

cpf4_versions as (

    select
        cpf4_code,
        cpf4_label,
        row_number() over (
            partition by cpf4_code
            order by valid_to desc, valid_from desc
        ) as version_rank
    from {{ ref('stg_reference__cpf4') }}

),

dgddi_cpf4 as (

    select
        cpf4_code,
        cpf4_label
    from cpf4_versions
    where version_rank = 1

),

a129_versions as (

    select
        a129_code,
        a129_label,
        row_number() over (
            partition by a129_code
            order by valid_to desc, valid_from desc
        ) as version_rank
    from {{ ref('stg_reference__a129') }}

),

dgddi_a129 as (

    select
        a129_code,
        a129_label
    from a129_versions
    where version_rank = 1

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

)

select
    cast(codes.cpf4_code as {{ dbt.type_string() }}) as cpf4_code,
    cast(dgddi_cpf4.cpf4_label as {{ dbt.type_string() }}) as cpf4_label,
    cast(hierarchy.a129_code as {{ dbt.type_string() }}) as a129_code,
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
    cast(dgddi_cpf4.cpf4_code is not null as boolean) as is_dgddi_product
from codes
left join dgddi_cpf4
    on codes.cpf4_code = dgddi_cpf4.cpf4_code
left join hierarchy
    on codes.cpf4_code = hierarchy.cpf4_code
left join dgddi_a129
    on hierarchy.a129_code = dgddi_a129.a129_code
