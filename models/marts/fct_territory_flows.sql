-- The one road every indicator reads: current-vintage flows of fct_trade_flows stacked by
-- territory level, so each indicator is computed once for every level: 'departement' (DGDDI
-- département code), 'region' (DGDDI région code, the sum of its départements) and 'france'
-- ('FR', every département, DOM and Monaco included). Products at var product_level.
-- Grain: (year, quarter, level, territory_code, flow, product_code, country_code).
-- Incremental: rebuilds the periods (flow, year, quarter) fct_trade_flows rebuilt in the same
-- run, and replaces them whole. One block per year rebuilt, in a union (macros/years_built_in_this_run.sql):
-- each year's aggregate fits in memory.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['flow', 'year', 'quarter'])
) }}
{%- set years = years_built_in_this_run(ref('fct_trade_flows')) %}
{%- set flow_blocks = [] %}

with
{% for year in years %}
    {%- do flow_blocks.append('flows_' ~ loop.index) %}
    flows_{{ loop.index }} as (

        select
            trade.year,
            trade.quarter,
            trade.flow,
            trade.region_code,
            trade.departement_code,
            coalesce(products.product_code, trade.{{ product_source_column() }}) as product_code,
            trade.country_code,
            trade.vintage_id,
            trade.value_eur,
            trade.mass_kg
        from {{ ref('fct_trade_flows') }} as trade
        left join {{ ref('int_products__at_level') }} as products
            on trade.{{ product_source_column() }} = products.source_code
        where {{ built_in_this_run('trade.built_at') }} and {{ year_filter('trade.year', year) }}

    ),
{% endfor %}
stacked as (

    {{ stack_territory_levels(
        flow_blocks,
        ['year', 'quarter', 'flow', 'product_code', 'country_code', 'vintage_id'],
        ['value_eur', 'mass_kg']
    ) | indent(4) }}

)

select
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(product_code as {{ dbt.type_string() }}) as product_code,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(value_eur as bigint) as value_eur,
    cast(mass_kg as bigint) as mass_kg,
    cast(vintage_id as integer) as vintage_id,
    {{ built_at() }} as built_at
from stacked
