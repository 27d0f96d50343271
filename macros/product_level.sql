{#-
    The product level of rankings and flow links, from var `product_level`
    (a129 default, a38 or cpf4). Fails when models run or compile on any other value.

    product_level()         -> 'a129' | 'a38' | 'cpf4'
    product_source_column() -> the customs column the product is read from:
                               a129_code for a129 and a38 (A38 is derived from A129),
                               cpf4_code for cpf4.
-#}
{% macro product_level() -%}
    {%- set level = (var('product_level', 'a129') | string | trim | lower) -%}
    {%- if execute and level not in ['a129', 'a38', 'cpf4'] -%}
        {{ exceptions.raise_compiler_error(
            "var product_level must be one of a129, a38, cpf4; got '" ~ level ~ "'"
        ) }}
    {%- endif -%}
    {{ return(level) }}
{%- endmacro %}

{% macro product_source_column() -%}
    {{ return('cpf4_code' if product_level() == 'cpf4' else 'a129_code') }}
{%- endmacro %}
