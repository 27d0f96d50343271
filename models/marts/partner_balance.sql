-- Trade balance of every territory with each country among its top N export partners or its
-- top N import partners (N = var top_n, 10 by default), per year. Values are the country's
-- full export and import values, whatever its rank in the other flow.
-- Grain: (year, level, territory_code, country_code).
with

partners as (

    select
        year,
        level,
        territory_code,
        flow,
        country_code,
        country_label,
        value_eur,
        rank as country_rank
    from {{ ref('partner_ranking') }}

),

selected as (

    select distinct
        year,
        level,
        territory_code,
        country_code
    from partners
    where country_rank <= {{ var('top_n') }}

),

exports as (

    select
        year,
        level,
        territory_code,
        country_code,
        country_label,
        value_eur,
        country_rank
    from partners
    where flow = 'export'

),

imports as (

    select
        year,
        level,
        territory_code,
        country_code,
        country_label,
        value_eur,
        country_rank
    from partners
    where flow = 'import'

),

balances as (

    select
        selected.year,
        selected.level,
        selected.territory_code,
        selected.country_code,
        coalesce(exports.country_label, imports.country_label) as country_label,
        coalesce(imports.value_eur, 0) as import_eur,
        coalesce(exports.value_eur, 0) as export_eur,
        exports.country_rank as export_rank,
        imports.country_rank as import_rank
    from selected
    left join exports
        on
            selected.year = exports.year
            and selected.level = exports.level
            and selected.territory_code = exports.territory_code
            and selected.country_code = exports.country_code
    left join imports
        on
            selected.year = imports.year
            and selected.level = imports.level
            and selected.territory_code = imports.territory_code
            and selected.country_code = imports.country_code

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(country_label as {{ dbt.type_string() }}) as country_label,
    cast(import_eur as bigint) as import_eur,
    cast(export_eur as bigint) as export_eur,
    cast(export_eur - import_eur as bigint) as balance_eur,
    cast(export_rank as integer) as export_rank,
    cast(import_rank as integer) as import_rank
from balances
