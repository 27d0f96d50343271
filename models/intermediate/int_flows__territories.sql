-- Current-vintage flows by year, stacked by territory level so every indicator is computed
-- once for all levels: level 'departement' (DGDDI département code), 'region' (DGDDI région
-- code, the sum of its départements) and 'france' ('FR', every département including DOM and
-- Monaco). Products at var product_level. Materialized once: the indicator marts read it.
-- Grain: (year, flow, level, territory_code, product_code, country_code).
-- Incremental by year: source_vintages names the (flow, quarter, vintage) a year's rows come
-- from (int_years__current_vintages); a refresh rebuilds only the years whose current vintages
-- differ (new or revised quarters) and replaces them whole. built_at: when dbt built the year.
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

flows as (

    select
        current_flows.year,
        current_flows.flow,
        current_flows.region_code,
        current_flows.departement_code,
        products.product_code,
        current_flows.country_code,
        current_flows.value_eur
    from {{ ref('int_flows__current_vintage') }} as current_flows
    inner join {{ ref('int_products__at_level') }} as products
        on current_flows.{{ product_source_column() }} = products.source_code
    where current_flows.year in (select years_to_build.year from years_to_build)

),

stacked as (

    {{ stack_territory_levels(
        'flows',
        ['year', 'flow', 'product_code', 'country_code'],
        ['value_eur']
    ) | indent(4) }}

)

select
    stacked.year,
    stacked.flow,
    stacked.level,
    stacked.territory_code,
    stacked.product_code,
    stacked.country_code,
    cast(stacked.value_eur as bigint) as value_eur,
    years_to_build.source_vintages,
    {{ built_at() }} as built_at
from stacked
inner join years_to_build
    on stacked.year = years_to_build.year
