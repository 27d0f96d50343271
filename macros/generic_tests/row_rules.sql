{#-
    Every row-level rule of a model in one test (one node, one scan): each named boolean
    expression must hold on every row, the `not_null` columns must hold no null, and the
    `unique` columns, if given, must be a key.
    Fails with one row per broken rule and how many rows break it. `newest_by` (optional, a
    timestamp such as built_at) limits the test to the rows built last, for an incremental
    model whose key includes the periods it replaces whole. `vintages_after_var` (optional, the
    name of a dbt var holding a vintage id, 0 by default) limits it to the rows of the vintages
    after that one, for a view whose key includes the periods a vintage brings whole.
    Usage (model level):
        data_tests:
          - row_rules:
              arguments:
                unique: [year, level, territory_code, flow]
                not_null: [territory_label]
                rules:
                  share_of_france_is_a_fraction: "share_of_france between 0 and 1"
-#}
{% test row_rules(model, rules={}, unique=none, not_null=[], newest_by=none, vintages_after_var=none) %}
    {%- set checked = {} -%}
    {%- for column in not_null -%}
        {%- do checked.update({column ~ "_is_not_null": column ~ " is not null"}) -%}
    {%- endfor -%}
    {%- do checked.update(rules) -%}
    {%- set newest = "true" -%}
    {%- if newest_by -%}
        {%- set newest = newest_by ~ " = (select max(" ~ newest_by ~ ") from " ~ model ~ ")" -%}
    {%- elif vintages_after_var -%}
        {%- set newest = "vintage_id > " ~ (var(vintages_after_var, 0) | int) -%}
    {%- endif -%}
    {%- set key = unique or ["1"] -%}
    {#- The tested rows, written out in each CTE rather than as a CTE of their own: DuckDB
        materialises a CTE read more than once (every column of every row: on 40 million rows,
        3× the time of the test), while each derived table reads only the columns it needs. -#}
    {%- set tested -%}(select * from {{ model }} where {{ newest }}) as tested{%- endset -%}
    with broken as (
        select
            {% for name, expression in checked.items() -%}
                sum(case when coalesce({{ expression }}, false) then 0 else 1 end) as {{ name }},
            {% endfor -%}
            count(*) as tested_rows
        from {{ tested }}
    ),

    repeated_hashes as (
        select {{ key_hash(key) }} as key_hash
        from {{ tested }}
        where {{ "true" if unique else "false" }}
        group by {{ key_hash(key) }}
        having count(*) > 1
    ),

    repeated_keys as (
        select {{ key | join(', ') }}
        from {{ tested }}
        where {{ key_hash(key) }} in (select repeated_hashes.key_hash from repeated_hashes)
        group by {{ key | join(', ') }}
        having count(*) > 1
    ),

    results as (
        {% for name in checked -%}
            select
                '{{ name }}' as rule,
                {{ name }} as failing_rows
            from broken
            union all
        {% endfor -%}
        select
            'unique ({{ key | join(", ") }})' as rule,
            count(*) as failing_rows
        from repeated_keys
    )

    select
        rule,
        failing_rows
    from results
    where failing_rows > 0
{% endtest %}
