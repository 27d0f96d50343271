with

source as (

    select * from {{ source('raw', 'vintage_periods') }}

),

renamed as (

    select
        vintage_id,
        case flux when 'E' then 'export' when 'I' then 'import' end as flow,
        cast(annee as integer) as year,
        cast(trimestre as integer) as quarter,
        row_count,
        cast(valeur as bigint) as value_eur
    from source

)

select * from renamed
