-- The current label of every code of the DGDDI lists (int_labels__versions): its latest
-- version. Codes reused over time (QU, XK, XS) appear once. Grain: (code_kind, code).
with

ranked as (

    select
        code_kind,
        code,
        label,
        parent_code,
        parent_label,
        label_source,
        row_number() over (
            partition by code_kind, code
            order by valid_to desc, valid_from desc
        ) as version_rank
    from {{ ref('int_labels__versions') }}

)

select
    code_kind,
    code,
    label,
    parent_code,
    parent_label,
    label_source
from ranked
where version_rank = 1
