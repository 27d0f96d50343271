"""The dbt step of a refresh on Spark: the same `dbt build`, run by dbt-spark, its tables brought back.

A refresh on Spark (`comex refresh --engine spark`, orchestration/engine.py) ingests and checks the
raw files as on DuckDB, into the run's working copy of the warehouse. Its dbt step then:

1. lands the working copy's `raw` tables as Parquet where Spark reads them
   (orchestration/spark_landing.py; COMEX_SPARK_RAW_PATH, else `raw_parquet/` beside the warehouse);
2. runs `dbt build --target spark` (a local session in this process; `spark_thrift` when
   COMEX_SPARK_METHOD=thrift) in process, with the selection a refresh on DuckDB would run, every
   model rebuilt (`--full-refresh`: Spark's tables are a copy, and a failed run may have left them
   ahead of the published warehouse);
3. has Spark write every table it built whose DuckDB counterpart is a table (seeds, marts, check
   models) as Parquet (`insert overwrite directory`, COMEX_SPARK_RESULTS_PATH, else
   `spark_results/` beside the warehouse) and loads them into the working copy under the DuckDB
   names and the contracts' column order and types. DuckDB's own views (staging, intermediate:
   stored queries, no data) are then created by dbt on DuckDB.

So the Great Expectations checks, the export writer and the publication read the same DuckDB
relations whatever the engine, and a failed Spark build publishes nothing: the working copy is
discarded as on DuckDB. When the build fails, the check models it did build are loaded too, so the
failure is told in words (orchestration/check_models.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration import engine as engines
from orchestration import warehouse as warehouse_file
from orchestration.errors import ComexError
from orchestration.settings import environment
from orchestration.spark_landing import ENV_RAW_PATH, land

ENV_SPARK_DIR = "COMEX_SPARK_DIR"
ENV_CATALOG = "COMEX_SPARK_CATALOG"
ENV_RESULTS_PATH = "COMEX_SPARK_RESULTS_PATH"
RESULTS_NAME = "spark_results"
#: DuckDB materialisations whose relations are copied from Spark (views are DuckDB's own).
COPIED = frozenset({"table", "incremental", "seed"})
#: What a failed Spark start looks like in dbt's messages.
_START_FAILURES = ("JAVA_GATEWAY_EXITED", "Java gateway process exited", "JAVA_HOME is not set")
LOG4J_TEMPLATE = """\
# Spark's JVM logs to {log} rather than the terminal (a refresh on Spark, orchestration/spark_engine.py)
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{{yy/MM/dd HH:mm:ss}} %p %c{{1}}: %m%n
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
"""


@dataclass
class SparkBuild:
    """What the Spark side of a dbt step did besides dbt's own results."""

    target: str
    landing: Path
    results: Path
    seconds: dict[str, float] = field(default_factory=dict)  # landing, dbt, results, views
    loaded: list[str] = field(default_factory=list)  # DuckDB relations loaded from Spark


def spark_dir(warehouse: Path) -> Path:
    """The local session's tables and metastore: COMEX_SPARK_DIR, else `spark/` beside the warehouse."""
    return Path(os.environ.get(ENV_SPARK_DIR) or warehouse.parent / "spark").expanduser().resolve()


def local_folder(variable: str, default: Path) -> Path:
    """A folder this process writes and Spark reads (or the reverse): `variable`, else `default`."""
    value = os.environ.get(variable)
    if not value:
        return default
    if "://" in value:
        raise ComexError(
            f"{variable}={value}: a refresh on Spark writes and reads this folder itself: give a path this "
            "machine sees (on a cluster, a shared mount the Spark workers see at the same path)"
        )
    return Path(value).expanduser().resolve()


@contextlib.contextmanager
def spark_build(working_copy: Path, live_warehouse: Path, target_dir: Path) -> Iterator[SparkBuild]:
    """The landing written, the environment profiles.yml's Spark targets read set, and afterwards the
    local Spark session stopped (its JVM too: the rest of the refresh has the memory back)."""
    started = time.perf_counter()
    method = engines.spark_method()
    landing = local_folder(ENV_RAW_PATH, live_warehouse.parent / "raw_parquet")
    results = local_folder(ENV_RESULTS_PATH, live_warehouse.parent / RESULTS_NAME)
    build = SparkBuild(engines.SPARK_TARGETS[method], land(working_copy, landing), results)
    build.seconds["landing"] = time.perf_counter() - started
    env = {ENV_RAW_PATH: str(landing)}
    if method == "session":
        local = spark_dir(live_warehouse)
        if os.environ.get(ENV_CATALOG, "").strip() == "in-memory":
            shutil.rmtree(local / "tables", ignore_errors=True)  # no catalog remembers them: CTAS would refuse
        conf_dir = local / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        log = target_dir / "spark.log"
        (conf_dir / "log4j2.properties").write_text(LOG4J_TEMPLATE.format(log=log), encoding="utf-8")
        env |= {ENV_SPARK_DIR: str(local), "SPARK_CONF_DIR": str(conf_dir)}
    try:
        with environment(env), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
            yield build
    finally:
        shutil.rmtree(results, ignore_errors=True)
        if method == "session":
            stop_local_session()


