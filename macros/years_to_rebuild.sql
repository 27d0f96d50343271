{#-
    The body of a `years_to_build` CTE for a mart incremental by year (strategy
    replace_periods, unique_key ['year']) that stores `source_vintages`: every year with its
    current signature (int_years__current_vintages) on a full build; on an incremental one,
    only the years of which fct_territory_flows rebuilt a quarter in this run (new or revised
    quarters). A rebuilt year is recomputed from all its quarters and replaced whole.
-#}
{% macro years_to_rebuild() -%}
    select
        current_years.year,
        current_years.source_vintages
    from {{ ref('int_years__current_vintages') }} as current_years
    {%- if is_incremental() %}
        where current_years.year in (
            select distinct rebuilt.year
            from {{ ref('fct_territory_flows') }} as rebuilt
            where {{ built_in_this_run('rebuilt.built_at') }}
        )
    {%- endif %}
{%- endmacro %}
