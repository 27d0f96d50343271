with source as (
    select * from {{ ref('dgddi_departements') }}
),

crosswalk as (
    select * from {{ ref('departement_crosswalk') }}
),

insee_codes as (
    select
        departement_code,
        {{ ordered_string_agg(
            'insee_departement_code', "','", ['insee_departement_code']
        ) }} as insee_departement_codes
    from crosswalk
    where insee_departement_code is not null
    group by departement_code
),

renamed as (
    select
        source.departement_code,
        source.departement_label,
        source.region_code,
        source.region_label,
        insee_codes.insee_departement_codes
    from source
    left join insee_codes
        on source.departement_code = insee_codes.departement_code
)

select * from renamed
