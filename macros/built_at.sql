{#- When this dbt invocation started (dbt's run_started_at, UTC): the `built_at` of the rows it writes. -#}
{% macro built_at() -%}
    cast('{{ run_started_at }}' as timestamp)
{%- endmacro %}
