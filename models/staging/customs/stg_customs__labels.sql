-- The label lists shipped with the data (Libelle_*.txt, Departement_region.txt): one row per
-- code and validity period of each list, with the file it came from and when DGDDI published
-- it (the archive member's date; null for a loose file).
with

files as (

    select * from {{ source('raw', 'label_files') }}

),

labels as (

    select * from {{ source('raw', 'labels') }}

),

renamed as (

    select
        labels.label_file_id,
        case
            when labels.kind = 'pays' then 'country'
            when labels.kind = 'departements' then 'departement'
            else labels.kind
        end as code_kind,
        labels.code,
        labels.label,
        {{ yyyymm_to_date('labels.valid_from') }} as valid_from,
        {{ yyyymm_to_date('labels.valid_to', end_of_month=true) }} as valid_to,
        labels.parent_code,
        labels.parent_label,
        {{ dbt.concat(["files.file_name", "coalesce(' (' || files.member_name || ')', '')"]) }}
            as label_source,
        files.published_at
    from labels
    inner join files
        on labels.label_file_id = files.label_file_id

)

select * from renamed