def stop_local_session() -> None:
    """Stop the local Spark session dbt-spark started in this process, and its JVM."""
    import sys

    if "pyspark" not in sys.modules:  # Spark never started
        return
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    with contextlib.suppress(Exception):
        session = SparkSession.getActiveSession() or SparkSession._instantiatedSession
        if session is not None:
            session.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    with contextlib.suppress(Exception):
        gateway.shutdown()
    process = getattr(gateway, "proc", None)
    if process is not None:  # the JVM ends when its stdin closes
        with contextlib.suppress(Exception):
            process.stdin.close()
            process.wait(timeout=60)
    SparkContext._gateway = None
    SparkContext._jvm = None


def start_failure(messages: list[str], exception: BaseException | None) -> str | None:
    """One line when Spark itself could not start (no Java, a JVM that died), else None."""
    text = " ".join([*messages, str(exception or "")])
    if any(marker in text for marker in _START_FAILURES):
        return "Spark could not start (the local session's JVM exited; see dbt.log and spark.log beside the warehouse)"
    return None


def copy_to_duckdb(
    build: SparkBuild,
    adapter: Any,
    built: list[Any],
    database: Path,
    duckdb_nodes: dict[str, dict[str, Any]],
    *,
    only: Callable[[dict[str, Any]], bool] | None = None,
) -> None:
    """Have Spark write each built node's table as Parquet, and load it into `database` under the
    node's DuckDB name (the prepared manifest's schema and alias), columns in the contract's order
    and types. `built` are dbt's node results; only models and seeds that succeeded and are tables
    on DuckDB are copied (and of those, `only` when given)."""
    started = time.perf_counter()
    todo = []
    for result in built:
        node = result.node
        duck = duckdb_nodes.get(node.unique_id)
        if str(result.status) != "success" or duck is None or duck["config"]["materialized"] not in COPIED:
            continue
        if only is not None and not only(duck):
            continue
        todo.append((node, duck))
    if not todo:
        return
    shutil.rmtree(build.results, ignore_errors=True)
    build.results.mkdir(parents=True)
    with adapter.connection_named("comex_spark_results"):
        for node, duck in todo:
            folder = build.results / f"{duck['schema']}.{duck['alias']}"
            spark_relation = f"{node.schema}.{node.alias}"
            adapter.execute(
                f"insert overwrite directory '{folder.as_posix()}' using parquet select * from {spark_relation}",
                auto_begin=False,
                fetch=False,
            )
    with warehouse_file.connect(database) as con:
        for _node, duck in todo:
            folder = build.results / f"{duck['schema']}.{duck['alias']}"
            relation = f"{duck['schema']}.{duck['alias']}"
            con.execute(f"create schema if not exists {duck['schema']}")
            con.execute(f"create or replace table {relation} as {_select(con, folder, duck)}")
            build.loaded.append(relation)
        con.execute("drop table if exists reference.seed_state")  # seeds loaded by Spark: DuckDB reloads its own
    build.seconds["results"] = time.perf_counter() - started


def _select(con: Any, folder: Path, node: dict[str, Any]) -> str:
    """The Parquet files Spark wrote for `node`, in the DuckDB node's column order and declared types."""
    files = sorted(str(p) for p in folder.glob("*.parquet") if p.stat().st_size > 0)
    if not files:
        raise ComexError(f"Spark wrote no Parquet file for {node['schema']}.{node['alias']} in {folder}")
    source = "read_parquet([" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "])"
    stored = [row[0] for row in con.execute(f"describe select * from {source}").fetchall()]
    declared = {name.lower(): column for name, column in (node.get("columns") or {}).items()}
    if not declared or set(stored) - set(declared):
        return f"select * from {source}"
    columns = []
    for name, column in declared.items():
        if name not in stored:
            continue
        data_type = column.get("data_type")
        columns.append(f"cast({name} as {data_type}) as {name}" if data_type else name)
    return f"select {', '.join(columns)} from {source}"
