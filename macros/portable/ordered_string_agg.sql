{#-
    The values of a group joined into one string, in a set order: ordered_string_agg(measure,
    "','", ['flow', 'quarter']) -> 'export-1:3,export-2:3,…'. Ties on the order columns are
    broken by the value itself, so the string is the same on every engine and every run.
    dbt.listagg cannot be used: on Spark it ignores the order. Engine-specific: dispatched.
-#}
{% macro ordered_string_agg(measure, delimiter_text, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg')(measure, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro duckdb__ordered_string_agg(measure, delimiter_text, order_by) -%}
    string_agg({{ measure }}, {{ delimiter_text }} order by {{ (order_by + [measure]) | join(', ') }})
{%- endmacro %}

{#- Spark: collect (order keys…, value) structs, sort them (structs sort field by field), keep the values. -#}
{% macro spark__ordered_string_agg(measure, delimiter_text, order_by) -%}
    {%- set keys = [] -%}
    {%- for key in order_by -%}
        {%- do keys.append("'k" ~ loop.index ~ "', " ~ key) -%}
    {%- endfor -%}
    array_join(
        transform(
            array_sort(collect_list(named_struct({{ keys | join(', ') }}, 'value', {{ measure }}))),
            entry -> entry.value
        ),
        {{ delimiter_text }}
    )
{%- endmacro %}

{% macro default__ordered_string_agg(measure, delimiter_text, order_by) -%}
    {{ exceptions.raise_compiler_error(
        "ordered_string_agg has no implementation for adapter '" ~ adapter.type() ~ "': add "
        ~ adapter.type() ~ "__ordered_string_agg (macros/portable/ordered_string_agg.sql)"
    ) }}
{%- endmacro %}
