"""Run dbt in this process with dbt's programmatic runner, and say plainly what failed.

`run_dbt(args, database)` invokes `dbtRunner` with the manifest parsed once
(`dbt_project.parsed_manifest()`): no subprocess, no parse. dbt's result events (models,
seeds, tests) are collected as the raw dictionaries dbt's structured log is made of, which is
what dagster-dbt turns into Dagster materialisations and asset checks. After the run, dbt's
DuckDB connection is closed: the refresh's own connections open the same file next.

When the build fails, `DbtBuildError` carries one line per failing node, whole: a model's
error, or for a failing check the rows it found (the national revision gate names the file,
the quarter and the change).
"""

from __future__ import annotations

import gc
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.dbt_project import MANIFEST_JSON, PARSE_DATABASE, dbt_database, parsed_manifest, project_args
from orchestration.dbt_selection import VIEW_FOLDERS, VIEW_MODEL_PATHS
from orchestration.engine import DUCKDB, SPARK
from orchestration.errors import ComexError

RESULT_EVENTS = frozenset({"LogModelResult", "LogSeedResult", "LogSnapshotResult", "LogTestResult"})
TABLES = frozenset({"table", "incremental"})  # a model's materialisations that hold rows
MAX_ROWS_SHOWN = 3


class DbtBuildError(ComexError):
    """dbt failed; the message has one line per failing node."""


@dataclass
class DbtRun:
    """What an invocation did: the raw result events and, per node, its status and message."""

    success: bool
    events: list[dict[str, Any]] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (unique_id, status, message)
    seconds_by_node: dict[str, float] = field(default_factory=dict)
    exception: BaseException | None = None


def run_dbt(
    args: list[str], database: Path, target_dir: Path, *, engine: str = DUCKDB, live_warehouse: Path | None = None
) -> DbtRun:
    """`dbt <args>` on `database`, in process; artifacts and dbt.log in `target_dir`.

    The parsed manifest names the catalog `comex`: `database` must be a file named comex.duckdb
    (a refresh's working copy is). With `engine="spark"` dbt-spark runs the same command on Spark
    and the tables it built are loaded into `database` (orchestration/spark_engine.py; its landing
    and Spark's files default to folders beside `live_warehouse`).
    """
    if engine == SPARK:
        return _run_on_spark(args, database, target_dir, live_warehouse or database)
    if database.name != PARSE_DATABASE.name:
        raise ComexError(f"{database}: dbt runs on a warehouse file named {PARSE_DATABASE.name} (copy it to one)")
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    events: list[dict[str, Any]] = []
    collect = _collector(events)
    target_dir.mkdir(parents=True, exist_ok=True)
    quiet_artifacts = args[:1] == ["build"] or args[:1] == ["run"] or args[:1] == ["test"]
    command = [
        *args,
        *project_args(),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir),
        *(["--no-write-json"] if quiet_artifacts else []),
    ]
    manifest = parsed_manifest()  # parsed (if the project changed) before the profile points at `database`
    frozen_already = gc.get_freeze_count() > 0  # a process that froze its heap (`comex refresh`) keeps it so
    gc.freeze()  # what exists now (the manifest, Dagster's definitions) outlives the run: _release skips it
    with dbt_database(database):
        try:
            result = dbtRunner(manifest=manifest, callbacks=[collect]).invoke(command)
        finally:
            _release(DuckDBConnectionManager, unfreeze=not frozen_already)
    if quiet_artifacts:
        _write_artifacts(result.result, target_dir)
    return run_of(result, events)


def _write_artifacts(result: Any, target_dir: Path) -> None:
    """run_results.json and manifest.json in `target_dir`, as dbt would write them, for less.

    dbt serialises the whole manifest again after every command (~0.7 s); it is the prepared
    one, so a copy of that file does. run_results.json comes from the invocation's result.
    """
    shutil.copyfile(MANIFEST_JSON, target_dir / "manifest.json")
    if hasattr(result, "write"):
        result.write(str(target_dir / "run_results.json"))


