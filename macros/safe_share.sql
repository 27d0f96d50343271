{#-
    A share as a double in [0, 1]: numerator / denominator, null when the denominator is 0
    or null. Portable (DuckDB, Spark): plain casts and nullif.
-#}
{% macro safe_share(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0)
{%- endmacro %}
