-- Every code the current data carries (the vintages that count for at least one quarter),
-- with the parent code its rows carry (a département's région, a CPF4's A129), rows and
-- euros, and whether a label list knows it. Grain: (code_kind, code, parent_code).
with

current_vintages as (

    select distinct vintage_id
    from {{ ref('int_periods__current_vintage') }}

),

codes as (

    select
        vintage_codes.code_kind,
        vintage_codes.code,
        vintage_codes.parent_code,
        sum(vintage_codes.row_count) as row_count,
        sum(vintage_codes.value_eur) as value_eur
    from {{ ref('stg_customs__vintage_codes') }} as vintage_codes
    inner join current_vintages
        on vintage_codes.vintage_id = current_vintages.vintage_id
    group by
        vintage_codes.code_kind,
        vintage_codes.code,
        vintage_codes.parent_code

)

select
    codes.code_kind,
    codes.code,
    codes.parent_code,
    codes.row_count,
    codes.value_eur,
    known.code is not null as is_known
from codes
left join {{ ref('int_labels__current') }} as known
    on
        codes.code_kind = known.code_kind
        and codes.code = known.code
