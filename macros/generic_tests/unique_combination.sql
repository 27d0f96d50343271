{#-
    Fails for every combination of `columns` that appears more than once (composite key).
    Two stages, for the large tables (the fact holds ~4 M rows a year): group one 64-bit hash
    of the key, then group the full key only for the rows whose hash repeats. A hash collision
    never fails the test: the second stage checks the real values.
    Usage (model level):
        data_tests:
          - unique_combination:
              arguments:
                columns: [country_code, valid_from]
-#}
{% test unique_combination(model, columns) %}
    with repeated_hashes as (
        select hash({{ columns | join(', ') }}) as key_hash
        from {{ model }}
        group by key_hash
        having count(*) > 1
    )

    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    where hash({{ columns | join(', ') }}) in (select repeated_hashes.key_hash from repeated_hashes)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
