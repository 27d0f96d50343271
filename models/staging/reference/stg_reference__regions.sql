with source as (
    select * from {{ ref('dgddi_departements') }}
),

crosswalk as (
    select * from {{ ref('region_crosswalk') }}
),

regions as (
    select distinct
        region_code,
        region_label
    from source
),

insee_codes as (
    select
        region_code,
        {{ ordered_string_agg(
            'insee_region_code', "','", ['insee_region_code']
        ) }} as insee_region_codes
    from crosswalk
    group by region_code
),

renamed as (
    select
        regions.region_code,
        regions.region_label,
        insee_codes.insee_region_codes
    from regions
    left join insee_codes
        on regions.region_code = insee_codes.region_code
)

select * from renamed
