-- Codes of the current data that a person should look at (a warning: their euros are kept
-- and counted): codes no label list knows (labelled `Code inconnu (XX)`), départements whose
-- rows carry another région than theirs (counted in their own), and CPF4 codes carried with
-- another A129 than INSEE's (counted under the A129 the rows carry). One row per file, code
-- and anomaly, with its rows and euros; gap = the rows.
with

current_vintages as (

    select distinct vintage_id
    from {{ ref('int_periods__current_vintage') }}

),

codes as (

    select
        vintage_codes.vintage_id,
        vintage_codes.code_kind,
        vintage_codes.code,
        vintage_codes.parent_code,
        vintage_codes.row_count,
        vintage_codes.value_eur
    from {{ ref('stg_customs__vintage_codes') }} as vintage_codes
    inner join current_vintages
        on vintage_codes.vintage_id = current_vintages.vintage_id

),

known as (

    select
        code_kind,
        code,
        parent_code
    from {{ ref('int_labels__current') }}

),

insee_a129 as (

    select
        cpf4_code,
        min(a129_code) as a129_code
    from {{ ref('stg_reference__product_hierarchy') }}
    group by cpf4_code

),

anomalies as (

    select
        codes.vintage_id,
        codes.code_kind,
        codes.code,
        codes.parent_code,
        case
            when known.code is null then 'unknown code'
            when codes.code_kind = 'departement' and codes.parent_code <> known.parent_code
                then 'région differs'
            when codes.code_kind = 'cpf4' and codes.parent_code <> insee_a129.a129_code
                then 'A129 differs'
        end as anomaly,
        case
            when known.code is null
                then {{ dbt.concat([
                    "case codes.code_kind when 'departement' then 'département' when 'a129' then 'A129' "
                    ~ "when 'cpf4' then 'CPF4' else 'country' end",
                    "' code '''", "codes.code", "''' is in no label list'"
                ]) }}
            when codes.code_kind = 'departement'
                then {{ dbt.concat([
                    "'département '''", "codes.code", "''' carries région '''", "codes.parent_code",
                    "''', counted in its région '''", "known.parent_code", "''''"
                ]) }}
            else {{ dbt.concat([
                "'CPF4 '''", "codes.code", "''' carries A129 '''", "codes.parent_code",
                "''' (INSEE: '''", "insee_a129.a129_code", "''')'"
            ]) }}
        end as message,
        codes.row_count,
        codes.value_eur
    from codes
    left join known
        on
            codes.code_kind = known.code_kind
            and codes.code = known.code
    left join insee_a129
        on
            codes.code_kind = 'cpf4'
            and codes.code = insee_a129.cpf4_code

),

vintages as (

    select
        vintage_id,
        source_name as file_name
    from {{ ref('stg_customs__vintages') }}

)

select
    anomalies.vintage_id,
    vintages.file_name,
    anomalies.code_kind,
    anomalies.code,
    anomalies.parent_code,
    anomalies.anomaly,
    anomalies.message,
    anomalies.row_count,
    anomalies.value_eur,
    cast(anomalies.row_count as double) as gap
from anomalies
inner join vintages
    on anomalies.vintage_id = vintages.vintage_id
where anomalies.anomaly is not null
