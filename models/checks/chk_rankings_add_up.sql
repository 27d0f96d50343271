-- The top N and AUTRES, and the indicators, add up to the total: for every territory, year
-- and flow, the sum of its products (product_activity, product_specialisation), of its
-- partners (partner_ranking) and of its Sankey cells (flow_links, top N + AUTRES), and the
-- values of territory_trends and territory_exposure equal its territory_totals value.
-- gap: the largest difference, in euros.
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

specialisation as (

    select
        year,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('product_specialisation') }}
    group by year, level, territory_code, flow

),

trends as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur
    from {{ ref('territory_trends') }}

),

exposure as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur
    from {{ ref('territory_exposure') }}

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
    specialisation.value_eur as specialisation_eur,
    trends.value_eur as trends_eur,
    exposure.value_eur as exposure_eur,
    cast(greatest(
        abs(totals.value_eur - coalesce(products.value_eur, 0)),
        abs(totals.value_eur - coalesce(partners.value_eur, 0)),
        abs(totals.value_eur - coalesce(links.value_eur, 0)),
        abs(totals.value_eur - coalesce(specialisation.value_eur, 0)),
        abs(totals.value_eur - coalesce(trends.value_eur, 0)),
        abs(totals.value_eur - coalesce(exposure.value_eur, 0))
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
left join specialisation
    on
        totals.year = specialisation.year
        and totals.level = specialisation.level
        and totals.territory_code = specialisation.territory_code
        and totals.flow = specialisation.flow
left join trends
    on
        totals.year = trends.year
        and totals.level = trends.level
        and totals.territory_code = trends.territory_code
        and totals.flow = trends.flow
left join exposure
    on
        totals.year = exposure.year
        and totals.level = exposure.level
        and totals.territory_code = exposure.territory_code
        and totals.flow = exposure.flow
