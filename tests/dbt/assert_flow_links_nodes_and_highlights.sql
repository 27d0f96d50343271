-- In flow_links, for each territory, year and flow: the named products are exactly the top N
-- of product_activity and the named countries exactly the top N of partner_ranking (N =
-- var top_n); the highlighted cells are min(highlight_n, named cells) named cells, none
-- smaller than a named cell left out. Returns the partitions that break a rule.
{{ config(meta={'dagster': {'ref': {'name': 'flow_links'}}}) }}  -- its Dagster asset
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

product_mismatches as (

    select
        coalesce(named_products.year, top_products.year) as year,
        coalesce(named_products.level, top_products.level) as level,
        coalesce(named_products.territory_code, top_products.territory_code) as territory_code,
        coalesce(named_products.flow, top_products.flow) as flow,
        'product node ' || coalesce(named_products.product_code, top_products.product_code)
        || ' is not a top product, or a top product has no node' as problem
    from named_products
    full outer join top_products
        on
            named_products.year = top_products.year
            and named_products.level = top_products.level
            and named_products.territory_code = top_products.territory_code
            and named_products.flow = top_products.flow
            and named_products.product_code = top_products.product_code
    where named_products.product_code is null or top_products.product_code is null

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

country_mismatches as (

    select
        coalesce(named_countries.year, top_countries.year) as year,
        coalesce(named_countries.level, top_countries.level) as level,
        coalesce(named_countries.territory_code, top_countries.territory_code) as territory_code,
        coalesce(named_countries.flow, top_countries.flow) as flow,
        'country node ' || coalesce(named_countries.country_code, top_countries.country_code)
        || ' is not a top country, or a top country has no node' as problem
    from named_countries
    full outer join top_countries
        on
            named_countries.year = top_countries.year
            and named_countries.level = top_countries.level
            and named_countries.territory_code = top_countries.territory_code
            and named_countries.flow = top_countries.flow
            and named_countries.country_code = top_countries.country_code
    where named_countries.country_code is null or top_countries.country_code is null

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

),

highlight_mismatches as (

    select
        year,
        level,
        territory_code,
        flow,
        'highlighted cells are not the ' || cast({{ var('highlight_n') }} as {{ dbt.type_string() }})
        || ' largest named cells' as problem
    from highlights
    where
        highlighted_autres > 0
        or highlighted_cells
        <> case
            when named_cells < {{ var('highlight_n') }} then named_cells
            else {{ var('highlight_n') }}
        end
        or smallest_highlighted_eur < largest_other_named_eur

)

select * from product_mismatches
union all
select * from country_mismatches
union all
select * from highlight_mismatches
