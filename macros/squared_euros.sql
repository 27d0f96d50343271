{#-
    A euro amount squared, exactly: as decimal(38, 0) (a square of 10^11 euros is 10^22, beyond
    bigint). For concentration indices computed from whole euros (Σ v² / (Σ v)²): integer sums do
    not depend on the order they are added in, so every run gives the same result. Portable.
-#}
{% macro squared_euros(amount) -%}
    cast({{ amount }} as decimal(38, 0)) * cast({{ amount }} as decimal(38, 0))
{%- endmacro %}
