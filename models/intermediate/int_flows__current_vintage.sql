-- For each (flow, year, quarter), the rows of the latest-published vintage only: a revised
-- quarter replaces the earlier one whole, it is never added to it. A view on every engine: as a
-- table it would copy the largest table of the warehouse.
{{ config(materialized='view') }}

with

current_periods as (

    select
        vintage_id,
        flow,
        year,
        quarter
    from {{ ref('int_periods__current_vintage') }}

),

flows as (

    select * from {{ ref('stg_customs__flows') }}

)

select
    flows.vintage_id,
    flows.line_number,
    flows.flow,
    flows.year,
    flows.quarter,
    flows.departement_code,
    flows.region_code,
    flows.a129_code,
    flows.cpf4_code,
    flows.country_code,
    flows.value_eur,
    flows.mass_kg
from flows
inner join current_periods
    on
        flows.vintage_id = current_periods.vintage_id
        and flows.flow = current_periods.flow
        and flows.year = current_periods.year
        and flows.quarter = current_periods.quarter
