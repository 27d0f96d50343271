-- Yearly trade of every territory (département, région, France) and flow, with its share of
-- its région's and of France's trade, and how many quarters of the year the current data
-- covers. Grain: (year, level, territory_code, flow).
with

quarterly as (

    select
        year,
        quarter,
        level,
        territory_code,
        territory_label,
        flow,
        value_eur
    from {{ ref('territory_quarterly_totals') }}

),

coverage as (

    select
        year,
        flow,
        count(distinct quarter) as quarters_covered
    from quarterly
    where level = 'france'
    group by
        year,
        flow

),

territories as (

    select
        level,
        territory_code,
        parent_region_code
    from {{ ref('dim_territory') }}

),

yearly as (

    select
        quarterly.year,
        quarterly.level,
        quarterly.territory_code,
        quarterly.territory_label,
        territories.parent_region_code,
        quarterly.flow,
        sum(quarterly.value_eur) as value_eur
    from quarterly
    left join territories
        on
            quarterly.level = territories.level
            and quarterly.territory_code = territories.territory_code
    group by
        quarterly.year,
        quarterly.level,
        quarterly.territory_code,
        quarterly.territory_label,
        territories.parent_region_code,
        quarterly.flow

)

select
    cast(yearly.year as integer) as year,
    cast(yearly.level as {{ dbt.type_string() }}) as level,
    cast(yearly.territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(yearly.territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(yearly.flow as {{ dbt.type_string() }}) as flow,
    cast(yearly.value_eur as bigint) as value_eur,
    case
        when yearly.level = 'departement'
            then {{ safe_share(
                'yearly.value_eur',
                'sum(yearly.value_eur) over (partition by yearly.year, yearly.flow, yearly.level, yearly.parent_region_code)'
            ) }}
    end as share_of_region,
    {{ safe_share(
        'yearly.value_eur',
        'sum(yearly.value_eur) over (partition by yearly.year, yearly.flow, yearly.level)'
    ) }} as share_of_france,
    cast(coverage.quarters_covered as integer) as quarters_covered,
    cast(coverage.quarters_covered = 4 as boolean) as is_complete_year
from yearly
inner join coverage
    on
        yearly.year = coverage.year
        and yearly.flow = coverage.flow
