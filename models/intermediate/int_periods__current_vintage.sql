-- For each (flow, year, quarter), the vintage whose rows count: the latest published one. A
-- revised quarter is replaced whole, never added to. Grain: (flow, year, quarter).
with

periods as (

    select
        vintage_periods.vintage_id,
        vintage_periods.flow,
        vintage_periods.year,
        vintage_periods.quarter,
        vintages.publication_order
    from {{ ref('stg_customs__vintage_periods') }} as vintage_periods
    inner join {{ ref('stg_customs__vintages') }} as vintages
        on vintage_periods.vintage_id = vintages.vintage_id

),

ranked as (

    select
        vintage_id,
        flow,
        year,
        quarter,
        row_number() over (
            partition by flow, year, quarter
            order by publication_order desc
        ) as recency_rank
    from periods

)

select
    flow,
    year,
    quarter,
    vintage_id
from ranked
where recency_rank = 1
