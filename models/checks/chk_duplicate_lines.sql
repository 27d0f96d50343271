-- Lines a file repeats at the grain of fct_trade_flows (same flow, quarter, département, A129,
-- CPF4 and country): their euros are summed, which may count a value twice. A warning, per
-- vintage, flow and quarter: the cells concerned, the lines beyond the first and the euros of
-- those cells. gap = the extra lines. Only the current rows of the vintages whose rows repeat a
-- grain (counted at ingestion, raw.vintage_grain, or ingested before comex counted) are read:
-- the others' rows are each their own grain (fct_trade_flows' grain test checks it), and a
-- scan of every row through the view, at each read of this check, cost ~1 s on 10 years.
with

summed_vintages as (

    select
        vintage_id,
        source_name as file_name
    from {{ ref('stg_customs__vintages') }}
    where repeated_grain_rows is distinct from 0

),

repeated_cells as (

    select
        current_vintage.vintage_id,
        current_vintage.flow,
        current_vintage.year,
        current_vintage.quarter,
        count(*) as line_count,
        sum(current_vintage.value_eur) as value_eur
    from summed_vintages
    inner join {{ ref('int_flows__current_vintage') }} as current_vintage
        on summed_vintages.vintage_id = current_vintage.vintage_id
    group by
        current_vintage.vintage_id,
        current_vintage.flow,
        current_vintage.year,
        current_vintage.quarter,
        current_vintage.departement_code,
        current_vintage.a129_code,
        current_vintage.cpf4_code,
        current_vintage.country_code
    having count(*) > 1

),

duplicated as (

    select
        vintage_id,
        flow,
        year,
        quarter,
        count(*) as cells,
        sum(line_count - 1) as extra_lines,
        sum(value_eur) as value_eur
    from repeated_cells
    group by vintage_id, flow, year, quarter

)

select
    duplicated.vintage_id,
    summed_vintages.file_name,
    duplicated.flow,
    duplicated.year,
    duplicated.quarter,
    duplicated.cells,
    duplicated.extra_lines,
    duplicated.value_eur,
    cast(duplicated.extra_lines as double) as gap
from duplicated
inner join summed_vintages
    on duplicated.vintage_id = summed_vintages.vintage_id
