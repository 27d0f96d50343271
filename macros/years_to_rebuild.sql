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
        -- distinct, then join: a correlated `not exists` on the 10-year table took 10x longer
        left join (select distinct year, source_vintages from {{ this }}) as built
            on
                current_years.year = built.year
                and current_years.source_vintages = built.source_vintages
        where built.year is null
    {%- endif %}
{%- endmacro %}
