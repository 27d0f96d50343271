{#-
    Fails for every combination of `columns` that appears more than once (composite key).
    Two stages, for the large tables (the fact holds ~4 M rows a year): group one 64-bit hash
    of the key, then group the full key only for the rows whose hash repeats. A hash collision
    never fails the test: the second stage checks the real values.
    `newest_by` (optional, a timestamp column such as built_at) limits the test to the rows
    built last, for an incremental model whose key includes the periods it replaces whole:
    rows of older periods were tested when they were built, and cannot collide with new ones.
    Usage (model level):
        data_tests:
          - unique_combination:
              arguments:
                columns: [country_code, valid_from]
                newest_by: built_at  # optional
-#}
{% test unique_combination(model, columns, newest_by=none) %}
    {#- The tested rows in each CTE, not a CTE of their own (DuckDB would materialise it: see row_rules). -#}
    {%- set tested -%}
        (
            select {{ columns | join(', ') }}
            from {{ model }}
            where {% if newest_by %}{{ newest_by }} = (select max({{ newest_by }}) from {{ model }}){% else %}true{% endif %}
        ) as tested
    {%- endset -%}
    with repeated_hashes as (
        select {{ key_hash(columns) }} as key_hash
        from {{ tested }}
        group by key_hash
        having count(*) > 1
    )

    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ tested }}
    where {{ key_hash(columns) }} in (select repeated_hashes.key_hash from repeated_hashes)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
