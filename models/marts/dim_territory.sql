-- Every territory of the three levels: DGDDI départements, DGDDI régions and France.
-- Grain: (level, territory_code).
with

departements as (

    select
        departement_code,
        departement_label,
        region_code,
        region_label,
        insee_departement_codes
    from {{ ref('stg_reference__departements') }}

),

regions as (

    select
        region_code,
        region_label,
        insee_region_codes
    from {{ ref('stg_reference__regions') }}

),

territories as (

    select
        'departement' as level,
        departement_code as territory_code,
        insee_departement_codes as insee_codes,
        departement_label as territory_label,
        region_code as parent_region_code,
        region_label as parent_region_label
    from departements

    union all

    select
        'region' as level,
        region_code as territory_code,
        insee_region_codes as insee_codes,
        region_label as territory_label,
        cast(null as {{ dbt.type_string() }}) as parent_region_code,
        cast(null as {{ dbt.type_string() }}) as parent_region_label
    from regions

    union all

    select
        'france' as level,
        'FR' as territory_code,
        cast(null as {{ dbt.type_string() }}) as insee_codes,
        'France' as territory_label,
        cast(null as {{ dbt.type_string() }}) as parent_region_code,
        cast(null as {{ dbt.type_string() }}) as parent_region_label

)

select
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(insee_codes as {{ dbt.type_string() }}) as insee_codes,
    cast(territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(parent_region_code as {{ dbt.type_string() }}) as parent_region_code,
    cast(parent_region_label as {{ dbt.type_string() }}) as parent_region_label
from territories
