-- Shares add up to 1 (tolerance 1e-9): products and partners within each territory, year
-- and flow; départements within their région; every territory of a level within France.
-- Returns the partitions that do not.
{{ config(meta={'dagster': {'ref': {'name': 'product_activity'}}}) }}  -- its Dagster asset
with

product_shares as (

    select
        'product_activity' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(share_of_flow) as share_sum
    from {{ ref('product_activity') }}
    group by year, level, territory_code, flow

),

partner_shares as (

    select
        'partner_ranking' as mart,
        year,
        level,
        territory_code,
        flow,
        sum(share_of_flow) as share_sum
    from {{ ref('partner_ranking') }}
    group by year, level, territory_code, flow

),

region_shares as (

    select
        'territory_totals.share_of_region' as mart,
        totals.year,
        'region' as level,
        territories.parent_region_code as territory_code,
        totals.flow,
        sum(totals.share_of_region) as share_sum
    from {{ ref('territory_totals') }} as totals
    inner join {{ ref('dim_territory') }} as territories
        on
            totals.level = territories.level
            and totals.territory_code = territories.territory_code
    where totals.level = 'departement'
    group by totals.year, territories.parent_region_code, totals.flow

),

france_shares as (

    select
        'territory_totals.share_of_france' as mart,
        year,
        level,
        'FR' as territory_code,
        flow,
        sum(share_of_france) as share_sum
    from {{ ref('territory_totals') }}
    group by year, level, flow

),

all_shares as (

    select * from product_shares
    union all
    select * from partner_shares
    union all
    select * from region_shares
    union all
    select * from france_shares

)

select *
from all_shares
where abs(share_sum - 1) > 1e-9
