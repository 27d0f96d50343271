{#- When this dbt invocation started (dbt's run_started_at, UTC): the `built_at` of the rows it writes. -#}
{% macro built_at() -%}
    cast('{{ run_started_at }}' as timestamp)
{%- endmacro %}

{#-
    A filter for the models that rebuild, incrementally, what their parent rebuilt in this
    run: `built_at = <this run>` on an incremental run, `true` on a full build. The whole
    refresh is one dbt invocation, so a parent's rows built in it carry this run's built_at.
-#}
{% macro built_in_this_run(column='built_at') -%}
    {%- if is_incremental() -%}
        {{ column }} = {{ built_at() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
