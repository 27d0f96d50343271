with source as (
    select * from {{ ref('dgddi_a129') }}
),

renamed as (
    select
        a129_code,
        a129_label,
        {{ yyyymm_to_date('valid_from') }} as valid_from,
        {{ yyyymm_to_date('valid_to', end_of_month=true) }} as valid_to
    from source
)

select * from renamed
