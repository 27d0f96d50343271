"""The persistent Dagster instance that keeps the history of every refresh, for `make dagster`.

It lives in `DAGSTER_HOME` when that is set (the daemon's instance, see README "Unattended
refresh"), else in `dagster_home/` beside the warehouse, made on first use with
orchestration/dagster.yaml.example (one warehouse writer at a time, no telemetry).

A CLI refresh runs on an in-memory instance: Dagster's SQLite storage opens a database engine
and commits for every event (~400 a refresh), which took seconds of the run. When the run is
over, `save_run` writes it — run, snapshots and events, what `dagster debug export` writes —
to `pending_runs/`, and `import_pending_runs` adds it to the persistent instance the way
`dagster debug import` does: in the background after the CLI's refresh, and before `make
dagster` starts. `python -m orchestration.dagster_home [--import-pending]` prints the folder.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import gzip
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.settings import Paths

if TYPE_CHECKING:
    from dagster import DagsterInstance

HOME_ENV = "DAGSTER_HOME"
EXAMPLE_CONFIG = Path(__file__).with_name("dagster.yaml.example")
PENDING_DIR = "pending_runs"


def dagster_home(warehouse: Path) -> Path:
    """`DAGSTER_HOME`, else `dagster_home/` next to the warehouse."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser().resolve() if configured else warehouse.parent.resolve() / "dagster_home"


def ensure_dagster_home(home: Path) -> Path:
    """The instance folder, made (with a dagster.yaml) if it does not exist yet."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(EXAMPLE_CONFIG, config)
    return home


def save_run(instance: DagsterInstance, run_id: str, home: Path) -> Path:
    """Write a finished run of `instance` for the persistent instance in `home` to import."""
    from dagster._core.debug import DebugRunPayload  # what `dagster debug export` writes
    from dagster._serdes import serialize_value

    run = instance.get_run_by_id(run_id)
    assert run is not None
    pending = ensure_dagster_home(home) / PENDING_DIR
    pending.mkdir(exist_ok=True)
    target = pending / f"{run_id}.json.gz"
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_bytes(gzip.compress(serialize_value(DebugRunPayload.build(instance, run)).encode(), 1))
    partial.replace(target)
    return target


def import_pending_runs(home: Path) -> list[str]:
    """Add the saved runs to the persistent instance (as `dagster debug import` does); their ids."""
    pending = home / PENDING_DIR
    if not any(pending.glob("*.json.gz")):
        return []
    from dagster import DagsterInstance
    from dagster._core.debug import DebugRunPayload
    from dagster._serdes import deserialize_value

    imported = []
    with _import_lock(pending), DagsterInstance.from_config(str(ensure_dagster_home(home))) as instance:
        for file in sorted(pending.glob("*.json.gz"), key=lambda path: path.stat().st_mtime):
            payload = deserialize_value(gzip.decompress(file.read_bytes()).decode(), DebugRunPayload)
            run = payload.dagster_run
            for snapshot_id, snapshot in (
                (run.execution_plan_snapshot_id, payload.execution_plan_snapshot),
                (run.job_snapshot_id, payload.job_snapshot),
            ):
                if snapshot_id and not instance.has_snapshot(snapshot_id):
                    instance.add_snapshot(snapshot)
            if instance.has_run(run.run_id):  # an import cut short: its events may be partial
                instance.delete_run(run.run_id)
            instance.add_run(run)
            for event in payload.event_list:
                instance.store_event(event)
            file.unlink()
            imported.append(run.run_id)
    return imported


def import_in_background(home: Path) -> None:
    """Start `import_pending_runs` in a detached process (its output in pending_runs/import.log)."""
    pending = home / PENDING_DIR
    with (pending / "import.log").open("ab") as log:
        subprocess.Popen(
            [sys.executable, "-m", "orchestration.dagster_home", "--import-pending", "--home", str(home)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def wait_for_background_imports(timeout: float = 120.0) -> None:
    """Wait for the detached imports `import_in_background` started (any home): before deleting
    the folder one writes into, or before timing another run beside it."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        importers = []
        for process in psutil.process_iter(["cmdline"]):
            cmdline = process.info.get("cmdline") or []
            if "orchestration.dagster_home" in cmdline and "--import-pending" in cmdline:
                importers.append(process)
        if not importers:
            return
        psutil.wait_procs(importers, timeout=max(0.1, deadline - time.monotonic()))


@contextlib.contextmanager
def _import_lock(pending: Path) -> Iterator[None]:
    """One importer at a time (a second one waits: the first may be importing its run)."""
    with (pending / ".import.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main() -> None:
    parser = argparse.ArgumentParser(description="The Dagster instance of comex refreshes: print its folder.")
    parser.add_argument("--home", type=Path, help="the instance folder (default: DAGSTER_HOME, else by the warehouse)")
    parser.add_argument("--import-pending", action="store_true", help="first import the refreshes saved for it")
    args = parser.parse_args()
    home = ensure_dagster_home(args.home or dagster_home(Paths.resolve().warehouse))
    if args.import_pending:
        for run_id in import_pending_runs(home):
            print(f"imported run {run_id}", file=sys.stderr)
    print(home)


if __name__ == "__main__":
    main()