def _run_on_spark(args: list[str], database: Path, target_dir: Path, live_warehouse: Path) -> DbtRun:
    """`dbt <args> --target spark` (or spark_thrift), parsed for Spark; then Spark's tables into `database`.

    The prepared manifest is DuckDB's (its configs are rendered for DuckDB: materialisations,
    schemas), so dbt parses the project for Spark here (partial parsing keeps it quick after the first).
    """
    from dbt.adapters.factory import get_adapter_by_type, reset_adapters
    from dbt.cli.main import dbtRunner

    from orchestration import spark_engine
    from orchestration.dbt_project import manifest_dict

    events: list[dict[str, Any]] = []
    collect = _collector(events)
    target_dir.mkdir(parents=True, exist_ok=True)
    with spark_engine.spark_build(database, live_warehouse, target_dir) as build:
        command = [*args, "--target", build.target, *project_args(), "--target-path", str(target_dir),
                   "--log-path", str(target_dir)]  # fmt: skip
        try:
            result = dbtRunner(callbacks=[collect]).invoke(command)
            run = run_of(result, events)
            if problem := spark_engine.start_failure([message for *_, message in run.failures], result.exception):
                return DbtRun(success=False, events=events, exception=ComexError(problem))
            built = getattr(result.result, "results", None) or []
            if built:  # on failure, the check models it built: the failing checks are told in words
                only = None if run.success else (lambda node: node["schema"] == "checks")
                adapter = get_adapter_by_type("spark")
                spark_engine.copy_to_duckdb(build, adapter, built, database, manifest_dict()["nodes"], only=only)
        finally:
            reset_adapters()
    if run.success:  # DuckDB's own views: staging and intermediate, and the others over the tables built
        selection = [*VIEW_FOLDERS, *_views_over({result.node.unique_id for result in built})]
        views = run_dbt(["run", "--select", *selection], database, target_dir / "duckdb_views")
        if not views.success:
            return DbtRun(False, events, views.failures, run.seconds_by_node, views.exception)
    return run


def _views_over(built: set[str]) -> list[str]:
    """The views on DuckDB outside staging and intermediate (fct_trade_flows, the check views)
    whose tables upstream were all built: all of them in a whole refresh, those over the marts
    of the subset a user picked in the Dagster UI otherwise."""
    from orchestration.dbt_project import manifest_dict

    nodes = manifest_dict()["nodes"]
    tables = {unique_id for unique_id, node in nodes.items() if node["config"].get("materialized") in TABLES}
    return [
        node["name"]
        for node in nodes.values()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") == "view"
        and not node["original_file_path"].startswith(VIEW_MODEL_PATHS)
        and set(node["depends_on"]["nodes"]) & tables <= built
    ]


def _collector(events: list[dict[str, Any]]) -> Any:
    """A dbt callback that appends each node's result event to `events`, as a plain dictionary."""
    from dbt_common.events.functions import msg_to_dict

    def collect(event: Any) -> None:
        if event.info.name in RESULT_EVENTS:
            events.append(msg_to_dict(event))

    return collect


def run_of(result: Any, events: list[dict[str, Any]]) -> DbtRun:
    """A dbt invocation's outcome: success, result events, failing nodes and their messages, times."""
    run = DbtRun(success=bool(result.success), events=events, exception=result.exception)
    for node_result in getattr(result.result, "results", None) or []:
        run.seconds_by_node[node_result.node.unique_id] = float(node_result.execution_time or 0)
        status = str(node_result.status)
        if status in ("error", "fail", "runtime error"):
            message = " ".join(line.strip() for line in str(node_result.message or "").splitlines() if line.strip())
            run.failures.append((node_result.node.unique_id, status, message))
    return run


def _release(connection_manager: Any, *, unfreeze: bool = True) -> None:
    """Close what dbt keeps open after an invocation: its DuckDB database and its adapter.

    dbt-duckdb keeps the DuckDB database open for the next invocation, and the refresh's own
    connections open the same file next, with another configuration; the adapter holds
    multiprocessing locks that would be reported as leaked when the process ends.
    """
    from dbt.adapters.factory import reset_adapters

    connection_manager.close_all_connections()
    reset_adapters()
    gc.collect()  # only what run_dbt's invocation made (~0 s, where the whole heap took 0.15–0.35 s)
    if unfreeze:
        gc.unfreeze()


def node_name(unique_id: str) -> str:
    """`model.comex_territoires.dim_country` and `test.comex_territoires.<name>.<hash>` → the name."""
    return unique_id.split(".")[2]


def failure_message(run: DbtRun, describe: Any = None) -> str:
    """One sentence per failing node (`describe(unique_id)` may tell what a failing check found)."""
    if not run.failures:
        reason = run.exception or "no node failed; see dbt.log"
        return f"dbt could not run: {' '.join(str(reason).split())}"
    lines = []
    for unique_id, status, message in run.failures:
        found = describe(unique_id) if describe else None
        name = node_name(unique_id)
        lines.append(found or (f"{name}: {message}" if message else f"{name}: {status}"))
    return "; ".join(lines)
