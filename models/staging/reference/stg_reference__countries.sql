with source as (
    select * from {{ ref('dgddi_countries') }}
),

country_groups as (
    select * from {{ ref('country_groups') }}
),

renamed as (
    select
        source.country_code,
        source.country_label,
        {{ yyyymm_to_date('source.valid_from') }} as valid_from,
        {{ yyyymm_to_date('source.valid_to', end_of_month=true) }} as valid_to,
        country_groups.is_eu27,
        country_groups.zone,
        country_groups.is_geographic
    from source
    left join country_groups
        on source.country_code = country_groups.country_code
)

select * from renamed
