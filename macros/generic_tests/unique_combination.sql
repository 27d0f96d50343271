{#-
    Fails for every combination of `columns` that appears more than once (composite key).
    Usage (model level):
        data_tests:
          - unique_combination:
              arguments:
                columns: [country_code, valid_from]
-#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
