with

source as (

    select * from {{ source('raw', 'rejected_rows') }}

),

renamed as (

    select
        vintage_id,
        file_name,
        line_number,
        reason,
        raw_line
    from source

)

select * from renamed
