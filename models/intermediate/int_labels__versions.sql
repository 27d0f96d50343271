-- Every version of every DGDDI code label: the lists shipped with the data win over the
-- bundled seeds (the fallback), and among shipped lists the newest published wins, for each
-- code and validity start. Kinds: a129, cpf4, country, departement (whose parent is its
-- région). label_source says where the label came from: the file (and archive member) it was
-- shipped in, or the seed. Grain: (code_kind, code, valid_from).
with

seeded as (

    select
        'a129' as code_kind,
        a129_code as code,
        a129_label as label,
        valid_from,
        valid_to,
        cast(null as {{ dbt.type_string() }}) as parent_code,
        cast(null as {{ dbt.type_string() }}) as parent_label,
        'seed dgddi_a129' as label_source,
        cast(null as {{ dbt.type_timestamp() }}) as published_at,
        0 as priority
    from {{ ref('stg_reference__a129') }}

    union all

    select
        'cpf4' as code_kind,
        cpf4_code as code,
        cpf4_label as label,
        valid_from,
        valid_to,
        cast(null as {{ dbt.type_string() }}) as parent_code,
        cast(null as {{ dbt.type_string() }}) as parent_label,
        'seed dgddi_cpf4' as label_source,
        cast(null as {{ dbt.type_timestamp() }}) as published_at,
        0 as priority
    from {{ ref('stg_reference__cpf4') }}

    union all

    select
        'country' as code_kind,
        country_code as code,
        country_label as label,
        valid_from,
        valid_to,
        cast(null as {{ dbt.type_string() }}) as parent_code,
        cast(null as {{ dbt.type_string() }}) as parent_label,
        'seed dgddi_countries' as label_source,
        cast(null as {{ dbt.type_timestamp() }}) as published_at,
        0 as priority
    from {{ ref('stg_reference__countries') }}

    union all

    select
        'departement' as code_kind,
        departement_code as code,
        departement_label as label,
        cast('1900-01-01' as date) as valid_from,
        cast('9999-12-31' as date) as valid_to,
        region_code as parent_code,
        region_label as parent_label,
        'seed dgddi_departements' as label_source,
        cast(null as {{ dbt.type_timestamp() }}) as published_at,
        0 as priority
    from {{ ref('stg_reference__departements') }}

),

shipped as (

    select
        code_kind,
        code,
        label,
        valid_from,
        valid_to,
        parent_code,
        parent_label,
        label_source,
        published_at,
        dense_rank() over (
            partition by code_kind
            order by published_at asc nulls first, label_file_id asc
        ) as priority
    from {{ ref('stg_customs__labels') }}

),

candidates as (

    select * from seeded
    union all
    select * from shipped

),

ranked as (

    select
        *,
        row_number() over (
            partition by code_kind, code, valid_from
            order by priority desc
        ) as candidate_rank
    from candidates

)

select
    code_kind,
    code,
    label,
    valid_from,
    valid_to,
    parent_code,
    parent_label,
    label_source,
    published_at
from ranked
where candidate_rank = 1
