-- The top N and AUTRES add up to the total: for every territory, year and flow, the sum of
-- its products (product_activity), of its partners (partner_ranking) and of its Sankey cells
-- (flow_links, top N + AUTRES) equal its territory_totals value. gap: the largest
-- difference, in euros.
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

products as (

    select
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('product_activity') }}
    group by year, level, territory_code, flow

),

partners as (

    select
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('partner_ranking') }}
    group by year, level, territory_code, flow

),

links as (

    select
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('flow_links') }}
    group by year, level, territory_code, flow

)

select
    totals.year,
    totals.level,
    totals.territory_code,
    totals.flow,
    totals.value_eur as total_eur,
    products.value_eur as products_eur,
    partners.value_eur as partners_eur,
    links.value_eur as flow_links_eur,
    cast(greatest(
        abs(totals.value_eur - coalesce(products.value_eur, 0)),
        abs(totals.value_eur - coalesce(partners.value_eur, 0)),
        abs(totals.value_eur - coalesce(links.value_eur, 0))
    ) as double) as gap
from totals
left join products
    on
        totals.year = products.year
        and totals.level = products.level
        and totals.territory_code = products.territory_code
        and totals.flow = products.flow
left join partners
    on
        totals.year = partners.year
        and totals.level = partners.level
        and totals.territory_code = partners.territory_code
        and totals.flow = partners.flow
left join links
    on
        totals.year = links.year
        and totals.level = links.level
        and totals.territory_code = links.territory_code
        and totals.flow = links.flow
