-- The one road every indicator reads: current-vintage flows of fct_trade_flows stacked by
-- territory level, so each indicator is computed once for every level: 'departement' (DGDDI
-- département code), 'region' (DGDDI région code, the sum of its départements) and 'france'
-- ('FR', every département, DOM and Monaco included). Products at var product_level.
-- Grain: (year, quarter, level, territory_code, flow, product_code, country_code).
-- Incremental: rebuilds the periods (flow, year, quarter) whose current vintage is not the one
-- it holds (new or revised quarters) and replaces them whole; a change to the dbt project or
-- to the label lists rebuilds everything (--full-refresh). One block per year to load, or per
-- group of years holding up to var rows_per_block rows together, in a union
-- (macros/years_to_load.sql): each block's aggregate fits in memory.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['flow', 'year', 'quarter'])
) }}
{%- set periods_to_load_sql -%}
select
    current_periods.flow,
    current_periods.year,
    current_periods.quarter,
    current_periods.vintage_id,
    current_periods.row_count
from {{ ref('int_periods__current_vintage') }} as current_periods
where
    {% if is_incremental() -%}
        not exists (
            select 1
            from {{ this }} as loaded
            where
                loaded.level = 'france'
                and loaded.flow = current_periods.flow
                and loaded.year = current_periods.year
                and loaded.quarter = current_periods.quarter
                and loaded.vintage_id = current_periods.vintage_id
        )
    {%- else -%}
        true
    {%- endif %}
{%- endset %}
{%- set years = years_to_load(periods_to_load_sql) %}
{%- set flow_blocks = [] %}

with

periods_to_load as (

    {{ periods_to_load_sql | indent(4) }}

),
{% for block in years %}
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
        where {{ year_block_filter('trade', block, 'periods_to_load') }}

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
