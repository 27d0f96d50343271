-- Current-vintage customs flows. Grain: (year, quarter, flow, departement_code, cpf4_code,
-- country_code); duplicate file lines at that grain are summed. region_code (of the
-- département), a129_code (of the CPF4 code, as carried by the customs rows) and vintage_id
-- (the one vintage a (flow, year, quarter) comes from) are functionally dependent on the
-- grain: grouping by them is cheaper than aggregating them, and the grain test proves it.
-- Incremental: a refresh rebuilds only the periods (flow, year, quarter) whose current vintage
-- is not the one already loaded (new or revised quarters) and replaces them whole; a change to
-- the dbt project makes the refresh rebuild everything (--full-refresh). built_at: when dbt
-- built the period (its grain test checks only the periods built last).
{{ config(
    materialized='incremental',
    incremental_strategy='replace_periods',
    unique_key=['flow', 'year', 'quarter'],
    on_schema_change='fail'
) }}
-- depends_on: {{ ref('int_periods__current_vintage') }}

with

{% if is_incremental() %}
    loaded_periods as (

        select distinct
            flow,
            year,
            quarter,
            vintage_id
        from {{ this }}

    ),

    periods_to_load as (

        select
            current_periods.flow,
            current_periods.year,
            current_periods.quarter
        from {{ ref('int_periods__current_vintage') }} as current_periods
        left join loaded_periods
            on
                current_periods.flow = loaded_periods.flow
                and current_periods.year = loaded_periods.year
                and current_periods.quarter = loaded_periods.quarter
                and current_periods.vintage_id = loaded_periods.vintage_id
        where loaded_periods.vintage_id is null

    ),

{% endif %}
current_flows as (

    select
        year,
        quarter,
        flow,
        departement_code,
        region_code,
        cpf4_code,
        a129_code,
        country_code,
        vintage_id,
        value_eur,
        mass_kg
    from {{ ref('int_flows__current_vintage') }} as current_vintage
    {% if is_incremental() %}
        where exists (
            select 1
            from periods_to_load
            where
                periods_to_load.flow = current_vintage.flow
                and periods_to_load.year = current_vintage.year
                and periods_to_load.quarter = current_vintage.quarter
        )
    {% endif %}

),

aggregated as (

    select
        year,
        quarter,
        flow,
        departement_code,
        cpf4_code,
        country_code,
        region_code,
        a129_code,
        vintage_id,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg
    from current_flows
    group by
        year,
        quarter,
        flow,
        departement_code,
        cpf4_code,
        country_code,
        region_code,
        a129_code,
        vintage_id

)

select
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(departement_code as {{ dbt.type_string() }}) as departement_code,
    cast(cpf4_code as {{ dbt.type_string() }}) as cpf4_code,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(region_code as {{ dbt.type_string() }}) as region_code,
    cast(a129_code as {{ dbt.type_string() }}) as a129_code,
    cast(vintage_id as integer) as vintage_id,
    cast(value_eur as bigint) as value_eur,
    cast(mass_kg as bigint) as mass_kg,
    {{ built_at() }} as built_at
from aggregated
