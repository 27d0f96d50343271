"""One writer among Dagster runs: the tag every warehouse-writing run carries, and who holds it.

The warehouse's fcntl writer lock already refuses a second writer process; this guard lets the
schedule and the sensor not even start a run while one is queued or in progress, and gives
`run_queue.tag_concurrency_limits` a tag to limit (see orchestration/dagster.yaml.example).
"""

from __future__ import annotations

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from orchestration.settings import Paths

WRITER_TAG_KEY = "comex/writer"
WRITER_TAGS = {WRITER_TAG_KEY: "warehouse"}

IN_PROGRESS = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


def writer_run_in_progress(instance: DagsterInstance) -> DagsterRun | None:
    """A queued or running warehouse-writing run of this instance, if any."""
    runs = instance.get_runs(filters=RunsFilter(tags=WRITER_TAGS, statuses=IN_PROGRESS), limit=1)
    return runs[0] if runs else None


def resource_config(paths: Paths, *, sample: bool, accept_revisions: bool = False) -> dict:
    """The `comex` resource's run config for these locations."""
    return {
        "comex": {
            "config": {
                "raw_dir": str(paths.raw_dir),
                "warehouse": str(paths.warehouse),
                "exports_dir": str(paths.exports_dir),
                "sample": sample,
                "accept_revisions": accept_revisions,
            }
        }
    }


def paths_of_run(run_config: dict | None) -> Paths:
    """The locations a run used (its `comex` resource config, else env vars and defaults)."""
    config = ((run_config or {}).get("resources", {}).get("comex", {}) or {}).get("config", {}) or {}
    return Paths.resolve(
        config.get("raw_dir") or None,
        config.get("warehouse") or None,
        config.get("exports_dir") or None,
        sample=bool(config.get("sample", False)),
    )
