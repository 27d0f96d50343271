{#- Models land in the schema named in dbt_project.yml (staging, intermediate, marts,
    reference) rather than dbt's default "<target>_<custom>" concatenation. On Spark, a target
    schema other than `default` (COMEX_SPARK_SCHEMA) prefixes them: `alice_marts`, `alice_staging`,
    so that two users of one cluster never write each other's tables (the raw sources too:
    _customs__sources.yml). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'spark' and target.schema != 'default' -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
