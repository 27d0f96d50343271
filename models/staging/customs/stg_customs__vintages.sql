with

source as (

    select * from {{ source('raw', 'vintages') }}

),

renamed as (

    select
        vintage_id,
        file_name,
        member_name,
        {{ dbt.concat(["file_name", "coalesce(' (' || member_name || ')', '')"]) }} as source_name,
        packaging,
        sha256,
        size_bytes,
        encoding,
        header_lines,
        line_count,
        row_count,
        rejected_count,
        cast(value_eur as bigint) as value_eur,
        cast(kept_eur as bigint) as kept_eur,
        cast(rejected_eur as bigint) as rejected_eur,
        duplicate_lines,
        published_at,
        cast(floor((coverage_end - 1) / 4) as integer) as coverage_end_year,
        cast(coverage_end - 4 * floor((coverage_end - 1) / 4) as integer) as coverage_end_quarter,
        publication_order,
        revisions_accepted,
        ingested_at
    from source

)

select * from renamed
