-- Products (at var product_level, A129 by default) of every territory per year and flow,
-- with their weight against France's (revealed comparative advantage, Balassa, France as the
-- reference), their trade with the United States, mass and unit value. Rows with no trade
-- are left out. Grain: (year, level, territory_code, flow, product_code).
-- Incremental by year, like product_activity: a refresh rebuilds the years of which
-- fct_territory_flows rebuilt a quarter and replaces them whole.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **replace_periods_config(['year'])
) }}

with

years_to_build as (

    {{ years_to_rebuild() | indent(4) }}

),

products as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg,
        sum(case when country_code = 'US' then value_eur else 0 end) as us_value_eur
    from {{ ref('fct_territory_flows') }}
    where year in (select years_to_build.year from years_to_build)
    group by
        year,
        level,
        territory_code,
        flow,
        product_code

),

shares as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        value_eur,
        mass_kg,
        us_value_eur,
        {{ safe_share(
            'value_eur',
            'sum(value_eur) over (partition by year, level, territory_code, flow)'
        ) }} as share_of_flow
    from products

),

france as (

    select
        year,
        flow,
        product_code,
        share_of_flow as france_share_of_flow
    from shares
    where level = 'france'

),

labels as (

    select distinct
        product_code,
        product_label
    from {{ ref('int_products__at_level') }}

),

specialisation as (

    select
        shares.year,
        shares.level,
        shares.territory_code,
        shares.flow,
        shares.product_code,
        labels.product_label,
        shares.value_eur,
        shares.share_of_flow,
        france.france_share_of_flow,
        shares.us_value_eur,
        shares.mass_kg,
        years_to_build.source_vintages
    from shares
    inner join years_to_build
        on shares.year = years_to_build.year
    left join france
        on
            shares.year = france.year
            and shares.flow = france.flow
            and shares.product_code = france.product_code
    left join labels
        on shares.product_code = labels.product_code
    where shares.value_eur > 0

)

select
    cast(year as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(flow as {{ dbt.type_string() }}) as flow,
    cast(product_code as {{ dbt.type_string() }}) as product_code,
    cast(product_label as {{ dbt.type_string() }}) as product_label,
    cast(value_eur as bigint) as value_eur,
    cast(share_of_flow as double) as share_of_flow,
    cast(france_share_of_flow as double) as france_share_of_flow,
    cast({{ safe_divide('share_of_flow', 'france_share_of_flow') }} as double) as rca,
    cast(us_value_eur as bigint) as us_value_eur,
    cast(mass_kg as bigint) as mass_kg,
    cast({{ safe_divide('value_eur', 'mass_kg') }} as double) as unit_value_eur_per_kg,
    cast(source_vintages as {{ dbt.type_string() }}) as source_vintages
from specialisation
