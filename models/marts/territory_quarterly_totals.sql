-- Trade of every territory (département, région, France) per quarter and flow, with its
-- share of its région's and of France's trade that quarter, and its change on the same
-- quarter of the previous year. Grain: (year, quarter, level, territory_code, flow).
-- Incremental: rebuilds the periods (flow, year, quarter) fct_territory_flows rebuilt in the
-- same run, and the same quarters of the next year (their growth_yoy compares with them),
-- and replaces them whole. Unchanged periods are read back from this table.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['flow', 'year', 'quarter'])
) }}

with

rebuilt as (

    select
        year,
        quarter,
        level,
        territory_code,
        flow,
        sum(value_eur) as value_eur
    from {{ ref('fct_territory_flows') }}
    where {{ built_in_this_run() }}
    group by
        year,
        quarter,
        level,
        territory_code,
        flow

),

rebuilt_periods as (

    select distinct
        year,
        quarter,
        flow
    from rebuilt

),

kept as (

    {% if is_incremental() -%}
        select
            kept_rows.year,
            kept_rows.quarter,
            kept_rows.level,
            kept_rows.territory_code,
            kept_rows.flow,
            kept_rows.value_eur
        from {{ this }} as kept_rows
        left join rebuilt_periods
            on
                kept_rows.year = rebuilt_periods.year
                and kept_rows.quarter = rebuilt_periods.quarter
                and kept_rows.flow = rebuilt_periods.flow
        where rebuilt_periods.year is null
    {%- else -%}
        select
            year,
            quarter,
            level,
            territory_code,
            flow,
            value_eur
        from rebuilt
        where false
    {%- endif %}

),

quarterly as (

    select * from rebuilt
    union all
    select * from kept

),

periods_to_write as (

    select
        year,
        quarter,
        flow
    from rebuilt_periods
    union
    select
        rebuilt_periods.year + 1 as year,
        rebuilt_periods.quarter,
        rebuilt_periods.flow
    from rebuilt_periods

),

territories as (

    select
        level,
        territory_code,
        territory_label,
        parent_region_code
    from {{ ref('dim_territory') }}

),

totals as (

    select
        quarterly.year,
        quarterly.quarter,
        quarterly.level,
        quarterly.territory_code,
        territories.territory_label,
        territories.parent_region_code,
        quarterly.flow,
        quarterly.value_eur,
        previous_year.value_eur as previous_year_value_eur
    from quarterly
    inner join periods_to_write
        on
            quarterly.year = periods_to_write.year
            and quarterly.quarter = periods_to_write.quarter
            and quarterly.flow = periods_to_write.flow
    left join quarterly as previous_year
        on
            quarterly.year - 1 = previous_year.year
            and quarterly.quarter = previous_year.quarter
            and quarterly.level = previous_year.level
            and quarterly.territory_code = previous_year.territory_code
            and quarterly.flow = previous_year.flow
    left join territories
        on
            quarterly.level = territories.level
            and quarterly.territory_code = territories.territory_code

)

select
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(value_eur as bigint) as value_eur,
    case
        when level = 'departement'
            then {{ safe_share(
                'value_eur',
                'sum(value_eur) over (partition by year, quarter, flow, level, parent_region_code)'
            ) }}
    end as share_of_region,
    {{ safe_share('value_eur', 'sum(value_eur) over (partition by year, quarter, flow, level)') }}
        as share_of_france,
    {{ growth_rate('value_eur', 'previous_year_value_eur') }} as growth_yoy,
    {{ built_at() }} as built_at
from totals
