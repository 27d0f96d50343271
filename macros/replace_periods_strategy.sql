{#-
    Incremental strategy `replace_periods`: the new rows replace, whole, every period
    (`unique_key`: the columns naming a period, e.g. flow, year, quarter) they belong to. Rows
    of the target in those periods are deleted, then the new rows inserted. Unlike dbt's
    delete+insert with a list of keys (a many-to-many join between target and new rows), the
    delete reads the distinct periods of the new rows once (a semi-join).
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
