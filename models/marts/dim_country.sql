-- DGDDI partner codes with their current French label (the newest Libelle_PAYS.txt shipped
-- with the data, else the bundled seed), the project's groups, and the codes the current data
-- carries that no list knows (`Code inconnu (XX)`, groups unknown).
-- Grain: country_code (the latest version of codes reused over time, e.g. QU, XK, XS).
with

labelled as (

    select
        code as country_code,
        label as country_label,
        label_source
    from {{ ref('int_labels__current') }}
    where code_kind = 'country'

),

unknown as (

    select distinct
        code as country_code,
        {{ unknown_label('code') }} as country_label,
        'unknown' as label_source
    from {{ ref('int_codes__in_current_data') }}
    where code_kind = 'country' and not is_known

),

countries as (

    select * from labelled
    union all
    select * from unknown

),

country_groups as (

    select distinct
        country_code,
        is_eu27,
        zone,  -- noqa: RF04
        is_geographic
    from {{ ref('stg_reference__countries') }}

)

select
    cast(countries.country_code as {{ dbt.type_string() }}) as country_code,
    cast(countries.country_label as {{ dbt.type_string() }}) as country_label,
    cast(country_groups.is_eu27 as boolean) as is_eu27,
    cast(country_groups.zone as {{ dbt.type_string() }}) as zone,  -- noqa: RF04
    cast(country_groups.is_geographic as boolean) as is_geographic,
    cast(countries.label_source as {{ dbt.type_string() }}) as label_source
from countries
left join country_groups
    on countries.country_code = country_groups.country_code
