{#-
    Growth rates as doubles (fractions), portable (DuckDB, Spark): null, never 0, when the
    reference is 0 or null.
      growth_rate: current / reference − 1
      compound_growth_rate: (current / reference)^(1 / years) − 1, UNCTAD's exponential
        (compound annual) growth rate; null when either value is ≤ 0.
-#}
{% macro growth_rate(current, reference) -%}
    {{ safe_divide(current, reference) }} - 1
{%- endmacro %}

{% macro compound_growth_rate(current, reference, years) -%}
    case
        when {{ current }} > 0 and {{ reference }} > 0
            then power(
                cast({{ current }} as double) / cast({{ reference }} as double),
                1.0 / {{ years }}
            ) - 1
    end
{%- endmacro %}
