-- The product every customs row is counted under, at the level chosen by var product_level
-- (a129 default, a38 or cpf4). One row per source_code: the customs code the product is read
-- from (the row's A129 code for a129 and a38, its CPF4 code for cpf4). Labels: DGDDI product
-- labels for a129 and cpf4 (French, as published, current version), INSEE labels for a38.
with

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

current_a129 as (

    select
        a129_code,
        a129_label
    from a129_versions
    where version_rank = 1

),

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

current_cpf4 as (

    select
        cpf4_code,
        cpf4_label
    from cpf4_versions
    where version_rank = 1

),

a129_to_a38 as (

    select distinct
        a129_code,
        a38_code,
        a38_label
    from {{ ref('stg_reference__product_hierarchy') }}

),

all_levels as (

    select
        'a129' as product_level,
        a129_code as source_code,
        a129_code as product_code,
        a129_label as product_label
    from current_a129

    union all

    select
        'a38' as product_level,
        current_a129.a129_code as source_code,
        a129_to_a38.a38_code as product_code,
        a129_to_a38.a38_label as product_label
    from current_a129
    inner join a129_to_a38
        on current_a129.a129_code = a129_to_a38.a129_code

    union all

    select
        'cpf4' as product_level,
        cpf4_code as source_code,
        cpf4_code as product_code,
        cpf4_label as product_label
    from current_cpf4

)

select
    source_code,
    product_code,
    product_label
from all_levels
where product_level = '{{ product_level() }}'
