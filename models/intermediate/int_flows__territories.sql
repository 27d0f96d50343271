-- Current-vintage flows by year, stacked by territory level so every indicator is computed
-- once for all levels: level 'departement' (DGDDI département code), 'region' (DGDDI région
-- code, the sum of its départements) and 'france' ('FR', every département including DOM and
-- Monaco). Products at var product_level. Materialized once: the indicator marts read it.
-- Grain: (year, flow, level, territory_code, product_code, country_code).
{{ config(materialized='table') }}

with

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

),

stacked as (

    {{ stack_territory_levels(
        'flows',
        ['year', 'flow', 'product_code', 'country_code'],
        ['value_eur']
    ) | indent(4) }}

)

select
    year,
    flow,
    level,
    territory_code,
    product_code,
    country_code,
    cast(value_eur as bigint) as value_eur
from stacked
