{#-
    Fails for every row where the boolean SQL `expression` is not true (false or null).
    Usage (model level):
        data_tests:
          - expression_is_true:
              arguments:
                expression: "(zone = 'Union européenne') = is_eu27"
-#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
