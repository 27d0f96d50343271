-- Every indicator mart adds up to the territory's total for each year, level, territory and
-- flow: products, partners, flow links (top N + AUTRES) and the stacked flows; and France
-- equals the fact table. Returns the mismatches.
{{ config(meta={'dagster': {'ref': {'name': 'territory_totals'}}}) }}  -- its Dagster asset
with

totals as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur
    from {{ ref('territory_totals') }}

),

sums as (

    select
        'product_activity' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('product_activity') }}
    group by year, level, territory_code, flow

    union all

    select
        'partner_ranking' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('partner_ranking') }}
    group by year, level, territory_code, flow

    union all

    select
        'flow_links' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('flow_links') }}
    group by year, level, territory_code, flow

    union all

    select
        'int_flows__territories' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('int_flows__territories') }}
    group by year, level, territory_code, flow

    union all

    select
        'fct_trade_flows' as mart,
        year,
        'france' as level,
        'FR' as territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('fct_trade_flows') }}
    group by year, flow

),

marts as (

    select distinct mart from sums

),

expected as (

    -- every mart must cover every territory with trade; the fact table only France
    select
        marts.mart,
        totals.year,
        totals.level,
        totals.territory_code,
        totals.flow,
        totals.value_eur
    from totals
    cross join marts
    where
        totals.value_eur > 0
        and (marts.mart <> 'fct_trade_flows' or totals.level = 'france')

)

select
    coalesce(expected.mart, sums.mart) as mart,
    coalesce(expected.year, sums.year) as year,
    coalesce(expected.level, sums.level) as level,
    coalesce(expected.territory_code, sums.territory_code) as territory_code,
    coalesce(expected.flow, sums.flow) as flow,
    expected.value_eur as territory_total_eur,
    sums.value_eur as mart_sum_eur
from expected
full outer join sums
    on
        expected.mart = sums.mart
        and expected.year = sums.year
        and expected.level = sums.level
        and expected.territory_code = sums.territory_code
        and expected.flow = sums.flow
where
    coalesce(expected.value_eur, -1) <> coalesce(sums.value_eur, -1)
    and not (expected.mart is null and sums.value_eur = 0)
