with

source as (

    select * from {{ source('raw', 'vintages') }}

),

renamed as (

    select
        vintage_id,
        file_name,
        member_name,
        packaging,
        sha256,
        size_bytes,
        encoding,
        line_count,
        row_count,
        rejected_count,
        publication_order,
        ingested_at
    from source

)

select * from renamed
