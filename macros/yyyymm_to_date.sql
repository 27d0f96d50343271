{#-
    Convert a YYYYMM integer (as published by DGDDI, 999912 = "still valid") to a date.

    yyyymm_to_date(column)                    -> first day of the month
    yyyymm_to_date(column, end_of_month=true) -> last day of the month; 999912 -> 9999-12-31

    Portable default built on dbt's cross-database macros (concat, type_string, last_day);
    an adapter needing other syntax adds `<adapter>__yyyymm_to_date`.
-#}
{% macro yyyymm_to_date(column, end_of_month=false) -%}
    {{ return(adapter.dispatch('yyyymm_to_date')(column, end_of_month)) }}
{%- endmacro %}

{% macro default__yyyymm_to_date(column, end_of_month=false) -%}
    {%- set as_text = "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
    {%- set parts = [
        "substr(" ~ as_text ~ ", 1, 4)", "'-'", "substr(" ~ as_text ~ ", 5, 2)", "'-01'"
    ] -%}
    {%- set first_day = "cast(" ~ dbt.concat(parts) ~ " as date)" -%}
    {%- if end_of_month -%}
        case
            when {{ column }} = 999912 then cast('9999-12-31' as date)
            else cast({{ dbt.last_day(first_day, 'month') }} as date)
        end
    {%- else -%}
        {{ first_day }}
    {%- endif -%}
{%- endmacro %}
