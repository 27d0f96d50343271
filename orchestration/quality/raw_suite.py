"""Suites on the raw flows a run loaded: schema, periods, quarter coverage, rejected rows and euros.

Every frame is aggregated in DuckDB first (one row per vintage × flow × quarter, per
vintage…), so Great Expectations validates a few hundred rows, not millions. "New vintages"
are those with `vintage_id > since_vintage_id` (the live warehouse's last one). Codes are not
checked here: a code no label list knows is data (dbt's chk_code_anomalies reports it).

Coverage rule: a year is *complete* for a flow when an annual file covers it, or when the data
holds quarters both before and after it; a complete year must have its 4 quarters. The first
year may start late and the last one end early (a "dernière publication" file covers the last
5 quarters, so partial years are normal there), but never with a gap inside.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.ingestion.validation import MIN_YEAR
from orchestration.quality.context import Expect, SuiteSpec
from orchestration.quality.settings import QualitySettings

#: raw.customs_flows as ingestion/registry.py creates it: "name type [not null]".
EXPECTED_SCHEMA = (
    "vintage_id INTEGER not null",
    "line_number BIGINT not null",
    "flux VARCHAR not null",
    "trimestre TINYINT not null",
    "annee SMALLINT not null",
    "code_departement VARCHAR not null",
    "code_region VARCHAR not null",
    "code_a129 VARCHAR not null",
    "code_cpf4 VARCHAR not null",
    "code_pays VARCHAR not null",
    "valeur BIGINT not null",
    "masse BIGINT not null",
)
LAST_PUBLICATION_QUARTERS = 5


def new_vintage_ids(con: duckdb.DuckDBPyConnection, since_vintage_id: int) -> list[int]:
    rows = con.execute("select vintage_id from raw.vintages where vintage_id > ? order by 1", [since_vintage_id])
    return [int(r[0]) for r in rows.fetchall()]


def schema_suite(con: duckdb.DuckDBPyConnection) -> SuiteSpec:
    frame = con.execute(
        """
        select ordinal_position, column_name,
            column_name || ' ' || data_type || case when is_nullable = 'NO' then ' not null' else '' end
                as column_spec
        from information_schema.columns
        where table_schema = 'raw' and table_name = 'customs_flows'
        order by ordinal_position
        """
    ).df()
    return SuiteSpec(
        "raw_flows_schema",
        frame,
        [Expect("ExpectColumnDistinctValuesToEqualSet", {"column": "column_spec", "value_set": list(EXPECTED_SCHEMA)})],
        index_columns=["column_name"],
        description="raw.customs_flows has the columns, types and NOT NULL constraints of the registry.",
    )


_PERIODS_SQL = """
with flows as (
    select vintage_id, flux, annee, trimestre, count(*) as row_count, sum(valeur) as value_sum,
        min(valeur) as min_valeur, min(masse) as min_masse
    from raw.customs_flows
    where vintage_id > $since
    group by all
),
spans as (
    select p.vintage_id, p.flux, count(*) as vintage_quarters, count(distinct p.annee) as vintage_years,
        max(p.annee * 4 + p.trimestre) - min(p.annee * 4 + p.trimestre) + 1 as vintage_span
    from raw.vintage_periods as p
    where p.vintage_id > $since
    group by all
)
select
    f.vintage_id, v.file_name || coalesce(' (' || v.member_name || ')', '') as file_name, v.packaging,
    f.flux, f.annee, f.trimestre,
    f.row_count, f.min_valeur, f.min_masse,
    abs(f.row_count - coalesce(p.row_count, 0)) + abs(f.value_sum - coalesce(p.valeur, 0)) as registry_gap,
    s.vintage_quarters, s.vintage_span - s.vintage_quarters as vintage_gaps,
    case v.packaging
        when 'annual' then abs(s.vintage_quarters - 4) + (s.vintage_years - 1)
        when 'last_publication' then greatest(s.vintage_quarters - $dp_quarters, 0)
        else 0
    end as quarters_outside_rule
