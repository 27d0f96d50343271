"""The refresh on Spark publishes the same exports as on DuckDB.

One refresh of the bundled sample with `engine="spark"` (a local Spark session in process, pyspark
from the lock file, Java from `make java`), through the same Dagster `refresh` job and runner as
`comex refresh --engine spark`: ingestion and the raw checks on DuckDB, the Parquet landing,
`dbt build --target spark`, Spark's tables loaded into the working copy, the exports written and
checked, then published. Its export files equal those of the sample's DuckDB refresh (the
`sample_refresh` fixture), row for row: codes, labels, euros and ranks exactly, shares and other
fractions within 1e-9 (relative to the value when it is larger than 1); its manifest says
`"engine": "spark"`.

To stay within CI's budget the run is the job's subset a user picks in the Dagster UI: the
export-contract marts and every model and seed they are built from (the export step, the
publication and the Great Expectations checks of the raw files and of the export files), and one
dbt test of each generic test with a Spark implementation (not_null_columns, unique_combination,
row_rules: UNPIVOT → stack, hash → xxhash64). A whole refresh on Spark builds and tests everything
(the check models and their GX suite too): `make bench BENCH_ARGS="--only spark"` runs one.
Spark starts light: an in-memory catalog, one shuffle partition.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from orchestration.assets.checks import EXPORTS_CHECK, RAW_FLOWS_CHECK, REJECTED_CHECK
from orchestration.assets.ingestion import CUSTOMS_FILES_KEY
from orchestration.definitions import defs
from orchestration.engine import java_problem
from orchestration.exports.contract import CONTRACT, ExportTable
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.refresh_record import read_record
from orchestration.runner import RunOutcome, run_refresh
from orchestration.settings import SAMPLE_DIR, Paths

pytestmark = pytest.mark.integration

TOLERANCE = 1e-9
MART_TABLES = [table for table in CONTRACT.tables if table.mart]
#: One data test of each generic test whose SQL is dispatched to a Spark implementation.
SPARK_TESTS = (
    "not_null_columns_dgddi_cpf4_cpf4_code__cpf4_label__valid_from__valid_to",
    "unique_combination_dgddi_cpf4_cpf4_code__valid_from",
    "territory_totals_row_rules",
)
LIGHT_SPARK = {"COMEX_SPARK_CATALOG": "in-memory", "COMEX_SPARK_SHUFFLE_PARTITIONS": "1"}


def contract_selection() -> tuple[set[AssetKey], set]:
    """The contract marts and their ancestors, the export and publication assets; their checks:
    the GX suites of the raw and export files and the Spark-dispatched dbt tests."""
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    graph = job.asset_layer.asset_graph
    marts = [AssetKey(["marts", table.mart]) for table in MART_TABLES]
    upstream = AssetSelection.assets(*marts).upstream().resolve(graph) & set(job.asset_layer.selected_asset_keys)
    assets = {*upstream, AssetKey("export_tables"), AssetKey("published_refresh")}
    gx = {(AssetKey(CUSTOMS_FILES_KEY), RAW_FLOWS_CHECK), (AssetKey(CUSTOMS_FILES_KEY), REJECTED_CHECK),
          (AssetKey("export_tables"), EXPORTS_CHECK)}  # fmt: skip
    checks = {key for key in graph.asset_check_keys if key.name in SPARK_TESTS or (key.asset_key, key.name) in gx}
    assert {key.name for key in checks} >= set(SPARK_TESTS), checks
    return assets, checks


@pytest.fixture(scope="module")
def spark_refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, RunOutcome]:
    """The sample refreshed on Spark into a private warehouse and exports folder."""
    if problem := java_problem():
        pytest.fail(f"{problem} — the test set-up (`make test`, through `make java`) installs it")
    root = tmp_path_factory.mktemp("spark-refresh")
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    assets, checks = contract_selection()
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as env:
        for name, value in LIGHT_SPARK.items():
            env.setenv(name, value)
        outcome = run_refresh(paths, sample=True, engine="spark", asset_selection=assets, asset_check_selection=checks)
    assert outcome.success, f"the Spark refresh failed at {outcome.failed_step}: {outcome.error_message}"
    results = json.loads((paths.warehouse.parent / "dbt" / "run_results.json").read_text(encoding="utf-8"))["results"]
    tests = {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}
    assert tests == dict.fromkeys(SPARK_TESTS, "pass"), tests
    print(f"refresh on Spark of the sample: {len(results)} dbt nodes, {time.monotonic() - started:.0f} s")
    return paths, outcome


def mismatches(con: duckdb.DuckDBPyConnection, duck_dir: Path, spark_dir: Path, table: ExportTable) -> list[str]:
    """What differs between two export sets' Parquet files of `table` (empty when they agree)."""
    duck, spark = (f"read_parquet('{folder / table.name}.parquet')" for folder in (duck_dir, spark_dir))
    on = " and ".join(f"d.{k} is not distinct from s.{k}" for k in table.key)
    problems = []
    counts = con.execute(f"select (select count(*) from {duck}), (select count(*) from {spark})").fetchall()[0]
    if counts[0] != counts[1] or counts[0] == 0:
        problems.append(f"{table.name}: {counts[0]} rows on DuckDB, {counts[1]} on Spark")
    for column in table.columns:
        if column.name in table.key:
            continue
        d, s = f"d.{column.name}", f"s.{column.name}"
        if column.type == "double":
            differs = f"({d} is null) <> ({s} is null) or abs({d} - {s}) > {TOLERANCE} * greatest(1.0, abs({d}))"
        else:
            differs = f"{d} is distinct from {s}"
        keys = ", ".join(f"coalesce(d.{k}, s.{k})" for k in table.key)
        rows = con.execute(
            f"select {keys}, {d}, {s} from {duck} as d full join {spark} as s on {on} where {differs} limit 3"
        ).fetchall()
        if rows:
            problems.append(f"{table.name}.{column.name}: e.g. (key…, duckdb, spark) {rows}")
    return problems


