-- Shares add up to 1: products and partners within each territory, year and flow;
-- départements within their région; the territories of each level within France. One row
-- per group (mart, year, level, territory, flow) with the sum of its shares; gap = sum − 1.
with

product_shares as (

    select
        'product_activity.share_of_flow' as share_name,
        year,
        level,
        territory_code,
        flow,
        sum(share_of_flow) as share_sum
    from {{ ref('product_activity') }}
    group by year, level, territory_code, flow

),

specialisation_shares as (

    select
        'product_specialisation.share_of_flow' as share_name,
        year,
        level,
        territory_code,
        flow,
        sum(share_of_flow) as share_sum
    from {{ ref('product_specialisation') }}
    group by year, level, territory_code, flow

),

partner_shares as (

    select
        'partner_ranking.share_of_flow' as share_name,
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
        'territory_totals.share_of_region' as share_name,
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
        'territory_totals.share_of_france' as share_name,
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
    select * from specialisation_shares
    union all
    select * from partner_shares
    union all
    select * from region_shares
    union all
    select * from france_shares

)

select
    share_name,
    year,
    level,
    territory_code,
    flow,
    share_sum,
    share_sum - 1 as gap
from all_shares
