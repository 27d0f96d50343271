{#-
    The body of a `years_to_build` CTE for a model incremental by year (strategy
    replace_periods, unique_key ['year']) that stores `source_vintages`: every year with its
    current signature (int_years__current_vintages) on a full build; on an incremental one,
    only the years whose signature differs from the one the model's rows were built from
    (new or revised quarters).
-#}
{% macro years_to_rebuild() -%}
    select
        current_years.year,
        current_years.source_vintages
    from {{ ref('int_years__current_vintages') }} as current_years
    {%- if is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as built
            where
                built.year = current_years.year
                and built.source_vintages = current_years.source_vintages
        )
    {%- endif %}
{%- endmacro %}
