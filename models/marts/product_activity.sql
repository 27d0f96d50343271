-- Products (at var product_level, A129 by default) traded by every territory, per year and
-- flow, ranked by value (ties by product_code ascending). Rows with no trade are left out.
-- The products of product_specialisation (same grain, same values and shares), ranked.
-- Grain: (year, level, territory_code, flow, product_code).
-- Incremental by year: a refresh rebuilds the years of which fct_territory_flows rebuilt a
-- quarter (new or revised) and replaces them whole; source_vintages names the (flow, quarter,
-- vintage) the year's figures come from (int_years__current_vintages).
-- depends_on: {{ ref('fct_territory_flows') }} (years_to_rebuild reads it on an incremental run)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['year'])
) }}

with

years_to_build as (

    {{ years_to_rebuild() | indent(4) }}

),

products as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        product_label,
        value_eur,
        share_of_flow,
        source_vintages
    from {{ ref('product_specialisation') }}
    where year in (select years_to_build.year from years_to_build)

),

ranked as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        product_label,
        value_eur,
        share_of_flow,
        source_vintages,
        row_number() over (
            partition by year, level, territory_code, flow
            order by value_eur desc, product_code asc
        ) as product_rank
    from products

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(product_code as {{ dbt.type_string() }}) as product_code,
    cast(product_label as {{ dbt.type_string() }}) as product_label,
    cast(value_eur as bigint) as value_eur,
    cast(share_of_flow as double) as share_of_flow,
    cast(product_rank as integer) as rank,
    cast(source_vintages as {{ dbt.type_string() }}) as source_vintages
from ranked
