{#-
    Fails with one row per listed column that holds nulls (column_name, null_rows), in one
    scan of the model: one node where a `not_null` test per column would be one node each.
    Usage (model level):
        data_tests:
          - not_null_columns:
              arguments:
                columns: [cpf4_code, cpf4_label, valid_from]
    Counting is portable; turning the one row of counts into one row per column is not
    (DuckDB's UNPIVOT, Spark's stack): dispatched.
-#}
{% test not_null_columns(model, columns) %}
    {{ adapter.dispatch('test_not_null_columns')(model, columns) }}
{% endtest %}

{% macro not_null_column_counts(model, columns) -%}
    select
    {%- for column in columns %}
        count(case when {{ column }} is null then 1 end) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
{%- endmacro %}

{% macro duckdb__test_not_null_columns(model, columns) %}
    with null_counts as (
        {{ not_null_column_counts(model, columns) }}
    ),

    by_column as (
        unpivot null_counts
        on columns(*)
        into name column_name value null_rows
    )

    select
        column_name,
        null_rows
    from by_column
    where null_rows > 0
{% endmacro %}

{% macro spark__test_not_null_columns(model, columns) %}
    with null_counts as (
        {{ not_null_column_counts(model, columns) }}
    ),

    by_column as (
        select stack(
            {{ columns | length }},
            {% for column in columns %}'{{ column }}', {{ column }}{{ ", " if not loop.last }}{% endfor %}
        ) as (column_name, null_rows)
        from null_counts
    )

    select
        column_name,
        null_rows
    from by_column
    where null_rows > 0
{% endmacro %}

{% macro default__test_not_null_columns(model, columns) -%}
    {{ exceptions.raise_compiler_error(
        "not_null_columns has no implementation for adapter '" ~ adapter.type() ~ "': add "
        ~ adapter.type() ~ "__test_not_null_columns (macros/generic_tests/not_null_columns.sql)"
    ) }}
{%- endmacro %}
