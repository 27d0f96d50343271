with

source as (

    select * from {{ source('raw', 'vintages') }}

),

grain as (

    select * from {{ source('raw', 'vintage_grain') }}

),

renamed as (

    select
        source.vintage_id,
        source.file_name,
        source.member_name,
        {{ dbt.concat(["source.file_name", "coalesce(' (' || source.member_name || ')', '')"]) }}
            as source_name,
        source.packaging,
        source.sha256,
        source.size_bytes,
        source.encoding,
        source.header_lines,
        source.line_count,
        source.row_count,
        source.rejected_count,
        cast(source.value_eur as bigint) as value_eur,
        cast(source.kept_eur as bigint) as kept_eur,
        cast(source.rejected_eur as bigint) as rejected_eur,
        source.duplicate_lines,
        grain.repeated_rows as repeated_grain_rows,
        source.published_at,
        cast(floor((source.coverage_end - 1) / 4) as integer) as coverage_end_year,
        cast(source.coverage_end - 4 * floor((source.coverage_end - 1) / 4) as integer)
            as coverage_end_quarter,
        source.publication_order,
        source.revisions_accepted,
        source.ingested_at
    from source
    left join grain
        on source.vintage_id = grain.vintage_id

)

select * from renamed
