-- The DGDDI country label valid in each year present in the customs data. Codes reused with
-- different meanings (QU, XK, XS) get the version valid that year; when several versions
-- overlap a year the latest wins, and a code with no version valid that year falls back to
-- its latest version. One row per (year, country_code).
with

years as (

    select distinct year
    from {{ ref('stg_customs__vintage_periods') }}

),

countries as (

    select
        country_code,
        country_label,
        extract(year from valid_from) as valid_from_year,
        extract(year from valid_to) as valid_to_year,
        valid_from,
        valid_to
    from {{ ref('stg_reference__countries') }}

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
