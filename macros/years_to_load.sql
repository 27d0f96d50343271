{#-
    The years an incremental model keyed by period loads, each with the vintages of its periods
    to load (a comma-separated list of ids), from `periods_sql` (a query of flow, year,
    quarter, vintage_id). The model then aggregates one year at a time, in a union of one-year
    blocks, each filtering its own scan (`year_block_filter`). On DuckDB, one GROUPING SETS
    over 10 years of fct_trade_flows outgrows the memory limit and spills (30.6 s); ten
    one-year blocks in a union each fit (17.4 s, same rows and euros). A filter put around the
    aggregate would not reach the scan; the vintage ids, as constants, reach the rows ingestion
    stored by vintage.

    Returns [none] (one block, filtered by `periods_sql` in SQL) where there is nothing to
    split: at parse time, in unit tests, and on Spark, which partitions its own shuffle.
-#}
{% macro years_to_load(periods_sql) -%}
    {%- set years = adapter.dispatch('years_to_load')(periods_sql) -%}
    {{ return(years if years is sequence and years is not string else [none]) }}
{%- endmacro %}

{% macro default__years_to_load(periods_sql) -%}
    {{ return([none]) }}
{%- endmacro %}

{% macro duckdb__years_to_load(periods_sql) -%}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return([none]) }}
    {%- endif -%}
    {%- set found = run_query(
        'select year, string_agg(distinct vintage_id, \', \' order by vintage_id) as vintages from ('
        ~ periods_sql ~ ') as periods group by year order by year'
    ) -%}
    {%- set years = [] -%}
    {%- for row in found.rows -%}
        {%- do years.append({'year': row[0] | int, 'vintages': row[1]}) -%}
    {%- endfor -%}
    {{ return(years or [none]) }}
{%- endmacro %}

{#- The rows of one block of `years_to_load` (`alias` a relation with year and vintage_id): that
    year's, of its vintages to load; for the block of every year (none), those of `periods`
    (a CTE of the periods to load). -#}
{% macro year_block_filter(alias, block, periods) -%}
    {%- if block is none -%}
        {{ alias }}.vintage_id in (select {{ periods }}.vintage_id from {{ periods }})
    {%- else -%}
        {{ alias }}.year = {{ block.year }} and {{ alias }}.vintage_id in ({{ block.vintages }})
    {%- endif -%}
{%- endmacro %}
