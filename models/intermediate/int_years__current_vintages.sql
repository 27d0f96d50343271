-- For each year, the signature of the rows that count for it: its (flow, quarter) periods and
-- their current vintage, e.g. `export-1:3,export-2:3,import-1:4,…`. A year's signature
-- changes when one of its quarters is published or revised: the incremental models rebuild
-- exactly the years whose signature differs from the one they were built from.
-- Grain: year.
select
    year,
    {{ ordered_string_agg(
        dbt.concat(["flow", "'-'", "cast(quarter as " ~ dbt.type_string() ~ ")", "':'",
                    "cast(vintage_id as " ~ dbt.type_string() ~ ")"]),
        "','",
        ['flow', 'quarter']
    ) }} as source_vintages
from {{ ref('int_periods__current_vintage') }}
group by year
