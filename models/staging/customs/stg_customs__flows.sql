with

source as (

    select * from {{ source('raw', 'customs_flows') }}

),

renamed as (

    select
        vintage_id,
        line_number,
        flux as flow_code,
        case flux when 'E' then 'export' when 'I' then 'import' end as flow,
        cast(annee as integer) as year,
        cast(trimestre as integer) as quarter,
        code_departement as departement_code,
        code_region as region_code,
        code_a129 as a129_code,
        code_cpf4 as cpf4_code,
        code_pays as country_code,
        cast(valeur as bigint) as value_eur,
        cast(masse as bigint) as mass_kg
    from source

)

select * from renamed
