"""A refresh killed with SIGKILL (the OOM killer, `kill -9`): nothing of it stays behind.

Only the refresh's own process is killed, as the OOM killer or an operator would: its Great
Expectations worker and multiprocessing's resource tracker must notice and end on their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from orchestration import raw_archive
from orchestration.dagster_home import PENDING_DIR
from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.integration

COMEX = str(Path(sys.executable).with_name("comex"))


def _group(pgid: int) -> list[psutil.Process]:
    """The live (not zombie) processes of a process group."""
    members = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (ProcessLookupError, psutil.Error):
            continue
    return members


def _workers(pid: int) -> list[psutil.Process]:
    """The multiprocessing children (the GX worker, the resource tracker) of a process."""
    return [p for p in psutil.Process(pid).children() if "multiprocessing" in " ".join(p.cmdline())]


def _workers(pid: int) -> list[psutil.Process]:
    """The multiprocessing children (the GX worker, the resource tracker) of a process."""
    return [p for p in psutil.Process(pid).children() if "multiprocessing" in " ".join(p.cmdline())]


def _wait_for(condition: object, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + 300
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, f"the refresh ended before {what}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"the refresh did not reach {what} in time:\n{log.read_text()}"
        time.sleep(0.05)


def test_a_killed_refresh_leaves_no_process_no_archived_file_and_shows_as_interrupted(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh" / "comex.duckdb"
    args = ["refresh", "--sample", "--warehouse", str(warehouse), "--exports-dir", str(tmp_path / "exports")]
    log = tmp_path / "refresh.log"
    incoming = raw_archive.archive_dir(warehouse) / raw_archive.INCOMING
    with log.open("w") as out:
        process = subprocess.Popen([COMEX, *args], cwd=REPO_ROOT, stdout=out, stderr=out, start_new_session=True)
    try:
        _wait_for(
            lambda: incoming.is_dir() and any(incoming.iterdir()) and _workers(process.pid), process, log, "ingestion"
        )
        _wait_for(lambda: (warehouse.parent / "dbt").is_dir(), process, log, "dbt")
        os.kill(process.pid, signal.SIGKILL)  # the refresh's process only, not its group
        process.wait(timeout=60)
        deadline = time.monotonic() + 15
        while (survivors := _group(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not survivors, [" ".join(p.cmdline())[:120] for p in survivors]
    finally:
        for survivor in _group(process.pid):
            survivor.kill()

    # Nothing was published: no live warehouse, no file kept in the archive, only the run's incoming files.
    assert not warehouse.exists()
    archive = raw_archive.archive_dir(warehouse)
    assert [p.name for p in archive.iterdir() if p.is_file()] == []
    status = subprocess.run(
        [COMEX, "status", "--warehouse", str(warehouse)], capture_output=True, text=True, timeout=120, check=False
    )
    said = " ".join(status.stdout.split())
    assert f"interrupted: pid {process.pid}, refresh started" in said, said
    assert "killed before it finished" in said
    raw_archive.settle(warehouse)  # what the next run does first
    assert not incoming.exists()
    # The run was on an in-memory Dagster instance: nothing half-recorded waits for the persistent one.
    assert not list((warehouse.parent / "dagster_home" / PENDING_DIR).glob("*"))
