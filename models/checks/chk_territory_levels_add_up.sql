-- Départements add up to their région and régions to France, per year (quarter 0) and per
-- quarter, and flow: one row per région and for France, with the expected value (the
-- territory's own total), the sum of its parts, and their difference in euros (gap).
with

territories as (

    select
        level,
        territory_code,
        parent_region_code
    from {{ ref('dim_territory') }}

),

totals as (

    select
        year,
        0 as quarter,
        flow,
        level,
        territory_code,
        value_eur
    from {{ ref('territory_totals') }}

    union all

    select
        year,
        quarter,
        flow,
        level,
        territory_code,
        value_eur
    from {{ ref('territory_quarterly_totals') }}

),

parts as (

    select
        totals.year,
        totals.quarter,
        totals.flow,
        case totals.level when 'departement' then 'region' else 'france' end as level,
        case
            when totals.level = 'departement' then territories.parent_region_code
            else 'FR'
        end as territory_code,
        sum(totals.value_eur) as summed_eur
    from totals
    inner join territories
        on
            totals.level = territories.level
            and totals.territory_code = territories.territory_code
    where totals.level in ('departement', 'region')
    group by
        totals.year,
        totals.quarter,
        totals.flow,
        case totals.level when 'departement' then 'region' else 'france' end,
        case
            when totals.level = 'departement' then territories.parent_region_code
            else 'FR'
        end

),

wholes as (

    select
        year,
        quarter,
        flow,
        level,
        territory_code,
        value_eur as expected_eur
    from totals
    where level in ('region', 'france')

)

select
    coalesce(wholes.year, parts.year) as year,
    coalesce(wholes.quarter, parts.quarter) as quarter,
    coalesce(wholes.flow, parts.flow) as flow,
    coalesce(wholes.level, parts.level) as level,
    coalesce(wholes.territory_code, parts.territory_code) as territory_code,
    wholes.expected_eur,
    parts.summed_eur,
    cast(abs(coalesce(wholes.expected_eur, 0) - coalesce(parts.summed_eur, 0)) as double) as gap
from wholes
full outer join parts
    on
        wholes.year = parts.year
        and wholes.quarter = parts.quarter
        and wholes.flow = parts.flow
        and wholes.level = parts.level
        and wholes.territory_code = parts.territory_code