from flows as f
join raw.vintages as v using (vintage_id)
left join raw.vintage_periods as p using (vintage_id, flux, annee, trimestre)
left join spans as s using (vintage_id, flux)
order by f.vintage_id, f.flux, f.annee, f.trimestre
"""


def periods_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int) -> SuiteSpec:
    frame = con.execute(_PERIODS_SQL, {"since": since_vintage_id, "dp_quarters": LAST_PUBLICATION_QUARTERS}).df()
    zero = {"min_value": 0, "max_value": 0}
    return SuiteSpec(
        "raw_flows_periods",
        frame,
        [
            Expect("ExpectColumnValuesToBeInSet", {"column": "flux", "value_set": ["E", "I"]}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "trimestre", "min_value": 1, "max_value": 4}),
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "annee", "min_value": MIN_YEAR, "max_value": dt.date.today().year},
            ),
            Expect("ExpectColumnValuesToBeBetween", {"column": "min_valeur", "min_value": 0}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "min_masse", "min_value": 0}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "registry_gap", **zero}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "vintage_gaps", **zero}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "quarters_outside_rule", **zero}),
        ],
        index_columns=["file_name", "flux", "annee", "trimestre"],
        description=(
            "Per new vintage, flow and quarter: valid flow and period, non-negative values and masses, "
            "rows and sums equal to the registry (raw.vintage_periods), consecutive quarters, 4 quarters "
            f"of one year in an annual file, at most {LAST_PUBLICATION_QUARTERS} in a 'dernière publication'."
        ),
    )


_COVERAGE_SQL = """
with quarters as (
    select distinct p.flux, p.annee, p.trimestre, v.packaging = 'annual' as from_annual
    from raw.vintage_periods as p join raw.vintages as v using (vintage_id)
),
years as (
    select flux, annee, count(distinct trimestre) as year_quarters, min(trimestre) as first_quarter,
        max(trimestre) as last_quarter, bool_or(from_annual) as from_annual
    from quarters group by all
),
bounds as (select flux, min(annee) as first_year, max(annee) as last_year from years group by all)
select y.flux, y.annee, y.year_quarters, y.first_quarter, y.last_quarter, y.from_annual,
    case
        when y.from_annual or (y.annee > b.first_year and y.annee < b.last_year) then 4
        when y.annee = b.first_year and y.annee = b.last_year then y.last_quarter - y.first_quarter + 1
        when y.annee = b.last_year then y.last_quarter
        else 5 - y.first_quarter
    end as expected_quarters
from years as y join bounds as b using (flux)
order by y.flux, y.annee
"""


def coverage_suite(con: duckdb.DuckDBPyConnection) -> SuiteSpec:
    frame = con.execute(_COVERAGE_SQL).df()
    frame["missing_quarters"] = frame["expected_quarters"] - frame["year_quarters"]
    return SuiteSpec(
        "raw_flows_coverage",
        frame,
        [Expect("ExpectColumnValuesToBeBetween", {"column": "missing_quarters", "min_value": 0, "max_value": 0})],
        index_columns=["flux", "annee", "year_quarters", "expected_quarters"],
        description=(
            "Every flow and year of the warehouse: a complete year (annual file, or data before and after "
            "it) has its 4 quarters; the first and last years may be partial, without a gap."
        ),
    )


def rejected_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int, settings: QualitySettings) -> SuiteSpec:
    frame = con.execute(
        """
        select v.vintage_id, v.file_name || coalesce(' (' || v.member_name || ')', '') as file_name,
            v.line_count, v.rejected_count, v.value_eur, v.rejected_eur,
            (select count(*) from raw.rejected_rows as r where r.vintage_id = v.vintage_id) as rejected_stored,
            v.rejected_count / greatest(v.line_count, 1) as rejected_rate,
            v.rejected_eur / greatest(v.value_eur, 1) as rejected_eur_rate
        from raw.vintages as v
        where v.vintage_id > ?
        order by v.vintage_id
        """,
        [since_vintage_id],
    ).df()
    most = {"min_value": 0, "max_value": settings.max_rejected_rate}
    return SuiteSpec(
        "raw_rejected_rows",
        frame,
        [
            Expect("ExpectColumnValuesToBeBetween", {"column": "rejected_rate", **most}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "rejected_eur_rate", **most}),
            Expect("ExpectColumnPairValuesToBeEqual", {"column_A": "rejected_count", "column_B": "rejected_stored"}),
        ],
        index_columns=["file_name", "line_count", "rejected_count", "value_eur", "rejected_eur"],
        description=(
            f"Per new vintage: unreadable lines ≤ {settings.max_rejected_rate:.2%} of its lines and their euros "
            f"≤ {settings.max_rejected_rate:.2%} of its euros (COMEX_MAX_REJECTED_RATE); every rejected line kept "
            "in raw.rejected_rows."
        ),
    )
