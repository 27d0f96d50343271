-- Sankey links of every territory, per year and flow: product × country cells where a
-- product outside the top N products of the territory/flow/year becomes 'AUTRES' and a
-- country outside its top N countries becomes 'AUTRES' (N = var top_n), cells summed. The
-- highlight_n largest cells whose product and country are both named are highlighted (ties
-- by product_code, then country_code). The cells of a territory/flow/year sum to its total.
-- Grain: (year, level, territory_code, flow, product_code, country_code).
-- Incremental by year: a refresh rebuilds the years of which fct_territory_flows rebuilt a
-- quarter (new or revised) and replaces them whole; source_vintages names the (flow, quarter,
-- vintage) the year's figures come from (int_years__current_vintages).
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['year'])
) }}

with

years_to_build as (

    {{ years_to_rebuild() | indent(4) }}

),

flows as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        country_code,
        value_eur
    from {{ ref('fct_territory_flows') }}
    where
        value_eur > 0
        and year in (select years_to_build.year from years_to_build)

),

product_ranks as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        product_label,
        rank as product_rank
    from {{ ref('product_activity') }}
    where year in (select years_to_build.year from years_to_build)

),

country_ranks as (

    select
        year,
        level,
        territory_code,
        flow,
        country_code,
        country_label,
        rank as country_rank
    from {{ ref('partner_ranking') }}
    where year in (select years_to_build.year from years_to_build)

),

folded as (

    select
        flows.year,
        flows.level,
        flows.territory_code,
        flows.flow,
        case
            when product_ranks.product_rank <= {{ var('top_n') }} then flows.product_code
            else 'AUTRES'
        end as product_code,
        case
            when product_ranks.product_rank <= {{ var('top_n') }} then product_ranks.product_label
            else 'Autres'
        end as product_label,
        case
            when country_ranks.country_rank <= {{ var('top_n') }} then flows.country_code
            else 'AUTRES'
        end as country_code,
        case
            when country_ranks.country_rank <= {{ var('top_n') }} then country_ranks.country_label
            else 'Autres'
        end as country_label,
        flows.value_eur
    from flows
    left join product_ranks
        on
            flows.year = product_ranks.year
            and flows.level = product_ranks.level
            and flows.territory_code = product_ranks.territory_code
            and flows.flow = product_ranks.flow
            and flows.product_code = product_ranks.product_code
    left join country_ranks
        on
            flows.year = country_ranks.year
            and flows.level = country_ranks.level
            and flows.territory_code = country_ranks.territory_code
            and flows.flow = country_ranks.flow
            and flows.country_code = country_ranks.country_code

),

cells as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        product_label,
        country_code,
        country_label,
        sum(value_eur) as value_eur,
        case
            when product_code <> 'AUTRES' and country_code <> 'AUTRES' then 1
            else 0
        end as is_named
    from folded
    group by
        year,
        level,
        territory_code,
        flow,
        product_code,
        product_label,
        country_code,
        country_label

),

ranked as (

    select
        cells.year,
        cells.level,
        cells.territory_code,
        cells.flow,
        cells.product_code,
        cells.product_label,
        cells.country_code,
        cells.country_label,
        cells.value_eur,
        cells.is_named,
        years_to_build.source_vintages,
        row_number() over (
            partition by cells.year, cells.level, cells.territory_code, cells.flow, cells.is_named
            order by cells.value_eur desc, cells.product_code asc, cells.country_code asc
        ) as cell_rank
    from cells
    inner join years_to_build
        on cells.year = years_to_build.year

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(product_code as {{ dbt.type_string() }}) as product_code,
    cast(product_label as {{ dbt.type_string() }}) as product_label,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(country_label as {{ dbt.type_string() }}) as country_label,
    cast(value_eur as bigint) as value_eur,
    cast(is_named = 1 and cell_rank <= {{ var('highlight_n') }} as boolean) as is_highlighted,
    cast(source_vintages as {{ dbt.type_string() }}) as source_vintages
from ranked
