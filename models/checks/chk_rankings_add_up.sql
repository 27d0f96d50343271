-- The top N and AUTRES, and the indicators, add up to the total: for every territory, year
-- and flow, the sum of its products (product_activity, product_specialisation), of its
-- partners (partner_ranking) and of its Sankey cells (flow_links, top N + AUTRES), and the
-- values of territory_trends and territory_exposure equal its territory_totals value.
-- gap: the largest difference, in euros.
{%- set parts = {
    'products': 'product_activity',
    'partners': 'partner_ranking',
    'flow_links': 'flow_links',
    'specialisation': 'product_specialisation',
    'trends': 'territory_trends',
    'exposure': 'territory_exposure',
} %}
with

totals as (

    select
        year,
        level,
        territory_code,
        flow,
        value_eur
    from {{ ref('territory_totals') }}

),

parts as (
    {%- for part, mart in parts.items() %}

        select
            '{{ part }}' as part,
            year,
            level,
            territory_code,
            flow,
            sum(value_eur) as value_eur
        from {{ ref(mart) }}
        group by year, level, territory_code, flow
        {{ "union all" if not loop.last }}
    {%- endfor %}

),

compared as (

    select
        totals.year,
        totals.level,
        totals.territory_code,
        totals.flow,
        totals.value_eur as total_eur,
        {%- for part in parts %}
            sum(case when parts.part = '{{ part }}' then parts.value_eur end) as {{ part }}_eur,
        {%- endfor %}
        max(abs(totals.value_eur - coalesce(parts.value_eur, 0))) as largest_gap,
        count(distinct parts.part) as parts_found
    from totals
    left join parts
        on
            totals.year = parts.year
            and totals.level = parts.level
            and totals.territory_code = parts.territory_code
            and totals.flow = parts.flow
    group by
        totals.year,
        totals.level,
        totals.territory_code,
        totals.flow,
        totals.value_eur

)

select
    year,
    level,
    territory_code,
    flow,
    total_eur,
    {%- for part in parts %}
        {{ part }}_eur,
    {%- endfor %}
    -- a part with no row for the territory counts 0: its whole total is the gap
    cast(case
        when parts_found < {{ parts | length }} then greatest(largest_gap, abs(total_eur))
        else largest_gap
    end as double) as gap
from compared
