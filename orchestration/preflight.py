"""What a refresh checks before it starts anything: its settings and its raw folder.

Each problem is one line naming the variable or the path, said at once (no Dagster import, no
warehouse opened): a bad `COMEX_*` value or an unreadable drop zone would otherwise surface
midway through the run as DuckDB's or Python's own words.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from orchestration.engine import check_engine
from orchestration.errors import ComexError
from orchestration.exports.manifest import produced_elsewhere
from orchestration.quality.settings import QualitySettings
from orchestration.settings import Paths
from orchestration.warehouse import MEMORY_LIMIT_ENV, check_not_busy, memory_limit

#: What DuckDB's memory_limit accepts: a number and a unit (1GB, 512 MB, 1.5GiB).
MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|[KMGT]i?B)", re.IGNORECASE)


def check_memory_limit() -> str:
    """COMEX_DUCKDB_MEMORY_LIMIT (or its default), or a ComexError naming the variable."""
    value = memory_limit()
    if not MEMORY_SIZE.fullmatch(value.strip()):
        raise ComexError(f"{MEMORY_LIMIT_ENV}={value!r} is not a memory size: give a number and a unit (1GB, 512MB)")
    return value


def check_raw_dir(raw_dir: Path) -> None:
    """The drop zone is a folder this process can list, or a ComexError naming it."""
    if not raw_dir.exists():
        raise ComexError(f"raw folder not found: {raw_dir} (drop DGDDI files there, or run `comex fetch`)")
    if not raw_dir.is_dir():
        raise ComexError(f"raw folder {raw_dir} is a file, not a folder: give the folder holding the DGDDI files")
    if not os.access(raw_dir, os.R_OK | os.X_OK):
        raise ComexError(f"raw folder {raw_dir} cannot be read by this user (permission denied)")


def check_refresh_inputs(paths: Paths, *, force: bool = False, engine: str | None = None) -> str:
    """Every setting a refresh reads from the environment, its engine (`engine`, else COMEX_ENGINE;
    on a local Spark session, a Java runtime), its raw folder, that no other refresh is writing the
    warehouse, and (unless `force`) that its exports folder was last produced from the same
    warehouse. Returns the engine."""
    check_not_busy(paths.warehouse)
    chosen = check_engine(engine)
    check_memory_limit()
    QualitySettings.from_env()  # COMEX_MAX_REJECTED_RATE, COMEX_MAX_NATIONAL_REVISION, COMEX_REVISION_THRESHOLD
    check_raw_dir(paths.raw_dir)
    if not force and (problem := produced_elsewhere(paths.exports_dir, paths.warehouse)):
        raise ComexError(problem)
    return chosen
