-- Trade of every territory (département, région, France) per quarter and flow, with its
-- share of its région's and of France's trade that quarter.
-- Grain: (year, quarter, level, territory_code, flow).
-- Incremental: rebuilds the periods (flow, year, quarter) fct_territory_flows rebuilt in the
-- same run, and replaces them whole.
{{ config(
    materialized='incremental',
    incremental_strategy='replace_periods',
    unique_key=['flow', 'year', 'quarter'],
    on_schema_change='fail'
) }}

with

stacked as (

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
        stacked.year,
        stacked.quarter,
        stacked.level,
        stacked.territory_code,
        territories.territory_label,
        territories.parent_region_code,
        stacked.flow,
        stacked.value_eur
    from stacked
    left join territories
        on
            stacked.level = territories.level
            and stacked.territory_code = territories.territory_code

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
    {{ built_at() }} as built_at
from totals
