{#-
    How the incremental marts rebuild: the new rows replace, whole, every period (the columns
    naming a period, e.g. flow, year, quarter) they belong to. A model declares it with

        {{ config(materialized='incremental', on_schema_change='fail',
                  **replace_periods_config(['flow', 'year', 'quarter'])) }}

    and each engine does it its own way (dispatched):
      DuckDB: the strategy `replace_periods` below (delete those periods, insert the rows);
      Spark:  dbt-spark's `insert_overwrite` on a table partitioned by the period columns, with
              dynamic partition overwrite: the partitions of the new rows are replaced, the
              others kept. (Spark moves partition columns last in the table: read by name.)
-#}
{% macro replace_periods_config(periods) -%}
    {{ return(adapter.dispatch('replace_periods_config')(periods)) }}
{%- endmacro %}

{% macro duckdb__replace_periods_config(periods) -%}
    {{ return({'incremental_strategy': 'replace_periods', 'unique_key': periods}) }}
{%- endmacro %}

{% macro spark__replace_periods_config(periods) -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': periods, 'unique_key': periods}) }}
{%- endmacro %}

{% macro default__replace_periods_config(periods) -%}
    {{ exceptions.raise_compiler_error(
        "replace_periods_config has no implementation for adapter '" ~ adapter.type() ~ "': add "
        ~ adapter.type() ~ "__replace_periods_config (macros/replace_periods_strategy.sql)"
    ) }}
{%- endmacro %}

{#-
    Incremental strategy `replace_periods` (DuckDB): rows of the target in the periods of the
    new rows (`unique_key`) are deleted, then the new rows inserted. Unlike dbt's delete+insert
    with a list of keys (a many-to-many join between target and new rows), the delete reads
    the distinct periods of the new rows once (a semi-join).
-#}
{% macro get_incremental_replace_periods_sql(arg_dict) -%}
    {%- set target = arg_dict["target_relation"] -%}
    {%- set source = arg_dict["temp_relation"] -%}
    {%- set keys = arg_dict["unique_key"] -%}
    {%- set keys = [keys] if keys is string else keys -%}
    {%- set columns = get_quoted_csv(arg_dict["dest_columns"] | map(attribute="name")) -%}
    delete from {{ target }} as replaced_target
    where exists (
        select 1
        from (select distinct {{ keys | join(', ') }} from {{ source }}) as replaced_periods
        where
    {%- for key in keys %}
            replaced_periods.{{ key }} = replaced_target.{{ key }}{{ " and" if not loop.last }}
    {%- endfor %}
    );

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}
