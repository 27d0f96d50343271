-- Products (at var product_level, A129 by default) traded by every territory, per year and
-- flow, ranked by value (ties by product_code ascending). Rows with no trade are left out.
-- Grain: (year, level, territory_code, flow, product_code).
-- Incremental by year: a refresh rebuilds the years of which fct_territory_flows rebuilt a
-- quarter (new or revised) and replaces them whole; source_vintages names the (flow, quarter,
-- vintage) the year's figures come from (int_years__current_vintages).
{{ config(
    materialized='incremental',
    incremental_strategy='replace_periods',
    unique_key=['year'],
    on_schema_change='fail'
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
        sum(value_eur) as value_eur
    from {{ ref('fct_territory_flows') }}
    where year in (select years_to_build.year from years_to_build)
    group by
        year,
        level,
        territory_code,
        flow,
        product_code

),

labels as (

    select distinct
        product_code,
        product_label
    from {{ ref('int_products__at_level') }}

),

ranked as (

    select
        products.year,
        products.level,
        products.territory_code,
        products.flow,
        products.product_code,
        labels.product_label,
        products.value_eur,
        years_to_build.source_vintages,
        {{ safe_share(
            'products.value_eur',
            'sum(products.value_eur) over (partition by products.year, products.level, products.territory_code, products.flow)'
        ) }} as share_of_flow,
        row_number() over (
            partition by products.year, products.level, products.territory_code, products.flow
            order by products.value_eur desc, products.product_code asc
        ) as product_rank
    from products
    inner join years_to_build
        on products.year = years_to_build.year
    left join labels
        on products.product_code = labels.product_code
    where products.value_eur > 0

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
