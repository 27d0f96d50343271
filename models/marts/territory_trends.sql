-- Yearly trade of every territory and flow beside the same quarters one and five years
-- earlier: a partial year is compared like for like, year to date. An earlier value is null
-- when that year lacks any of the quarters the year covers; a territory without trade in
-- those quarters counts 0 (its growth is then null, never a division by zero).
-- Grain: (year, level, territory_code, flow).
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

covered_quarters as (

    select distinct
        year,
        quarter,
        flow
    from quarterly
    where level = 'france'

),

coverage as (

    select
        year,
        flow,
        count(*) as quarters_covered
    from covered_quarters
    group by
        year,
        flow

),

lags as (

    select 1 as lag_years
    union all
    select 5 as lag_years

),

comparable as (

    select
        covered_quarters.year,
        covered_quarters.flow,
        lags.lag_years,
        count(earlier.quarter) = count(*) as is_comparable
    from covered_quarters
    cross join lags
    left join covered_quarters as earlier
        on
            covered_quarters.year - lags.lag_years = earlier.year
            and covered_quarters.quarter = earlier.quarter
            and covered_quarters.flow = earlier.flow
    group by
        covered_quarters.year,
        covered_quarters.flow,
        lags.lag_years

),

earlier_values as (

    select
        covered_quarters.year,
        covered_quarters.flow,
        lags.lag_years,
        quarterly.level,
        quarterly.territory_code,
        sum(quarterly.value_eur) as value_eur
    from covered_quarters
    cross join lags
    inner join quarterly
        on
            covered_quarters.year - lags.lag_years = quarterly.year
            and covered_quarters.quarter = quarterly.quarter
            and covered_quarters.flow = quarterly.flow
    group by
        covered_quarters.year,
        covered_quarters.flow,
        lags.lag_years,
        quarterly.level,
        quarterly.territory_code

),

yearly as (

    select
        year,
        level,
        territory_code,
        territory_label,
        flow,
        sum(value_eur) as value_eur
    from quarterly
    group by
        year,
        level,
        territory_code,
        territory_label,
        flow

),

compared as (

    select
        yearly.year,
        yearly.level,
        yearly.territory_code,
        yearly.territory_label,
        yearly.flow,
        coverage.quarters_covered,
        yearly.value_eur,
        case
            when comparable_1y.is_comparable then coalesce(earlier_1y.value_eur, 0)
        end as prior_year_value_eur,
        case
            when comparable_5y.is_comparable then coalesce(earlier_5y.value_eur, 0)
        end as value_eur_5y_earlier
    from yearly
    inner join coverage
        on
            yearly.year = coverage.year
            and yearly.flow = coverage.flow
    inner join comparable as comparable_1y
        on
            yearly.year = comparable_1y.year
            and yearly.flow = comparable_1y.flow
            and comparable_1y.lag_years = 1
    inner join comparable as comparable_5y
        on
            yearly.year = comparable_5y.year
            and yearly.flow = comparable_5y.flow
            and comparable_5y.lag_years = 5
    left join earlier_values as earlier_1y
        on
            yearly.year = earlier_1y.year
            and yearly.flow = earlier_1y.flow
            and yearly.level = earlier_1y.level
            and yearly.territory_code = earlier_1y.territory_code
            and earlier_1y.lag_years = 1
    left join earlier_values as earlier_5y
        on
            yearly.year = earlier_5y.year
            and yearly.flow = earlier_5y.flow
            and yearly.level = earlier_5y.level
            and yearly.territory_code = earlier_5y.territory_code
            and earlier_5y.lag_years = 5

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(quarters_covered as integer) as quarters_covered,
    cast(value_eur as bigint) as value_eur,
    cast(prior_year_value_eur as bigint) as prior_year_value_eur,
    cast({{ growth_rate('value_eur', 'prior_year_value_eur') }} as double) as growth_1y,
    cast(value_eur_5y_earlier as bigint) as value_eur_5y_earlier,
    cast({{ compound_growth_rate('value_eur', 'value_eur_5y_earlier', 5) }} as double) as cagr_5y
from compared
