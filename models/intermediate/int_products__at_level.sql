-- The product every customs row is counted under, at the level chosen by var product_level
-- (a129 default, a38 or cpf4). One row per source_code: the customs code the product is read
-- from (the row's A129 code for a129 and a38, its CPF4 code for cpf4). Labels: the current
-- DGDDI label (shipped lists over seeds) for a129 and cpf4, INSEE labels for a38. A code no
-- list knows is its own product, labelled `Code inconnu (…)`; at a38, an A129 code INSEE
-- does not map stays an A129 product: no row loses its product.
with

current_labels as (

    select
        code_kind,
        code,
        label
    from {{ ref('int_labels__current') }}
    where code_kind in ('a129', 'cpf4')

),

a129_to_a38 as (

    select distinct
        a129_code,
        a38_code,
        a38_label
    from {{ ref('stg_reference__product_hierarchy') }}

),

unknown as (

    select distinct
        code_kind,
        code
    from {{ ref('int_codes__in_current_data') }}
    where code_kind in ('a129', 'cpf4') and not is_known

),

all_levels as (

    select
        'a129' as product_level,
        code as source_code,
        code as product_code,
        label as product_label
    from current_labels
    where code_kind = 'a129'

    union all

    select
        'a38' as product_level,
        current_labels.code as source_code,
        coalesce(a129_to_a38.a38_code, current_labels.code) as product_code,
        coalesce(a129_to_a38.a38_label, current_labels.label) as product_label
    from current_labels
    left join a129_to_a38
        on current_labels.code = a129_to_a38.a129_code
    where current_labels.code_kind = 'a129'

    union all

    select
        'cpf4' as product_level,
        code as source_code,
        code as product_code,
        label as product_label
    from current_labels
    where code_kind = 'cpf4'

    union all

    select
        case code_kind when 'a129' then '{{ product_level() }}' else 'cpf4' end as product_level,
        code as source_code,
        code as product_code,
        {{ unknown_label('code') }} as product_label
    from unknown
    where code_kind = '{{ "cpf4" if product_level() == "cpf4" else "a129" }}'

)

select
    source_code,
    product_code,
    product_label
from all_levels
where product_level = '{{ product_level() }}'
