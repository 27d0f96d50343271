-- The country label valid in each year present in the customs data. Codes reused with
-- different meanings (QU, XK, XS) get the version valid that year; when several versions
-- overlap a year the latest wins, and a code with no version valid that year falls back to
-- its latest version. A code no list knows is labelled `Code inconnu (XX)`.
-- One row per (year, country_code).
with

years as (

    select distinct year
    from {{ ref('stg_customs__vintage_periods') }}

),

versions as (

    select
        code as country_code,
        label as country_label,
        extract(year from valid_from) as valid_from_year,
        extract(year from valid_to) as valid_to_year,
        valid_from,
        valid_to
    from {{ ref('int_labels__versions') }}
    where code_kind = 'country'

),

unknown as (

    select distinct
        code as country_code,
        {{ unknown_label('code') }} as country_label,
        1900 as valid_from_year,
        9999 as valid_to_year,
        cast('1900-01-01' as date) as valid_from,
        cast('9999-12-31' as date) as valid_to
    from {{ ref('int_codes__in_current_data') }}
    where code_kind = 'country' and not is_known

),

countries as (

    select * from versions
    union all
    select * from unknown

),

candidates as (

    select
        years.year,
        countries.country_code,
        countries.country_label,
        row_number() over (
            partition by years.year, countries.country_code
            order by
                case
                    when
                        countries.valid_from_year <= years.year
                        and countries.valid_to_year >= years.year
                        then 0
                    else 1
                end,
                countries.valid_from desc,
                countries.valid_to desc
        ) as preference
    from years
    cross join countries

)

select
    cast(year as integer) as year,
    country_code,
    country_label
from candidates
where preference = 1
