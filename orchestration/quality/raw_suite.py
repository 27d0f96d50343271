"""Suites on the raw flows a run loaded: schema, periods, quarter coverage, codes, rejected rows.

Every frame is aggregated in DuckDB first (one row per vintage × flow × quarter, per distinct
code, per vintage…), so Great Expectations validates a few hundred rows, not millions. "New
vintages" are those with `vintage_id > since_vintage_id` (the live warehouse's last one).

Coverage rule: a year is *complete* for a flow when an annual file covers it, or when the data
holds quarters both before and after it; a complete year must have its 4 quarters. The first
year may start late and the last one end early (a "dernière publication" file covers the last
5 quarters, so partial years are normal there), but never with a gap inside.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import duckdb

from orchestration.ingestion.validation import MIN_YEAR
from orchestration.quality.context import Expect, SuiteSpec
from orchestration.quality.settings import QualitySettings
from orchestration.settings import SEEDS_DIR
from orchestration.warehouse import connect_read_only

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


def last_vintage_id(warehouse: Path) -> int:
    """The highest vintage id of a (live) warehouse; 0 when it does not exist or holds none."""
    if not warehouse.exists():
        return 0
    with connect_read_only(warehouse) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'vintages'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = con.execute("select coalesce(max(vintage_id), 0) from raw.vintages").fetchone()
    return int(row[0]) if row else 0


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
    f.vintage_id, v.file_name, v.packaging, f.flux, f.annee, f.trimestre,
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


_CODES_SQL = """
with flows as (select * from raw.customs_flows where vintage_id > $since)
select 'departement' as kind, code_departement || '/' || code_region as code, count(*) as row_count
from flows group by all
union all select 'a129', code_a129, count(*) from flows group by all
union all select 'cpf4', code_cpf4 || '/' || code_a129, count(*) from flows group by all
union all select 'pays', code_pays, count(*) from flows group by all
order by kind, code
"""


@lru_cache(maxsize=4)
def reference_sets(seeds_dir: Path = SEEDS_DIR) -> dict[str, list[str]]:
    """Known codes, from the reference seeds the ingestion validates against."""
    con = duckdb.connect()

    def values(sql: str, relative: str) -> list[str]:
        path = str(seeds_dir / relative)
        query = sql.format(src=f"read_csv('{path}', header = true, all_varchar = true)")
        return sorted({str(r[0]) for r in con.execute(query).fetchall()})

    sets = {
        "departement": values(
            "select departement_code || '/' || region_code from {src}", "dgddi/dgddi_departements.csv"
        ),
        "a129": values("select a129_code from {src}", "dgddi/dgddi_a129.csv"),
        "cpf4": values("select cpf4_code from {src}", "dgddi/dgddi_cpf4.csv"),
        "pays": values("select country_code from {src}", "dgddi/dgddi_countries.csv"),
    }
    mapping = con.execute(
        "select cpf4_code, min(a129_code) from read_csv(?, header = true, all_varchar = true) group by 1",
        [str(seeds_dir / "insee/insee_cpf4_na2008.csv")],
    ).fetchall()
    sets["cpf4_to_a129"] = [f"{cpf4}/{a129}" for cpf4, a129 in mapping]
    con.close()
    return sets


def codes_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int, seeds_dir: Path = SEEDS_DIR) -> SuiteSpec:
    frame = con.execute(_CODES_SQL, {"since": since_vintage_id}).df()
    refs = reference_sets(seeds_dir)
    # One column per code kind (null elsewhere: GX skips missing values).
    for kind in ("departement", "a129", "pays"):
        frame[kind] = frame["code"].where(frame["kind"] == kind)
    cpf4 = frame["code"].where(frame["kind"] == "cpf4")
    frame["cpf4"] = cpf4.str.split("/").str[0]
    mapped = {pair.split("/")[0] for pair in refs["cpf4_to_a129"]}
    # A CPF4 without INSEE mapping (0300, 3100…) has no A129 to match: left out of that rule.
    frame["cpf4_a129"] = cpf4.where(frame["cpf4"].isin(mapped))
    return SuiteSpec(
        "raw_flows_codes",
        frame,
        [
            Expect("ExpectColumnValuesToBeInSet", {"column": "departement", "value_set": refs["departement"]}),
            Expect("ExpectColumnValuesToBeInSet", {"column": "a129", "value_set": refs["a129"]}),
            Expect("ExpectColumnValuesToBeInSet", {"column": "cpf4", "value_set": refs["cpf4"]}),
            Expect("ExpectColumnValuesToBeInSet", {"column": "cpf4_a129", "value_set": refs["cpf4_to_a129"]}),
            Expect("ExpectColumnValuesToBeInSet", {"column": "pays", "value_set": refs["pays"]}),
        ],
        index_columns=["kind", "code", "row_count"],
        description=(
            "Distinct codes of the new vintages: département with its DGDDI région, A129, CPF4 and country "
            "codes in the reference seeds, and each CPF4 within its A129 (INSEE NA 2008)."
        ),
    )


def rejected_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int, settings: QualitySettings) -> SuiteSpec:
    frame = con.execute(
        """
        select v.vintage_id, v.file_name, v.row_count, v.rejected_count,
            (select count(*) from raw.rejected_rows as r where r.vintage_id = v.vintage_id) as rejected_stored,
            v.rejected_count / greatest(v.row_count + v.rejected_count, 1) as rejected_rate
        from raw.vintages as v
        where v.vintage_id > ?
        order by v.vintage_id
        """,
        [since_vintage_id],
    ).df()
    return SuiteSpec(
        "raw_rejected_rows",
        frame,
        [
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "rejected_rate", "min_value": 0, "max_value": settings.max_rejected_rate},
            ),
            Expect("ExpectColumnPairValuesToBeEqual", {"column_A": "rejected_count", "column_B": "rejected_stored"}),
        ],
        index_columns=["file_name", "row_count", "rejected_count"],
        description=(
            f"Per new vintage: rejected rows / all rows ≤ {settings.max_rejected_rate:.2%} "
            "(COMEX_MAX_REJECTED_RATE), every rejected row kept in raw.rejected_rows."
        ),
    )
