{#-
    numerator / denominator as a double, null (never 0) when the denominator is 0 or null.
    Portable (DuckDB, Spark): plain casts and nullif.
-#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0)
{%- endmacro %}

{#- A share (fraction 0-1) of a total: safe_divide, named for what it computes. -#}
{% macro safe_share(numerator, denominator) -%}
    {{ safe_divide(numerator, denominator) }}
{%- endmacro %}
