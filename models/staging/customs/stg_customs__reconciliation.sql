with

source as (

    select * from {{ source('raw', 'vintage_reconciliation') }}

),

renamed as (

    select
        vintage_id,
        case flux when 'E' then 'export' when 'I' then 'import' end as flow,
        annee as year,
        trimestre as quarter,
        line_count,
        cast(value_eur as bigint) as value_eur,
        kept_rows,
        cast(kept_eur as bigint) as kept_eur,
        rejected_rows,
        cast(rejected_eur as bigint) as rejected_eur
    from source

)

select * from renamed
