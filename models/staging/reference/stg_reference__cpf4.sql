with source as (
    select * from {{ ref('dgddi_cpf4') }}
),

renamed as (
    select
        cpf4_code,
        cpf4_label,
        {{ yyyymm_to_date('valid_from') }} as valid_from,
        {{ yyyymm_to_date('valid_to', end_of_month=true) }} as valid_to
    from source
)

select * from renamed
