-- partner_balance holds exactly the union of the top N export and top N import partners of
-- each territory and year (N = var top_n), with the values and ranks of partner_ranking. One
-- row per territory and year: the partners expected, those found, and gap = the partners
-- missing, unexpected or with other values.
with

ranking as (

    select
        year,
        level,
        territory_code,
        flow,
        country_code,
        value_eur,
        rank
    from {{ ref('partner_ranking') }}

),

expected_countries as (

    select distinct
        year,
        level,
        territory_code,
        country_code
    from ranking
    where rank <= {{ var('top_n') }}

),

expected as (

    select
        expected_countries.year,
        expected_countries.level,
        expected_countries.territory_code,
        expected_countries.country_code,
        coalesce(imports.value_eur, 0) as import_eur,
        coalesce(exports.value_eur, 0) as export_eur,
        exports.rank as export_rank,
        imports.rank as import_rank
    from expected_countries
    left join ranking as exports
        on
            expected_countries.year = exports.year
            and expected_countries.level = exports.level
            and expected_countries.territory_code = exports.territory_code
            and expected_countries.country_code = exports.country_code
            and exports.flow = 'export'
    left join ranking as imports
        on
            expected_countries.year = imports.year
            and expected_countries.level = imports.level
            and expected_countries.territory_code = imports.territory_code
            and expected_countries.country_code = imports.country_code
            and imports.flow = 'import'

),

actual as (

    select
        year,
        level,
        territory_code,
        country_code,
        import_eur,
        export_eur,
        export_rank,
        import_rank
    from {{ ref('partner_balance') }}

),

compared as (

    select
        coalesce(expected.year, actual.year) as year,
        coalesce(expected.level, actual.level) as level,
        coalesce(expected.territory_code, actual.territory_code) as territory_code,
        case when expected.country_code is not null then 1 else 0 end as is_expected,
        case when actual.country_code is not null then 1 else 0 end as is_found,
        case
            when
                expected.country_code is null
                or actual.country_code is null
                or expected.import_eur <> actual.import_eur
                or expected.export_eur <> actual.export_eur
                or coalesce(expected.export_rank, -1) <> coalesce(actual.export_rank, -1)
                or coalesce(expected.import_rank, -1) <> coalesce(actual.import_rank, -1)
                then 1
            else 0
        end as is_different
    from expected
    full outer join actual
        on
            expected.year = actual.year
            and expected.level = actual.level
            and expected.territory_code = actual.territory_code
            and expected.country_code = actual.country_code

)

select
    year,
    level,
    territory_code,
    sum(is_expected) as partners_expected,
    sum(is_found) as partners_found,
    cast(sum(is_different) as double) as gap
from compared
group by year, level, territory_code
