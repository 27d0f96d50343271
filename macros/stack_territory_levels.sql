{#-
    Stack rows keyed by département into the three territory levels in one pass, with
    GROUPING SETS (portable: DuckDB, Spark):
      level 'departement' -> territory_code = DGDDI département code
      level 'region'      -> territory_code = DGDDI région code (sum of its départements)
      level 'france'      -> territory_code 'FR' (sum of every département, DOM and Monaco)

    `relation` must have columns departement_code and region_code, plus `keys` (kept as is)
    and `measures` (summed). Renders a select statement (no trailing semicolon), columns:
    keys..., level, territory_code, measures...
    `relation` may be a list: the stacks of each, in a union all (blocks of years, each
    aggregated on its own: macros/years_to_load.sql).
-#}
{% macro stack_territory_levels(relation, keys, measures) -%}
    {%- set relations = [relation] if relation is string else relation -%}
    {%- set stacks = [] -%}
    {%- for one in relations -%}
        {%- do stacks.append(stack_one_relation(one, keys, measures)) -%}
    {%- endfor -%}
    {{ stacks | join('\n    union all\n    ') }}
{%- endmacro %}

{% macro stack_one_relation(relation, keys, measures) -%}
    {%- set key_list = keys | join(', ') -%}
    select
    {%- for key in keys %}
        {{ key }},
    {%- endfor %}
        case
            when grouping(region_code) = 1 then 'france'
            when grouping(departement_code) = 1 then 'region'
            else 'departement'
        end as level,
        case
            when grouping(region_code) = 1 then 'FR'
            when grouping(departement_code) = 1 then region_code
            else departement_code
        end as territory_code,
    {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
    group by grouping sets (
        ({{ key_list }}, region_code, departement_code),
        ({{ key_list }}, region_code),
        ({{ key_list }})
    )
{%- endmacro %}
