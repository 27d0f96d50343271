{#-
    dbt's cross-database cast (dbt.cast), as the model contracts use it to read the declared
    column types (`cast(null as <data_type>)`). The marts declare the export contract's types
    (varchar, bigint, double, …); Spark has no length-less VARCHAR: there it is STRING.
-#}
{% macro spark__cast(field, type) -%}
    {%- set spark_type = 'string' if (type | string | trim | lower) in ['varchar', 'text'] else type -%}
    cast({{ field }} as {{ spark_type }})
{%- endmacro %}
