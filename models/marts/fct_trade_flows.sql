-- Current-vintage customs flows. Grain: (year, quarter, flow, departement_code, a129_code,
-- cpf4_code, country_code); lines a file repeats at that grain are summed, and line_count
-- says how many there were (a vintage with none, counted at ingestion, is taken as it is).
-- region_code is the région the département counts in
-- (int_territories__departements: its current région, or for an unknown département the
-- région its rows carry); vintage_id is the one vintage a (flow, year, quarter) comes from.
-- A view on DuckDB: the rows stay where ingestion wrote them (raw.customs_flows, stored by
-- vintage), and a reader filtering on vintage_id or year reads only those row groups
-- (fct_territory_flows reads the years it rebuilds). As a table it was a second copy of the
-- largest table of the warehouse, written again at every refresh. A table on Spark, which
-- re-reads a chain of views at every read.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

-- Vintages counted at ingestion with no row repeating another's grain: their rows are the grain
-- already, taken as they are (summing millions of one-row groups costs more than the rest of
-- the model). The others, and those ingested before comex counted, are summed.
grain_vintages as (

    select vintages.vintage_id
    from {{ ref('stg_customs__vintages') }} as vintages
    where vintages.repeated_grain_rows = 0

),

rows_at_grain as (

    select
        current_vintage.year,
        current_vintage.quarter,
        current_vintage.flow,
        current_vintage.departement_code,
        current_vintage.a129_code,
        current_vintage.cpf4_code,
        current_vintage.country_code,
        current_vintage.vintage_id,
        current_vintage.value_eur,
        current_vintage.mass_kg,
        1 as line_count
    from {{ ref('int_flows__current_vintage') }} as current_vintage
    where current_vintage.vintage_id in (select grain_vintages.vintage_id from grain_vintages)

),

rows_summed as (

    select
        current_vintage.year,
        current_vintage.quarter,
        current_vintage.flow,
        current_vintage.departement_code,
        current_vintage.a129_code,
        current_vintage.cpf4_code,
        current_vintage.country_code,
        current_vintage.vintage_id,
        sum(current_vintage.value_eur) as value_eur,
        sum(current_vintage.mass_kg) as mass_kg,
        count(*) as line_count
    from {{ ref('int_flows__current_vintage') }} as current_vintage
    where current_vintage.vintage_id not in (select grain_vintages.vintage_id from grain_vintages)
    group by
        current_vintage.year,
        current_vintage.quarter,
        current_vintage.flow,
        current_vintage.departement_code,
        current_vintage.a129_code,
        current_vintage.cpf4_code,
        current_vintage.country_code,
        current_vintage.vintage_id

),

aggregated as (

    select * from rows_at_grain
    union all
    select * from rows_summed

)

select
    cast(aggregated.year as integer) as year,
    cast(aggregated.quarter as integer) as quarter,
    cast(aggregated.flow as {{ dbt.type_string() }}) as flow,
    cast(aggregated.departement_code as {{ dbt.type_string() }}) as departement_code,
    cast(aggregated.a129_code as {{ dbt.type_string() }}) as a129_code,
    cast(aggregated.cpf4_code as {{ dbt.type_string() }}) as cpf4_code,
    cast(aggregated.country_code as {{ dbt.type_string() }}) as country_code,
    cast(departements.region_code as {{ dbt.type_string() }}) as region_code,
    cast(aggregated.vintage_id as integer) as vintage_id,
    cast(aggregated.value_eur as bigint) as value_eur,
    cast(aggregated.mass_kg as bigint) as mass_kg,
    cast(aggregated.line_count as integer) as line_count
from aggregated
left join {{ ref('int_territories__departements') }} as departements
    on aggregated.departement_code = departements.departement_code
