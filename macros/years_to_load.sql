{#-
    The blocks of years an incremental model keyed by period loads, from `periods_sql` (a query
    of flow, year, quarter, vintage_id, row_count): each block the next years to load, in
    order, holding together at most var rows_per_block rows (a year above it is a block of its
    own), with the vintages of its periods (comma-separated ids). The model then aggregates one
    block at a time, in a union of blocks, each filtering its own scan (`year_block_filter`).
    On DuckDB, one GROUPING SETS over 10 years of fct_trade_flows outgrows the memory limit and
    spills (30.6 s); ten one-year blocks in a union each fit (17.4 s, same rows and euros). A
    small warehouse (the sample) is one block: every block is a copy of the plan of the view it
    reads, and DuckDB's optimizer took 0.5 s over the sample's six one-year blocks, against
    0.1 s for one. A filter put around the aggregate would not reach the scan; the vintage ids,
    as constants, reach the rows ingestion stored by vintage.

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
        'select year, string_agg(distinct vintage_id, \', \' order by vintage_id) as vintages,'
        ~ ' sum(row_count) as row_count from (' ~ periods_sql ~ ') as periods group by year order by year'
    ) -%}
    {%- set limit = var('rows_per_block', 4000000) | int -%}
    {%- set blocks = [] -%}
    {%- for row in found.rows -%}
        {%- set year, vintages, rows = row[0] | int | string, row[1], row[2] | int -%}
        {%- if blocks and blocks[-1].row_count + rows <= limit -%}
            {%- do blocks[-1].update({
                'years': blocks[-1].years ~ ', ' ~ year,
                'vintages': blocks[-1].vintages ~ ', ' ~ vintages,
                'row_count': blocks[-1].row_count + rows,
            }) -%}
        {%- else -%}
            {%- do blocks.append({'years': year, 'vintages': vintages, 'row_count': rows}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(blocks or [none]) }}
{%- endmacro %}

{#- The rows of one block of `years_to_load` (`alias` a relation with year and vintage_id): its
    years', of its vintages to load; for the block of every year (none), those of `periods`
    (a CTE of the periods to load). -#}
{% macro year_block_filter(alias, block, periods) -%}
    {%- if block is none -%}
        {{ alias }}.vintage_id in (select {{ periods }}.vintage_id from {{ periods }})
    {%- else -%}
        {{ alias }}.year in ({{ block.years }}) and {{ alias }}.vintage_id in ({{ block.vintages }})
    {%- endif -%}
{%- endmacro %}
