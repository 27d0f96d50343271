-- For each (flow, year, quarter), the vintage whose rows count: the latest published one (see
-- raw.vintages.publication_order), and the one it replaced, if any. A revised quarter is
-- replaced whole, never added to. Grain: (flow, year, quarter).
with

periods as (

    select
        vintage_periods.vintage_id,
        vintage_periods.flow,
        vintage_periods.year,
        vintage_periods.quarter,
        vintage_periods.row_count,
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
        row_count,
        row_number() over (
            partition by flow, year, quarter
            order by publication_order desc
        ) as recency_rank
    from periods

)

select
    current_vintage.flow,
    current_vintage.year,
    current_vintage.quarter,
    current_vintage.vintage_id,
    current_vintage.row_count,
    previous_vintage.vintage_id as previous_vintage_id
from ranked as current_vintage
left join ranked as previous_vintage
    on
        current_vintage.flow = previous_vintage.flow
        and current_vintage.year = previous_vintage.year
        and current_vintage.quarter = previous_vintage.quarter
        and previous_vintage.recency_rank = 2
where current_vintage.recency_rank = 1
