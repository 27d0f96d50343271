-- Every département a label list knows or the current data carries, with the région it
-- counts in. A known département counts in its current région (series stay comparable across
-- years, whatever région code older files carry); an unknown one in the région its rows
-- carry (the one with the most euros, if they differ). Grain: departement_code.
with

known as (

    select
        code as departement_code,
        label as departement_label,
        parent_code as region_code,
        parent_label as region_label,
        label_source
    from {{ ref('int_labels__current') }}
    where code_kind = 'departement'

),

region_labels as (

    select
        region_code,
        max(region_label) as region_label
    from known
    group by region_code

),

unknown as (

    select
        code as departement_code,
        parent_code as region_code,
        row_number() over (
            partition by code
            order by value_eur desc, parent_code asc
        ) as region_rank
    from {{ ref('int_codes__in_current_data') }}
    where code_kind = 'departement' and not is_known

),

unknown_departements as (

    select
        unknown.departement_code,
        {{ unknown_label('unknown.departement_code') }} as departement_label,
        unknown.region_code,
        coalesce(region_labels.region_label, {{ unknown_label('unknown.region_code') }}) as region_label,
        'unknown' as label_source
    from unknown
    left join region_labels
        on unknown.region_code = region_labels.region_code
    where unknown.region_rank = 1

)

select
    departement_code,
    departement_label,
    region_code,
    region_label,
    label_source
from known

union all

select
    departement_code,
    departement_label,
    region_code,
    region_label,
    label_source
from unknown_departements
