-- Every euro of every file is kept or rejected: per vintage, flow and quarter (a null period
-- gathers the lines whose period cannot be read), the lines and euros read from the file
-- equal the kept rows plus the rejected ones. gap_eur / gap_rows: what is missing.
with

reconciliation as (

    select
        vintage_id,
        flow,
        year,
        quarter,
        line_count,
        value_eur,
        kept_rows,
        kept_eur,
        rejected_rows,
        rejected_eur
    from {{ ref('stg_customs__reconciliation') }}

),

vintages as (

    select
        vintage_id,
        source_name as file_name
    from {{ ref('stg_customs__vintages') }}

)

select
    reconciliation.vintage_id,
    vintages.file_name,
    reconciliation.flow,
    reconciliation.year,
    reconciliation.quarter,
    reconciliation.line_count,
    reconciliation.value_eur,
    reconciliation.kept_rows,
    reconciliation.kept_eur,
    reconciliation.rejected_rows,
    reconciliation.rejected_eur,
    reconciliation.line_count - reconciliation.kept_rows - reconciliation.rejected_rows as gap_rows,
    reconciliation.value_eur - reconciliation.kept_eur - reconciliation.rejected_eur as gap_eur,
    cast(
        abs(reconciliation.line_count - reconciliation.kept_rows - reconciliation.rejected_rows)
        + abs(reconciliation.value_eur - reconciliation.kept_eur - reconciliation.rejected_eur)
        as double
    ) as gap
from reconciliation
inner join vintages
    on reconciliation.vintage_id = vintages.vintage_id
