-- Every territory of the three levels: the départements the label lists know or the current
-- data carries, their régions, and France. Labels: the newest Departement_region.txt shipped
-- with the data, else the bundled seed; a code no list knows is `Code inconnu (XX)`.
-- Grain: (level, territory_code).
with

departements as (

    select
        departement_code,
        departement_label,
        region_code,
        region_label,
        label_source
    from {{ ref('int_territories__departements') }}

),

departement_insee_codes as (

    select
        departement_code,
        insee_departement_codes
    from {{ ref('stg_reference__departements') }}

),

region_insee_codes as (

    select
        region_code,
        insee_region_codes
    from {{ ref('stg_reference__regions') }}

),

regions as (

    select
        region_code,
        max(region_label) as region_label,
        min(label_source) as label_source
    from departements
    group by region_code

),

territories as (

    select
        'departement' as level,
        departements.departement_code as territory_code,
        departement_insee_codes.insee_departement_codes as insee_codes,
        departements.departement_label as territory_label,
        departements.region_code as parent_region_code,
        departements.region_label as parent_region_label,
        departements.label_source
    from departements
    left join departement_insee_codes
        on departements.departement_code = departement_insee_codes.departement_code

    union all

    select
        'region' as level,
        regions.region_code as territory_code,
        region_insee_codes.insee_region_codes as insee_codes,
        regions.region_label as territory_label,
        cast(null as {{ dbt.type_string() }}) as parent_region_code,
        cast(null as {{ dbt.type_string() }}) as parent_region_label,
        regions.label_source
    from regions
    left join region_insee_codes
        on regions.region_code = region_insee_codes.region_code

    union all

    select
        'france' as level,
        'FR' as territory_code,
        cast(null as {{ dbt.type_string() }}) as insee_codes,
        'France' as territory_label,
        cast(null as {{ dbt.type_string() }}) as parent_region_code,
        cast(null as {{ dbt.type_string() }}) as parent_region_label,
        'comex' as label_source

)

select
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(insee_codes as {{ dbt.type_string() }}) as insee_codes,
    cast(territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(parent_region_code as {{ dbt.type_string() }}) as parent_region_code,
    cast(parent_region_label as {{ dbt.type_string() }}) as parent_region_label,
    cast(label_source as {{ dbt.type_string() }}) as label_source
from territories
