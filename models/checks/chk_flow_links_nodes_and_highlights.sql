-- The Sankey nodes and highlights of flow_links, for every territory, year and flow: the named
-- products are exactly the top N of product_activity and the named countries exactly the
-- top N of partner_ranking (N = var top_n); the highlighted cells are min(highlight_n, named
-- cells) named cells, none smaller than a named cell left out. gap: the products and
-- countries named wrongly, plus 1 when the highlights break a rule.
with

links as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        country_code,
        value_eur,
        is_highlighted,
        product_code <> 'AUTRES' and country_code <> 'AUTRES' as is_named
    from {{ ref('flow_links') }}

),

named_products as (

    select distinct
        year,
        level,
        territory_code,
        flow,
        product_code
    from links
    where product_code <> 'AUTRES'

),

top_products as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code
    from {{ ref('product_activity') }}
    where rank <= {{ var('top_n') }}

),

product_nodes as (

    select
        coalesce(named_products.year, top_products.year) as year,
        coalesce(named_products.level, top_products.level) as level,
        coalesce(named_products.territory_code, top_products.territory_code) as territory_code,
        coalesce(named_products.flow, top_products.flow) as flow,
        sum(
            case
                when named_products.product_code is null or top_products.product_code is null then 1
                else 0
            end
        ) as wrong_nodes
    from named_products
    full outer join top_products
        on
            named_products.year = top_products.year
            and named_products.level = top_products.level
            and named_products.territory_code = top_products.territory_code
            and named_products.flow = top_products.flow
            and named_products.product_code = top_products.product_code
    group by
        coalesce(named_products.year, top_products.year),
        coalesce(named_products.level, top_products.level),
        coalesce(named_products.territory_code, top_products.territory_code),
        coalesce(named_products.flow, top_products.flow)

),

named_countries as (

    select distinct
        year,
        level,
        territory_code,
        flow,
        country_code
    from links
    where country_code <> 'AUTRES'

),

top_countries as (

    select
        year,
        level,
        territory_code,
        flow,
        country_code
    from {{ ref('partner_ranking') }}
    where rank <= {{ var('top_n') }}

),

country_nodes as (

    select
        coalesce(named_countries.year, top_countries.year) as year,
        coalesce(named_countries.level, top_countries.level) as level,
        coalesce(named_countries.territory_code, top_countries.territory_code) as territory_code,
        coalesce(named_countries.flow, top_countries.flow) as flow,
        sum(
            case
                when named_countries.country_code is null or top_countries.country_code is null then 1
                else 0
            end
        ) as wrong_nodes
    from named_countries
    full outer join top_countries
        on
            named_countries.year = top_countries.year
            and named_countries.level = top_countries.level
            and named_countries.territory_code = top_countries.territory_code
            and named_countries.flow = top_countries.flow
            and named_countries.country_code = top_countries.country_code
    group by
        coalesce(named_countries.year, top_countries.year),
        coalesce(named_countries.level, top_countries.level),
        coalesce(named_countries.territory_code, top_countries.territory_code),
        coalesce(named_countries.flow, top_countries.flow)

),

highlights as (

    select
        year,
        level,
        territory_code,
        flow,
        sum(case when is_named then 1 else 0 end) as named_cells,
        sum(case when is_highlighted then 1 else 0 end) as highlighted_cells,
        sum(case when is_highlighted and not is_named then 1 else 0 end) as highlighted_autres,
        min(case when is_highlighted then value_eur end) as smallest_highlighted_eur,
        max(case when is_named and not is_highlighted then value_eur end) as largest_other_named_eur
    from links
    group by year, level, territory_code, flow

)

select
    highlights.year,
    highlights.level,
    highlights.territory_code,
    highlights.flow,
    highlights.named_cells,
    highlights.highlighted_cells,
    coalesce(product_nodes.wrong_nodes, 0) as wrong_product_nodes,
    coalesce(country_nodes.wrong_nodes, 0) as wrong_country_nodes,
    cast(
        coalesce(product_nodes.wrong_nodes, 0)
        + coalesce(country_nodes.wrong_nodes, 0)
        + case
            when
                highlights.highlighted_autres > 0
                or highlights.highlighted_cells
                <> case
                    when highlights.named_cells < {{ var('highlight_n') }} then highlights.named_cells
                    else {{ var('highlight_n') }}
                end
                or highlights.smallest_highlighted_eur < highlights.largest_other_named_eur
                then 1
            else 0
        end
        as double
    ) as gap
from highlights
left join product_nodes
    on
        highlights.year = product_nodes.year
        and highlights.level = product_nodes.level
        and highlights.territory_code = product_nodes.territory_code
        and highlights.flow = product_nodes.flow
left join country_nodes
    on
        highlights.year = country_nodes.year
        and highlights.level = country_nodes.level
        and highlights.territory_code = country_nodes.territory_code
        and highlights.flow = country_nodes.flow
