-- What each publication changed: for every (flow, year, quarter) whose current vintage
-- replaced an earlier one, the trade of every territory before (the vintage it replaced) and
-- after (the current one). Territories stack like fct_territory_flows (département, région,
-- France). A territory present on one side only counts its whole value as the change.
-- comex status, the revision warning and the national revision gate all read this model.
-- Grain: (flow, year, quarter, level, territory_code).
-- Incremental: a period is computed again when its current vintage changes.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['flow', 'year', 'quarter'])
) }}

with

periods as (

    select
        current_periods.flow,
        current_periods.year,
        current_periods.quarter,
        current_periods.vintage_id,
        current_periods.previous_vintage_id
    from {{ ref('int_periods__current_vintage') }} as current_periods
    where
        current_periods.previous_vintage_id is not null
        {%- if is_incremental() %}
            and not exists (
                select 1
                from {{ this }} as loaded
                where
                    loaded.flow = current_periods.flow
                    and loaded.year = current_periods.year
                    and loaded.quarter = current_periods.quarter
                    and loaded.vintage_id = current_periods.vintage_id
            )
        {%- endif %}

),

sides as (

    select
        periods.flow,
        periods.year,
        periods.quarter,
        periods.vintage_id,
        periods.previous_vintage_id,
        coalesce(departements.region_code, flows.region_code) as region_code,
        flows.departement_code,
        sum(
            case when flows.vintage_id = periods.previous_vintage_id then flows.value_eur else 0 end
        ) as before_eur,
        sum(case when flows.vintage_id = periods.vintage_id then flows.value_eur else 0 end) as after_eur
    from periods
    inner join {{ ref('stg_customs__flows') }} as flows
        on
            periods.flow = flows.flow
            and periods.year = flows.year
            and periods.quarter = flows.quarter
            and flows.vintage_id in (periods.vintage_id, periods.previous_vintage_id)
    left join {{ ref('int_territories__departements') }} as departements
        on flows.departement_code = departements.departement_code
    group by
        periods.flow,
        periods.year,
        periods.quarter,
        periods.vintage_id,
        periods.previous_vintage_id,
        coalesce(departements.region_code, flows.region_code),
        flows.departement_code

),

stacked as (

    {{ stack_territory_levels(
        'sides',
        ['flow', 'year', 'quarter', 'vintage_id', 'previous_vintage_id'],
        ['before_eur', 'after_eur']
    ) | indent(4) }}

)

select
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(vintage_id as integer) as vintage_id,
    cast(previous_vintage_id as integer) as previous_vintage_id,
    cast(before_eur as bigint) as before_eur,
    cast(after_eur as bigint) as after_eur,
    cast(after_eur - before_eur as bigint) as change_eur,
    cast(after_eur - before_eur as double) / nullif(cast(before_eur as double), 0) as relative_change
from stacked
