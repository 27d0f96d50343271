-- Partner countries of every territory, per year and flow, ranked by value (ties by
-- country_code ascending). Every code of the file counts, special codes included (FR goods
-- returned, QU undetermined, QR/QS supplies...). Rows with no trade are left out.
-- Grain: (year, level, territory_code, flow, country_code).
-- Incremental by year: a refresh rebuilds the years of which fct_territory_flows rebuilt a
-- quarter (new or revised) and replaces them whole; source_vintages names the (flow, quarter,
-- vintage) the year's figures come from (int_years__current_vintages).
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['year'])
) }}

with

years_to_build as (

    {{ years_to_rebuild() | indent(4) }}

),

partners as (

    select
        year,
        level,
        territory_code,
        flow,
        country_code,
        sum(value_eur) as value_eur
    from {{ ref('fct_territory_flows') }}
    where year in (select years_to_build.year from years_to_build)
    group by
        year,
        level,
        territory_code,
        flow,
        country_code

),

labels as (

    select
        year,
        country_code,
        country_label
    from {{ ref('int_countries__labels_by_year') }}

),

ranked as (

    select
        partners.year,
        partners.level,
        partners.territory_code,
        partners.flow,
        partners.country_code,
        labels.country_label,
        partners.value_eur,
        years_to_build.source_vintages,
        {{ safe_share(
            'partners.value_eur',
            'sum(partners.value_eur) over (partition by partners.year, partners.level, partners.territory_code, partners.flow)'
        ) }} as share_of_flow,
        row_number() over (
            partition by partners.year, partners.level, partners.territory_code, partners.flow
            order by partners.value_eur desc, partners.country_code asc
        ) as country_rank
    from partners
    inner join years_to_build
        on partners.year = years_to_build.year
    left join labels
        on
            partners.year = labels.year
            and partners.country_code = labels.country_code
    where partners.value_eur > 0

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(country_label as {{ dbt.type_string() }}) as country_label,
    cast(value_eur as bigint) as value_eur,
    cast(share_of_flow as double) as share_of_flow,
    cast(country_rank as integer) as rank,
    cast(source_vintages as {{ dbt.type_string() }}) as source_vintages
from ranked
