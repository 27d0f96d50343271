-- The national revision gate: a new vintage that moves France's total of a quarter by more
-- than var max_national_revision (COMEX_MAX_NATIONAL_REVISION, 5 % by default) blocks the
-- publication, unless it was ingested with `comex refresh --accept-revisions`. One row per
-- revised flow and quarter, with the file, France before and after, and gap = how far the
-- change goes beyond the threshold (0 when within it or accepted).
with

france as (

    select
        flow,
        year,
        quarter,
        vintage_id,
        previous_vintage_id,
        before_eur,
        after_eur,
        change_eur,
        relative_change
    from {{ ref('vintage_revisions') }}
    where level = 'france'

),

vintages as (

    select
        vintage_id,
        source_name as file_name,
        revisions_accepted
    from {{ ref('stg_customs__vintages') }}

)

select
    france.flow,
    france.year,
    france.quarter,
    france.vintage_id,
    vintages.file_name,
    france.previous_vintage_id,
    france.before_eur,
    france.after_eur,
    france.change_eur,
    france.relative_change,
    vintages.revisions_accepted,
    cast({{ var('max_national_revision') }} as double) as threshold,
    case
        when vintages.revisions_accepted then 0.0
        when france.before_eur = 0 and france.after_eur = 0 then 0.0
        when france.before_eur = 0 then 1.0
        else greatest(abs(france.relative_change) - {{ var('max_national_revision') }}, 0.0)
    end as gap
from france
inner join vintages
    on france.vintage_id = vintages.vintage_id
