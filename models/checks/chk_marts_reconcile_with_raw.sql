-- France's totals in the marts are the sum of every kept row of the current vintages, to the
-- euro: per flow and quarter, the kept euros of the current vintage (raw.vintage_periods)
-- against France in fct_territory_flows and France in territory_quarterly_totals. gap: the
-- largest difference, in euros. (fct_trade_flows, a view over the current vintages' rows, is
-- what fct_territory_flows sums: reading it whole again, twice a refresh, would cost a scan
-- of every row for a total its France rows already carry.)
with

kept as (

    select
        current_periods.flow,
        current_periods.year,
        current_periods.quarter,
        vintage_periods.value_eur
    from {{ ref('int_periods__current_vintage') }} as current_periods
    inner join {{ ref('stg_customs__vintage_periods') }} as vintage_periods
        on
            current_periods.vintage_id = vintage_periods.vintage_id
            and current_periods.flow = vintage_periods.flow
            and current_periods.year = vintage_periods.year
            and current_periods.quarter = vintage_periods.quarter

),

stacked as (

    select
        flow,
        year,
        quarter,
        sum(value_eur) as value_eur
    from {{ ref('fct_territory_flows') }}
    where level = 'france'
    group by flow, year, quarter

),

totals as (

    select
        flow,
        year,
        quarter,
        value_eur
    from {{ ref('territory_quarterly_totals') }}
    where level = 'france'

),

compared as (

    select
        kept.flow,
        kept.year,
        kept.quarter,
        kept.value_eur as kept_eur,
        stacked.value_eur as territory_flows_eur,
        totals.value_eur as quarterly_totals_eur
    from kept
    left join stacked
        on kept.flow = stacked.flow and kept.year = stacked.year and kept.quarter = stacked.quarter
    left join totals
        on kept.flow = totals.flow and kept.year = totals.year and kept.quarter = totals.quarter

)

select
    flow,
    year,
    quarter,
    kept_eur,
    territory_flows_eur,
    quarterly_totals_eur,
    cast(greatest(
        abs(kept_eur - coalesce(territory_flows_eur, 0)),
        abs(kept_eur - coalesce(quarterly_totals_eur, 0))
    ) as double) as gap
from compared
