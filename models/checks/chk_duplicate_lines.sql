-- Lines a file repeats at the grain of fct_trade_flows (same flow, quarter, département, A129,
-- CPF4 and country): their euros are summed, which may count a value twice. A warning, per
-- vintage, flow and quarter: the cells concerned, the lines beyond the first and the euros of
-- those cells. gap = the extra lines.
with

duplicated as (

    select
        vintage_id,
        flow,
        year,
        quarter,
        count(*) as cells,
        sum(line_count - 1) as extra_lines,
        sum(value_eur) as value_eur
    from {{ ref('fct_trade_flows') }}
    where
        line_count > 1
        -- only vintages with repeated lines can have any: the others' rows are not read
        and vintage_id in (
            select summed.vintage_id
            from {{ ref('stg_customs__vintages') }} as summed
            where summed.repeated_grain_rows is distinct from 0
        )
    group by vintage_id, flow, year, quarter

),

vintages as (

    select
        vintage_id,
        source_name as file_name
    from {{ ref('stg_customs__vintages') }}

)

select
    duplicated.vintage_id,
    vintages.file_name,
    duplicated.flow,
    duplicated.year,
    duplicated.quarter,
    duplicated.cells,
    duplicated.extra_lines,
    duplicated.value_eur,
    cast(duplicated.extra_lines as double) as gap
from duplicated
inner join vintages
    on duplicated.vintage_id = vintages.vintage_id
