{#-
    The years whose rows of `relation` this run built (every year on a full build), for a model
    that aggregates them one year at a time: a union of one-year blocks, each filtering its
    own scan (`year_filter`). On DuckDB, one GROUPING SETS over 10 years of fct_trade_flows
    outgrows the memory limit and spills (30.6 s); ten one-year blocks in a union each fit
    (17.4 s, same rows and euros). A filter put around the aggregate would not reach the scan.

    Returns [none] (one block, no year filter) where there is nothing to split: at parse time,
    in unit tests, before `relation` exists, and on Spark, which partitions its own shuffle.
-#}
{% macro years_built_in_this_run(relation) -%}
    {{ return(adapter.dispatch('years_built_in_this_run')(relation)) }}
{%- endmacro %}

{% macro default__years_built_in_this_run(relation) -%}
    {{ return([none]) }}
{%- endmacro %}

{% macro duckdb__years_built_in_this_run(relation) -%}
    {%- if not execute or model.resource_type != 'model' or load_relation(relation) is none -%}
        {{ return([none]) }}
    {%- endif -%}
    {%- set built = run_query(
        'select distinct year from ' ~ relation ~ ' where ' ~ built_in_this_run() ~ ' order by year'
    ) -%}
    {{ return(built.columns[0].values() | list or [none]) }}
{%- endmacro %}

{#- `column = year`, or true for the block of every year (year none). -#}
{% macro year_filter(column, year) -%}
    {%- if year is none -%} true {%- else -%} {{ column }} = {{ year }} {%- endif -%}
{%- endmacro %}
