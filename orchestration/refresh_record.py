"""`last_refresh.json` next to the warehouse: the outcome of the last refresh, success or failure.

Written by the CLI runner and, for runs launched by the Dagster daemon, by a run-status sensor.
`comex status` and the "nothing new" fast path read it. No Dagster import at module level: the
CLI's fast path must start quickly.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from orchestration.checksums import tree_sha256
from orchestration.settings import REPO_ROOT

RECORD_NAME = "last_refresh.json"
#: Run tag: the dbt project fingerprint when a daemon run was requested (recorded on success).
FINGERPRINT_TAG = "comex/dbt_fingerprint"
#: Run tags of a refresh the CLI runs in process.
CLI_TRIGGER_TAGS = {"comex/trigger": "cli"}

#: What the dbt build depends on besides the data (the raw tables' shape included).
BUILD_FILES = ("dbt_project.yml", "profiles.yml", "orchestration/ingestion/registry.py")
BUILD_FOLDERS = ("models", "seeds", "macros")
#: What shapes the published files from the marts: a change re-exports, it rebuilds no mart.
EXPORT_FOLDERS = ("orchestration/exports",)


@dataclass
class RefreshRecord:
    """One refresh's outcome, as stored in `last_refresh.json`."""

    outcome: str  # success | failure
    job: str
    trigger: str  # cli | sensor <name> | schedule <name> | dagster
    started_at: str
    finished_at: str
    duration_seconds: float
    run_id: str | None = None
    failed_step: str | None = None
    error: str | None = None
    checks_passed: int = 0
    checks_failed: int = 0
    failed_checks: list[str] = field(default_factory=list)  # failed and warned, with their status
    checks_warned: int = 0
    dbt_fingerprint: str | None = None  # set on success only
    engine: str = "duckdb"  # the engine that built the dbt project: duckdb or spark (orchestration/engine.py)

    @property
    def success(self) -> bool:
        return self.outcome == "success"


def record_path(warehouse: Path) -> Path:
    return warehouse.parent / RECORD_NAME


def write_record(warehouse: Path, record: RefreshRecord) -> Path:
    """Replace the record atomically (a reader never sees half a file)."""
    path = record_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_record(warehouse: Path) -> RefreshRecord | None:
    """The last record, or None when there is none (or it is unreadable)."""
    path = record_path(warehouse)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RefreshRecord(**data)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def build_fingerprint(root: Path = REPO_ROOT) -> str:
    """sha256 over the names and bytes of the files the dbt build depends on."""
    return tree_sha256(root, BUILD_FILES, BUILD_FOLDERS)


def dbt_fingerprint(root: Path = REPO_ROOT) -> str:
    """What a refresh's output depends on besides the data, as `<build>+<exports>`: the build's
    fingerprint, then the sha256 of the exports code."""
    return f"{build_fingerprint(root)}+{tree_sha256(root, (), EXPORT_FOLDERS)}"


def build_part(fingerprint: str | None) -> str | None:
    """The dbt build's part of a fingerprint (None for none, or one recorded before the exports
    code had its own part: the build is then taken as changed)."""
    build, plus, _ = (fingerprint or "").partition("+")
    return build if plus else None


def built_by_current_project(warehouse: Path, engine: str = "duckdb") -> bool:
    """The warehouse's last refresh succeeded and was built by the dbt project as it is now, on `engine`
    (after a refresh on Spark, DuckDB rebuilds everything: its tables were loaded from Spark's).
    A change to the exports code alone rebuilds no mart."""
    record = read_record(warehouse)
    return (
        record is not None
        and record.success
        and build_part(record.dbt_fingerprint) == build_fingerprint()
        and record.engine == engine
    )


def trigger_from_tags(tags: dict[str, str] | None) -> str:
    """How a run started, from the tags Dagster puts on it."""
    tags = tags or {}
    if name := tags.get("dagster/sensor_name"):
        return f"sensor {name}"
    if name := tags.get("dagster/schedule_name"):
        return f"schedule {name}"
    return tags.get("comex/trigger", "dagster")


def utc_iso(timestamp: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC) if timestamp is not None else dt.datetime.now(dt.UTC)
    return moment.isoformat(timespec="seconds")
