with source as (
    select * from {{ ref('insee_na2008_labels') }}
),

renamed as (
    select
        level,
        code,
        label
    from source
)

select * from renamed
