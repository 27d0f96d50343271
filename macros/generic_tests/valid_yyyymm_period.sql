{#-
    Fails for rows whose validity period is not two YYYYMM integers (month 01-12, year >= 1900)
    with from <= to. Usage (model level):
        data_tests:
          - valid_yyyymm_period:
              arguments:
                from_column: valid_from
                to_column: valid_to
-#}
{% test valid_yyyymm_period(model, from_column, to_column) %}
    select *
    from {{ model }}
    where
        {{ from_column }} is null
        or {{ to_column }} is null
        or {{ from_column }} < 190001
        or {{ to_column }} > 999912
        or {{ from_column }} % 100 not between 1 and 12
        or {{ to_column }} % 100 not between 1 and 12
        or {{ from_column }} > {{ to_column }}
{% endtest %}
