{#-
    The `raw` sources, on each engine. On DuckDB they are the tables ingestion writes into the
    warehouse: nothing to do. On Spark they are tables over the Parquet landing of those tables
    (orchestration/spark_landing.py): `raw.<table>` over `<landing>/<table>/`, partitions
    (customs_flows' vintage_id=…/ folders) recovered. The staging models that read a raw source
    declare it before they run (their pre-hook, dbt_project.yml), so `dbt build --target spark`
    needs nothing else.

    The landing: COMEX_SPARK_RAW_PATH (a path or URI the Spark cluster reads: s3a://…, hdfs://…),
    else `raw_parquet/` beside the DuckDB warehouse (COMEX_WAREHOUSE, else data/warehouse/).
-#}
{% macro raw_sources_for_this_model() -%}
    {{ return(adapter.dispatch('raw_sources_for_this_model')()) }}
{%- endmacro %}

{% macro duckdb__raw_sources_for_this_model() -%}
{%- endmacro %}

{% macro spark__raw_sources_for_this_model() -%}
    {%- if execute -%}
        {%- for source_name, table_name in model.sources if source_name == 'raw' -%}
            {%- set relation = source(source_name, table_name) -%}
            {%- set location = spark_raw_landing() ~ '/' ~ relation.identifier -%}
            {%- do run_query('create database if not exists ' ~ relation.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query('create table ' ~ relation ~ " using parquet location '" ~ location ~ "'") -%}
            {%- if table_name == 'customs_flows' -%}
                {%- do run_query('alter table ' ~ relation ~ ' recover partitions') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro spark_raw_landing() -%}
    {%- set warehouse = env_var('COMEX_WAREHOUSE', 'data/warehouse/comex.duckdb') | replace('\\', '/') -%}
    {%- set beside_warehouse = (warehouse.rsplit('/', 1)[0] if '/' in warehouse else '.') ~ '/raw_parquet' -%}
    {{ return(env_var('COMEX_SPARK_RAW_PATH', beside_warehouse).rstrip('/')) }}
{%- endmacro %}
