-- Départements sum to their région and régions sum to France, per year and flow (yearly and
-- quarterly totals). Returns the mismatches.
{{ config(meta={'dagster': {'ref': {'name': 'territory_totals'}}}) }}  -- its Dagster asset
with

yearly as (

    select
        totals.year,
        0 as quarter,
        totals.flow,
        totals.level,
        totals.territory_code,
        territories.parent_region_code,
        totals.value_eur
    from {{ ref('territory_totals') }} as totals
    inner join {{ ref('dim_territory') }} as territories
        on
            totals.level = territories.level
            and totals.territory_code = territories.territory_code

),

quarterly as (

    select
        totals.year,
        totals.quarter,
        totals.flow,
        totals.level,
        totals.territory_code,
        territories.parent_region_code,
        totals.value_eur
    from {{ ref('territory_quarterly_totals') }} as totals
    inner join {{ ref('dim_territory') }} as territories
        on
            totals.level = territories.level
            and totals.territory_code = territories.territory_code

),

totals as (

    select * from yearly
    union all
    select * from quarterly

),

departements_by_region as (

    select
        year,
        quarter,
        flow,
        parent_region_code as region_code,
        sum(value_eur) as value_eur
    from totals
    where level = 'departement'
    group by year, quarter, flow, parent_region_code

),

regions as (

    select
        year,
        quarter,
        flow,
        territory_code as region_code,
        value_eur
    from totals
    where level = 'region'

),

region_mismatches as (

    select
        coalesce(regions.year, departements_by_region.year) as year,
        coalesce(regions.quarter, departements_by_region.quarter) as quarter,
        coalesce(regions.flow, departements_by_region.flow) as flow,
        coalesce(regions.region_code, departements_by_region.region_code) as territory_code,
        regions.value_eur as expected_eur,
        departements_by_region.value_eur as summed_eur
    from regions
    full outer join departements_by_region
        on
            regions.year = departements_by_region.year
            and regions.quarter = departements_by_region.quarter
            and regions.flow = departements_by_region.flow
            and regions.region_code = departements_by_region.region_code
    where
        coalesce(regions.value_eur, -1)
        <> coalesce(departements_by_region.value_eur, -1)

),

regions_summed as (

    select
        year,
        quarter,
        flow,
        sum(value_eur) as value_eur
    from regions
    group by year, quarter, flow

),

france as (

    select
        year,
        quarter,
        flow,
        value_eur
    from totals
    where level = 'france'

),

france_mismatches as (

    select
        coalesce(france.year, regions_summed.year) as year,
        coalesce(france.quarter, regions_summed.quarter) as quarter,
        coalesce(france.flow, regions_summed.flow) as flow,
        'FR' as territory_code,
        france.value_eur as expected_eur,
        regions_summed.value_eur as summed_eur
    from france
    full outer join regions_summed
        on
            france.year = regions_summed.year
            and france.quarter = regions_summed.quarter
            and france.flow = regions_summed.flow
    where coalesce(france.value_eur, -1) <> coalesce(regions_summed.value_eur, -1)

)

select * from region_mismatches
union all
select * from france_mismatches
