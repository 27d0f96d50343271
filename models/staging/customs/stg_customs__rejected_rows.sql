with

source as (

    select * from {{ source('raw', 'rejected_rows') }}

),

renamed as (

    select
        vintage_id,
        file_name,
        line_number,
        reason,
        raw_line,
        case flux when 'E' then 'export' when 'I' then 'import' end as flow,
        annee as year,
        trimestre as quarter,
        cast(valeur as bigint) as value_eur
    from source

)

select * from renamed
