-- partner_balance holds exactly the union of the top N export and top N import partners of
-- each territory and year (N = var top_n), with the values and ranks of partner_ranking.
-- Returns the rows that differ.
{{ config(meta={'dagster': {'ref': {'name': 'partner_balance'}}}) }}  -- its Dagster asset
with

expected_countries as (

    select distinct
        year,
        level,
        territory_code,
        country_code
    from {{ ref('partner_ranking') }}
    where rank <= {{ var('top_n') }}

),

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

missing as (

    select
        'missing or different' as problem,
        year,
        level,
        territory_code,
        country_code,
        import_eur,
        export_eur,
        export_rank,
        import_rank
    from expected
    except
    select
        'missing or different' as problem,
        year,
        level,
        territory_code,
        country_code,
        import_eur,
        export_eur,
        export_rank,
        import_rank
    from actual

),

unexpected as (

    select
        'unexpected or different' as problem,
        year,
        level,
        territory_code,
        country_code,
        import_eur,
        export_eur,
        export_rank,
        import_rank
    from actual
    except
    select
        'unexpected or different' as problem,
        year,
        level,
        territory_code,
        country_code,
        import_eur,
        export_eur,
        export_rank,
        import_rank
    from expected

)

select
    problem,
    year,
    level,
    territory_code,
    country_code,
    import_eur,
    export_eur,
    export_rank,
    import_rank
from missing
union all
select
    problem,
    year,
    level,
    territory_code,
    country_code,
    import_eur,
    export_eur,
    export_rank,
    import_rank
from unexpected
