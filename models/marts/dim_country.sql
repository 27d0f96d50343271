-- DGDDI partner countries with their current label and the project's groups.
-- Grain: country_code (the latest version of codes reused over time, e.g. QU, XK, XS).
with

versions as (

    select
        country_code,
        country_label,
        is_eu27,
        zone,  -- noqa: RF04
        is_geographic,
        row_number() over (
            partition by country_code
            order by valid_to desc, valid_from desc
        ) as version_rank
    from {{ ref('stg_reference__countries') }}

)

select
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(country_label as {{ dbt.type_string() }}) as country_label,
    cast(is_eu27 as boolean) as is_eu27,
    cast(zone as {{ dbt.type_string() }}) as zone,  -- noqa: RF04
    cast(is_geographic as boolean) as is_geographic
from versions
where version_rank = 1
