"""The same dbt project on Spark gives the same figures: on the bundled sample, every mart of the
export contract built by `dbt build --target spark` (a local Spark session, pyspark from the lock
file, Java from `make java`) equals DuckDB's, row for row: codes, labels, euros and ranks exactly,
shares and other fractions within 1e-9 (relative to the value when it is larger than 1).

Spark gets the raw tables the way the Spark engine does, through their Parquet landing
(orchestration/spark_landing.py), and builds in a subprocess (its JVM ends with it). Its tables are
Parquet folders that DuckDB reads directly. To stay within CI's budget the build is the contract
marts and what they are built from, and one data test of each generic test with a Spark
implementation (not_null_columns, unique_combination, row_rules: UNPIVOT → stack, hash →
xxhash64); a refresh on Spark runs them all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.exports.contract import CONTRACT, ExportTable
from orchestration.settings import REPO_ROOT
from orchestration.spark_landing import land

pytestmark = pytest.mark.integration

DBT = str(Path(sys.executable).with_name("dbt"))
TOLERANCE = 1e-9
MART_TABLES = [table for table in CONTRACT.tables if table.mart]
#: One data test of each generic test whose SQL is dispatched to a Spark implementation.
SPARK_TESTS = (
    "not_null_columns_dgddi_cpf4_cpf4_code__cpf4_label__valid_from__valid_to",
    "unique_combination_dgddi_cpf4_cpf4_code__valid_from",
    "territory_totals_row_rules",
)


@pytest.fixture(scope="module")
def spark_tables(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the Spark session's tables (`<schema>.db/<table>/`) after the build."""
    if shutil.which("java") is None:
        pytest.fail("no Java runtime on PATH — the test set-up (`make test`, through `make java`) installs it")
    root = tmp_path_factory.mktemp("spark")
    landing = land(sample_warehouse, root / "raw_parquet")
    env = {
        **os.environ,
        "COMEX_SPARK_DIR": str(root / "spark"),
        "COMEX_SPARK_RAW_PATH": str(landing),
        # one build, nothing kept for a next run: no Hive metastore to start
        "COMEX_SPARK_CATALOG": "in-memory",
        "COMEX_SPARK_SHUFFLE_PARTITIONS": "2",
    }
    selected = [f"+{table.mart}" for table in MART_TABLES] + list(SPARK_TESTS)
    command = [DBT, "build", "--target", "spark", "--select", *selected, "--indirect-selection", "empty",
               "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT),
               "--target-path", str(root / "target"), "--log-path", str(root / "logs")]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False)
    seconds = time.monotonic() - started
    tail = "\n".join(done.stdout.splitlines()[-40:])
    assert done.returncode == 0, f"dbt build --target spark failed after {seconds:.0f} s:\n{tail}"
    results = json.loads((root / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    tests = {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}
    assert tests == dict.fromkeys(SPARK_TESTS, "pass"), tests
    print(f"dbt build --target spark on the sample: {len(results)} nodes in {seconds:.0f} s")
    return root / "spark" / "tables"


def spark_relation(tables: Path, table: ExportTable) -> str:
    """The mart as Spark wrote it, read by DuckDB, cast to the contract's types (partition
    columns are folder names, which DuckDB reads as bigint or varchar)."""
    folder = tables / "marts.db" / table.mart
    columns = ", ".join(f"cast({c.name} as {c.type}) as {c.name}" for c in table.columns)
    return f"(select {columns} from read_parquet('{folder}/**/*.parquet', hive_partitioning = true))"


def mismatches(con: duckdb.DuckDBPyConnection, tables: Path, table: ExportTable) -> list[str]:
    duck = f"(select {', '.join(table.column_names)} from duck.{table.relation})"
    spark = spark_relation(tables, table)
    on = " and ".join(f"d.{k} is not distinct from s.{k}" for k in table.key)
    problems = []
    counts = con.execute(f"select (select count(*) from {duck}), (select count(*) from {spark})").fetchall()[0]
    if counts[0] != counts[1]:
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


def test_the_contract_marts_built_on_spark_equal_duckdbs(sample_warehouse: Path, spark_tables: Path) -> None:
    assert {table.mart for table in MART_TABLES} >= {"territory_totals", "partner_balance", "flow_links"}
    with duckdb.connect() as con:
        con.execute(f"attach '{sample_warehouse}' as duck (read_only)")
        problems = [problem for table in MART_TABLES for problem in mismatches(con, spark_tables, table)]
        compared = {
            table.name: con.execute(f"select count(*) from {spark_relation(spark_tables, table)}").fetchall()[0][0]
            for table in MART_TABLES
        }
    assert problems == [], "\n".join(problems)
    assert all(rows > 0 for rows in compared.values()), compared


def test_spark_types_are_the_contracts(spark_tables: Path) -> None:
    """The columns Spark stores in its Parquet files have the contract's types (partition
    columns, stored as folder names, are left out)."""
    wrong = []
    with duckdb.connect() as con:
        for table in MART_TABLES:
            folder = spark_tables / "marts.db" / table.mart
            described = con.execute(
                f"describe select * from read_parquet('{folder}/**/*.parquet', hive_partitioning = false)"
            ).fetchall()
            stored = {name: str(kind).lower() for name, kind, *_ in described}
            for column in table.columns:
                if column.name in stored and stored[column.name] != column.type:
                    wrong.append(f"{table.name}.{column.name}: {stored[column.name]}, contract {column.type}")
    assert wrong == [], wrong
