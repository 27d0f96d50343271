"""One writer among Dagster runs: the tag every warehouse-writing run carries, and who holds it.

The warehouse's fcntl writer lock already refuses a second writer process; this guard lets the
schedule and the sensor not even start a run while one is queued or in progress, and gives
`run_queue.tag_concurrency_limits` a tag to limit (see orchestration/dagster.yaml.example).
"""

from __future__ import annotations

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

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