def test_the_exports_of_a_refresh_on_spark_equal_duckdbs(
    sample_refresh: tuple[Paths, RunOutcome], spark_refresh: tuple[Paths, RunOutcome]
) -> None:
    duck_dir, spark_dir = sample_refresh[0].exports_dir, spark_refresh[0].exports_dir
    assert {table.mart for table in MART_TABLES} >= {"territory_totals", "partner_balance", "flow_links"}
    with duckdb.connect() as con:
        problems = [problem for table in MART_TABLES for problem in mismatches(con, duck_dir, spark_dir, table)]
    assert problems == [], "\n".join(problems)
    duck, spark = (json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (duck_dir, spark_dir))
    assert (duck["engine"], spark["engine"]) == ("duckdb", "spark")
    csv_rows = {f["name"]: f["rows"] for f in spark["files"] if f["format"] == "csv"}
    assert csv_rows == {f["name"]: f["rows"] for f in duck["files"] if f["format"] == "csv"}
    assert spark["source_vintages"] == duck["source_vintages"]
    assert spark["periods_covered"] == duck["periods_covered"]


def test_the_refresh_on_spark_says_so(spark_refresh: tuple[Paths, RunOutcome]) -> None:
    from io import StringIO

    from rich.console import Console

    from orchestration import status

    paths = spark_refresh[0]
    record = read_record(paths.warehouse)
    assert record is not None and record.success and record.engine == "spark"
    out = StringIO()
    status.render(Console(file=out, width=200), paths.warehouse)
    assert "engine spark" in out.getvalue()
    # the published warehouse holds what Spark built, under DuckDB's names, and DuckDB's own views
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        built = con.execute("select count(*) from marts.territory_totals").fetchone()
        views = con.execute("select count(*) from staging.stg_customs__vintage_periods").fetchone()
    assert built and built[0] > 0 and views and views[0] > 0
