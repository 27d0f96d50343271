{#-
    The test of every check model (models/checks/chk_*): fails for each row whose `gap` is
    larger than the project's one tolerance (var `tolerance`, 1e-9: euros are whole numbers,
    so for them this is exact; shares are fractions). Usage (model level):
        data_tests:
          - gap_is_zero
-#}
{% test gap_is_zero(model, column_name='gap') %}
    select *
    from {{ model }}
    where abs({{ column_name }}) > {{ var('tolerance') }}
{% endtest %}
