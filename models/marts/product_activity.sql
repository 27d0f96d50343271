-- Products (at var product_level, A129 by default) traded by every territory, per year and
-- flow, ranked by value (ties by product_code ascending). Rows with no trade are left out.
-- Grain: (year, level, territory_code, flow, product_code).
with

products as (

    select
        year,
        level,
        territory_code,
        flow,
        product_code,
        sum(value_eur) as value_eur
    from {{ ref('int_flows__territories') }}
    group by
        year,
        level,
        territory_code,
        flow,
        product_code

),

labels as (

    select distinct
        product_code,
        product_label
    from {{ ref('int_products__at_level') }}

),

ranked as (

    select
        products.year,
        products.level,
        products.territory_code,
        products.flow,
        products.product_code,
        labels.product_label,
        products.value_eur,
        {{ safe_share(
            'products.value_eur',
            'sum(products.value_eur) over (partition by products.year, products.level, products.territory_code, products.flow)'
        ) }} as share_of_flow,
        row_number() over (
            partition by products.year, products.level, products.territory_code, products.flow
            order by products.value_eur desc, products.product_code asc
        ) as product_rank
    from products
    left join labels
        on products.product_code = labels.product_code
    where products.value_eur > 0

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
    cast(product_rank as integer) as rank
from ranked
