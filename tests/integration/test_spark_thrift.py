"""The refresh on Spark through a Spark Thrift server publishes the same exports as on DuckDB.

A real Spark Thrift server (`HiveThriftServer2`, from the jars of the locked pyspark, started with
its `spark-submit` on a free loopback port, stopped after) and the refresh with
`COMEX_SPARK_METHOD=thrift`: dbt-spark's Thrift connection (profiles.yml target `spark_thrift`,
COMEX_SPARK_HOST / COMEX_SPARK_PORT) runs the build and has the server write its tables as Parquet.
The server and the refresh share this machine's disk, so the landing and the results folder are
the refresh's defaults (beside the warehouse), as a shared mount would be on a cluster.

The same subset of the refresh job as the local-session parity test (the export-contract marts and
their ancestors, the export, the publication and their checks: `contract_selection`), compared in
the same way with the sample's DuckDB refresh: euros exactly, fractions within 1e-9.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyspark
import pytest

from orchestration.engine import java_problem
from orchestration.runner import RunOutcome, run_refresh
from orchestration.settings import SAMPLE_DIR, Paths
from orchestration.spark_engine import LOG4J_TEMPLATE
from tests.integration.test_spark_parity import MART_TABLES, SPARK_TESTS, contract_selection, mismatches

pytestmark = [pytest.mark.integration, pytest.mark.thrift]  # `make test-thrift`: ~3 min, beyond CI's budget

SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
#: How long the server may take to listen (a JVM, a Spark context, a Derby metastore: ~20 s here).
START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def thrift_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A Spark Thrift server on a free loopback port (its warehouse and metastore in a temp dir); its port."""
    if problem := java_problem():
        pytest.fail(f"{problem} — the test set-up (`make test`, through `make java`) installs it")
    root = tmp_path_factory.mktemp("spark-thrift")
    (root / "conf").mkdir()
    (root / "conf" / "log4j2.properties").write_text(LOG4J_TEMPLATE.format(log=root / "server.log"), encoding="utf-8")
    port = free_port()
    command = [
        str(Path(pyspark.__file__).parent / "bin" / "spark-submit"),
        *("--class", SERVER_CLASS, "--master", "local[2]"),
        *("--conf", f"spark.sql.warehouse.dir={root / 'tables'}"),
        *("--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={root}"),
        *("--conf", "spark.sql.shuffle.partitions=1", "--conf", "spark.sql.session.timeZone=UTC"),
        *("--conf", "spark.ui.enabled=false"),
        *("--hiveconf", f"hive.server2.thrift.port={port}", "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1"),
        "spark-internal",
    ]
    env = os.environ | {"SPARK_CONF_DIR": str(root / "conf"), "SPARK_LOG_DIR": str(root)}
    with (root / "spark-submit.out").open("wb") as out:  # the process group: spark-submit and its JVM
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Spark Thrift server did not start (exit {server.poll()}): see {root}")
            time.sleep(1)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def thrift_refresh(tmp_path_factory: pytest.TempPathFactory, thrift_server: int) -> Paths:
    """The sample refreshed on Spark through the Thrift server, into a private warehouse and exports folder."""
    root = tmp_path_factory.mktemp("thrift-refresh")
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    assets, checks = contract_selection()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COMEX_SPARK_METHOD", "thrift")
        env.setenv("COMEX_SPARK_HOST", "127.0.0.1")
        env.setenv("COMEX_SPARK_PORT", str(thrift_server))
        outcome = run_refresh(paths, sample=True, engine="spark", asset_selection=assets, asset_check_selection=checks)
    assert outcome.success, f"the Thrift refresh failed at {outcome.failed_step}: {outcome.error_message}"
    results = json.loads((paths.warehouse.parent / "dbt" / "run_results.json").read_text(encoding="utf-8"))["results"]
    tests = {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}
    assert tests == dict.fromkeys(SPARK_TESTS, "pass"), tests
    return paths


def test_the_exports_of_a_refresh_through_thrift_equal_duckdbs(
    sample_refresh: tuple[Paths, RunOutcome], thrift_refresh: Paths
) -> None:
    duck_dir, spark_dir = sample_refresh[0].exports_dir, thrift_refresh.exports_dir
    with duckdb.connect() as con:
        problems = [problem for table in MART_TABLES for problem in mismatches(con, duck_dir, spark_dir, table)]
    assert problems == [], "\n".join(problems)
    manifest = json.loads((spark_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "spark"
