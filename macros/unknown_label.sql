{#- The label of a code that no label list knows: `Code inconnu (XX)`. Its euros still count. -#}
{% macro unknown_label(code) -%}
    {{ dbt.concat(["'Code inconnu ('", code, "')'"]) }}
{%- endmacro %}
