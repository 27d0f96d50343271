-- Trade of every territory (département, région, France) per quarter and flow, with its
-- share of its région's and of France's trade that quarter.
-- Grain: (year, quarter, level, territory_code, flow).
with

departement_quarters as (

    select
        year,
        quarter,
        flow,
        region_code,
        departement_code,
        sum(value_eur) as value_eur
    from {{ ref('fct_trade_flows') }}
    group by
        year,
        quarter,
        flow,
        region_code,
        departement_code

),

stacked as (

    {{ stack_territory_levels(
        'departement_quarters',
        ['year', 'quarter', 'flow'],
        ['value_eur']
    ) | indent(4) }}

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
        as share_of_france
from totals
