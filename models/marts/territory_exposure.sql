-- How concentrated and how exposed the trade of every territory is, per year and flow:
-- partner and product concentration (Herfindahl-Hirschman index, Σ share²), the top partner,
-- the top 3's share, and the shares of the EU-27, outside the EU-27, the United States and
-- China. Shares are of the flow's total value; every country code counts as a partner in the
-- HHI and the ranks (special codes included, like partner_ranking), but FR and the
-- non-geographic codes (Q*, EU) belong to neither the EU-27 nor the extra-EU share, nor does
-- a code no list knows. France's own row is the national reference. Built from partner_ranking
-- and product_specialisation.
-- Grain: (year, level, territory_code, flow).
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
        rank
    from {{ ref('partner_ranking') }}

),

products as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur
    from {{ ref('product_specialisation') }}

),

country_groups as (

    select
        country_code,
        coalesce(is_eu27, false) as is_eu27,
        coalesce(is_geographic, false) and not coalesce(is_eu27, false) as is_extra_eu27
    from {{ ref('dim_country') }}

),

territories as (

    select
        level,
        territory_code,
        territory_label
    from {{ ref('dim_territory') }}

),

partner_euros as (

    -- Whole euros summed, then one division each: sums of integers do not depend on the order
    -- DuckDB's threads add them in, so every run gives the same bits (sums of shares did not).
    select
        partners.year,
        partners.level,
        partners.territory_code,
        partners.flow,
        sum(partners.value_eur) as value_eur,
        count(*) as partner_count,
        sum({{ squared_euros('partners.value_eur') }}) as squared_eur,
        max(case when partners.rank = 1 then partners.country_code end) as top_partner_code,
        max(case when partners.rank = 1 then partners.country_label end) as top_partner_label,
        sum(case when partners.rank = 1 then partners.value_eur else 0 end) as top_partner_eur,
        sum(case when partners.rank <= 3 then partners.value_eur else 0 end) as top3_partners_eur,
        sum(case when country_groups.is_eu27 then partners.value_eur else 0 end) as eu27_eur,
        sum(case when country_groups.is_extra_eu27 then partners.value_eur else 0 end) as extra_eu27_eur,
        sum(case when partners.country_code = 'US' then partners.value_eur else 0 end) as us_eur,
        sum(case when partners.country_code = 'CN' then partners.value_eur else 0 end) as cn_eur
    from partners
    left join country_groups
        on partners.country_code = country_groups.country_code
    group by
        partners.year,
        partners.level,
        partners.territory_code,
        partners.flow

),

partner_exposure as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur,
        partner_count,
        {{ safe_divide('squared_eur', 'value_eur') }} / nullif(cast(value_eur as double), 0) as partner_hhi,
        top_partner_code,
        top_partner_label,
        {{ safe_share('top_partner_eur', 'value_eur') }} as top_partner_share,
        {{ safe_share('top3_partners_eur', 'value_eur') }} as top3_partners_share,
        {{ safe_share('eu27_eur', 'value_eur') }} as eu27_share,
        {{ safe_share('extra_eu27_eur', 'value_eur') }} as extra_eu27_share,
        {{ safe_share('us_eur', 'value_eur') }} as us_share,
        {{ safe_share('cn_eur', 'value_eur') }} as cn_share
    from partner_euros

),

product_concentration as (

    select
        year,
        level,
        territory_code,
        flow,
        count(*) as product_count,
        {{ safe_divide('sum(' ~ squared_euros('value_eur') ~ ')', 'sum(value_eur)') }}
        / nullif(cast(sum(value_eur) as double), 0) as product_hhi
    from products
    group by
        year,
        level,
        territory_code,
        flow

)

select
    cast(partner_exposure.year as integer) as year,
    cast(partner_exposure.level as {{ dbt.type_string() }}) as level,
    cast(partner_exposure.territory_code as {{ dbt.type_string() }}) as territory_code,
    cast(territories.territory_label as {{ dbt.type_string() }}) as territory_label,
    cast(partner_exposure.flow as {{ dbt.type_string() }}) as flow,
    cast(partner_exposure.value_eur as bigint) as value_eur,
    cast(partner_exposure.partner_count as integer) as partner_count,
    cast(partner_exposure.partner_hhi as double) as partner_hhi,
    cast(product_concentration.product_count as integer) as product_count,
    cast(product_concentration.product_hhi as double) as product_hhi,
    cast(partner_exposure.top_partner_code as {{ dbt.type_string() }}) as top_partner_code,
    cast(partner_exposure.top_partner_label as {{ dbt.type_string() }}) as top_partner_label,
    cast(partner_exposure.top_partner_share as double) as top_partner_share,
    cast(partner_exposure.top3_partners_share as double) as top3_partners_share,
    cast(partner_exposure.eu27_share as double) as eu27_share,
    cast(partner_exposure.extra_eu27_share as double) as extra_eu27_share,
    cast(partner_exposure.us_share as double) as us_share,
    cast(partner_exposure.cn_share as double) as cn_share
from partner_exposure
left join product_concentration
    on
        partner_exposure.year = product_concentration.year
        and partner_exposure.level = product_concentration.level
        and partner_exposure.territory_code = product_concentration.territory_code
        and partner_exposure.flow = product_concentration.flow
left join territories
    on
        partner_exposure.level = territories.level
        and partner_exposure.territory_code = territories.territory_code
