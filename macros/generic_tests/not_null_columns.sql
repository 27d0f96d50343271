{#-
    Fails with one row per listed column that holds nulls (column_name, null_rows), in one
    scan of the model: one node where a `not_null` test per column would be one node each.
    Usage (model level):
        data_tests:
          - not_null_columns:
              arguments:
                columns: [cpf4_code, cpf4_label, valid_from]
-#}
{% test not_null_columns(model, columns) %}
    with null_counts as (
        select
            {% for column in columns %}count(*) filter (where {{ column }} is null) as {{ column }}
            {%- if not loop.last %}, {% endif %}{% endfor %}
        from {{ model }}
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
{% endtest %}
