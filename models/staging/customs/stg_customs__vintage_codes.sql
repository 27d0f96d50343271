with

source as (

    select * from {{ source('raw', 'vintage_codes') }}

),

renamed as (

    select
        vintage_id,
        case kind when 'pays' then 'country' else kind end as code_kind,
        code,
        parent_code,
        row_count,
        cast(value_eur as bigint) as value_eur
    from source

)

select * from renamed
