with source as (
    select * from {{ ref('insee_cpf4_na2008') }}
),

hierarchy as (
    select * from {{ ref('insee_a129_hierarchy') }}
),

renamed as (
    select
        source.cpf4_code,
        source.a129_code,
        hierarchy.a129_label,
        source.a88_code,
        hierarchy.a88_label,
        source.a64_code,
        hierarchy.a64_label,
        source.a38_code,
        hierarchy.a38_label,
        source.a17_code,
        hierarchy.a17_label,
        source.a21_code,
        hierarchy.a21_label,
        source.a10_code,
        hierarchy.a10_label
    from source
    left join hierarchy
        on source.a129_code = hierarchy.a129_code
)

select * from renamed
