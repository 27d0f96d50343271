-- Current-vintage customs flows. Grain: (year, quarter, flow, departement_code, cpf4_code,
-- country_code); duplicate file lines at that grain are summed. region_code (of the
-- département), a129_code (of the CPF4 code, as carried by the customs rows) and vintage_id
-- (the one vintage a (flow, year, quarter) comes from) are functionally dependent on the
-- grain: grouping by them is cheaper than aggregating them, and the grain test proves it.
with

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
    from {{ ref('int_flows__current_vintage') }}

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
    cast(mass_kg as bigint) as mass_kg
from aggregated
