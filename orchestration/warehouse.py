"""The DuckDB warehouse file: one writer at a time, built aside and swapped in whole.

A refresh never writes the live file. It copies it to a working copy next to it, ingests,
builds and checks there, and only then replaces the live file with `os.replace` (atomic on
POSIX). Readers holding a read-only connection keep reading the file they opened; a failed or
killed refresh leaves the live file exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.errors import WarehouseBusyError

#: DuckDB's memory limit for every connection of a refresh, dbt's included (profiles.yml reads the
#: same variable): DuckDB otherwise takes up to 80 % of the RAM, and a 10-year refresh peaked at
#: 6 GiB; with a limit it spills large joins and aggregations to disk instead (the budget: 2 GiB for the process tree).
MEMORY_LIMIT_ENV = "COMEX_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def connect(database: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to a warehouse file under the project's DuckDB memory limit."""
    return duckdb.connect(str(database), read_only=read_only, config={"memory_limit": memory_limit()})


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


#: The working copy's file name, whatever the live warehouse's: DuckDB names a database after its
#: file, and the dbt manifest (parsed once) names every relation in database `comex`. Views are
#: stored relative to their own database, so the live file may have any name.
WORKING_COPY_NAME = "comex.duckdb"


def working_copy_path(warehouse: Path) -> Path:
    """The run's copy of the warehouse, in a folder of its own beside it (the writer lock makes it private)."""
    return warehouse.with_name(f".{warehouse.name}.building") / WORKING_COPY_NAME


@contextlib.contextmanager
def writer_lock(warehouse: Path, purpose: str = "refresh") -> Iterator[None]:
    """Exclusive, non-blocking lock on the warehouse; released when the process ends, even if killed.

    While held, the lock file says who holds it ("pid 12, refresh started 2026-…"); it is emptied
    when the writer finishes, so a killed writer leaves its line behind (`interrupted_writer`).
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(warehouse)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise WarehouseBusyError(
                f"{warehouse}: another refresh is writing it ({holder}); try again when it has finished"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, {purpose} started {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def _probe_lock(warehouse: Path) -> tuple[bool, str]:
    """(is a writer holding the lock now, the line in the lock file), without keeping the lock."""
    path = lock_path(warehouse)
    if not path.is_file():
        return False, ""
    with path.open("r") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True, fh.read().strip()
        try:
            return False, fh.read().strip()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_writer(warehouse: Path) -> str | None:
    """Who writes the warehouse now ("pid 12, refresh started …"), or None."""
    held, line = _probe_lock(warehouse)
    return (line or "another process") if held else None


def check_not_busy(warehouse: Path) -> None:
    """WarehouseBusyError now if another process holds the writer lock (nothing created, nothing
    kept: the run takes the lock itself later). Lets a second writer be refused at once."""
    if holder := current_writer(warehouse):
        raise WarehouseBusyError(
            f"{warehouse}: another refresh is writing it ({holder}); try again when it has finished"
        )


def interrupted_writer(warehouse: Path) -> str | None:
    """The line a writer killed before it finished left in the lock file, or None (none was
    killed since the last writer finished, or one is writing now)."""
    held, line = _probe_lock(warehouse)
    return None if held else line or None


def start_working_copy(warehouse: Path, template: Path | None = None) -> Path:
    """Copy the live warehouse to a fresh working copy and return its path.

    With no live warehouse yet, the working copy starts as a copy of `template` if given, else empty.
    """
    working = working_copy_path(warehouse)
    discard(working)  # left over by a killed run
    working.parent.mkdir(exist_ok=True)
    start = warehouse if warehouse.exists() else template
    if start is not None:
        shutil.copyfile(start, working)
    return working


def publish(working: Path, warehouse: Path) -> None:
    """Checkpoint the working copy and swap it in as the live warehouse."""
    with connect(working) as con:
        con.execute("checkpoint")
    working.replace(warehouse)
    discard(warehouse.with_name(warehouse.name + ".wal"))


def discard(working: Path) -> None:
    """Remove a working copy and its write-ahead log (and its folder, once empty)."""
    working.unlink(missing_ok=True)
    working.with_name(working.name + ".wal").unlink(missing_ok=True)
    if working.name == WORKING_COPY_NAME:
        with contextlib.suppress(OSError):
            working.parent.rmdir()


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A reader's connection: never takes the writer's place."""
    return connect(warehouse, read_only=True)


def dbt_target_dir(warehouse: Path) -> Path:
    """Where dbt writes a refresh's artifacts and log: beside the warehouse, not in the repository."""
    return warehouse.parent / "dbt"


#: Tables of the raw schema whose ids grow with every ingestion (table -> id column).
_GROWING_IDS = {"vintages": "vintage_id", "label_files": "label_file_id"}


def last_ids(warehouse: Path) -> dict[str, int]:
    """The highest vintage and label-list ids of a (live) warehouse: what a run's new ones are above."""
    ids = dict.fromkeys(_GROWING_IDS, 0)
    if not warehouse.exists():
        return ids
    with connect_read_only(warehouse) as con:
        present = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()}  # fmt: skip
        for table, column in _GROWING_IDS.items():
            if table in present:
                row = con.execute(f"select coalesce(max({column}), 0) from raw.{table}").fetchone()
                ids[table] = int(row[0]) if row else 0
    return ids
