{#-
    A 64-bit hash of a key's columns, grouped before the key itself (cheap on large tables):
    unique_combination and row_rules group it first, then check the real values of the rows
    whose hash repeats (a collision never fails a test). Engine-specific: dispatched.
-#}
{% macro key_hash(columns) -%}
    {{ return(adapter.dispatch('key_hash')(columns)) }}
{%- endmacro %}

{% macro duckdb__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__key_hash(columns) -%}
    {{ exceptions.raise_compiler_error(
        "key_hash has no implementation for adapter '" ~ adapter.type() ~ "': add "
        ~ adapter.type() ~ "__key_hash (macros/portable/key_hash.sql)"
    ) }}
{%- endmacro %}
