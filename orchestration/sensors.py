"""Sensors: a refresh when new files settle in the raw drop zone, and the outcome of every run.

`raw_dir_sensor` starts one `refresh` run when the files of the raw folder changed, have kept
the same sizes and mtimes between two evaluations (a copy in progress is waited for), and hold
data or labels the live warehouse does not have yet. It skips while a
warehouse-writing run is queued or in progress. The two run-status sensors write
`last_refresh.json` for runs launched by the daemon (the CLI's runner writes its own).
"""

from __future__ import annotations

import hashlib
import json
import os
import time

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SkipReason,
    run_status_sensor,
    sensor,
)

from orchestration.freshness import new_files
from orchestration.ingestion.drop_zone import received_files
from orchestration.jobs import refresh_job
from orchestration.refresh_record import CLI_TRIGGER_TAGS, FINGERPRINT_TAG, dbt_fingerprint, write_record
from orchestration.resources import engine_of_run, paths_of_run, resource_config
from orchestration.run_guard import WRITER_TAG_KEY, WRITER_TAGS, writer_run_in_progress
from orchestration.run_report import refresh_record, summarise_run
from orchestration.settings import Paths

ENV_SENSOR_INTERVAL = "COMEX_SENSOR_INTERVAL"
DEFAULT_SENSOR_INTERVAL = 60

Snapshot = dict[str, list[int]]  # file name → [size, mtime_ns]


def snapshot(paths: Paths) -> Snapshot:
    """Size and mtime of every file of the raw folder that ingestion reads."""
    result: Snapshot = {}
    for file in received_files(paths.raw_dir):
        stat = file.path.stat()
        result[file.name] = [stat.st_size, stat.st_mtime_ns]
    return result


def _load_cursor(cursor: str | None) -> tuple[Snapshot | None, Snapshot | None]:
    """(last seen, last handled) snapshots."""
    if not cursor:
        return None, None
    data = json.loads(cursor)
    return data.get("seen"), data.get("handled")


def _cursor(seen: Snapshot, handled: Snapshot | None) -> str:
    return json.dumps({"seen": seen, "handled": handled}, sort_keys=True)


@sensor(
    name="raw_dir_sensor",
    job=refresh_job,
    minimum_interval_seconds=int(os.environ.get(ENV_SENSOR_INTERVAL, DEFAULT_SENSOR_INTERVAL)),
    default_status=DefaultSensorStatus.RUNNING,
    description="One refresh when new customs files have settled in the raw drop zone.",
)
def raw_dir_sensor(context: SensorEvaluationContext) -> RunRequest | SkipReason:
    paths = Paths.resolve()
    if not paths.raw_dir.is_dir():  # not created yet (or unmounted): nothing to watch, nothing to say
        return SkipReason(f"no raw folder at {paths.raw_dir}: nothing to watch")
    current = snapshot(paths)
    seen, handled = _load_cursor(context.cursor)
    if current == handled:
        return SkipReason(f"no change in {paths.raw_dir}")
    if current != seen:
        context.update_cursor(_cursor(current, handled))
        return SkipReason(f"{paths.raw_dir} changed; waiting one more evaluation for the files to settle")
    if run := writer_run_in_progress(context.instance):
        return SkipReason(f"run {run.run_id} ({run.job_name}) is writing the warehouse; will look again")
    news = new_files(paths.raw_dir, paths.warehouse)
    context.update_cursor(_cursor(current, current))
    if not news:
        return SkipReason("the raw folder holds no data or labels the warehouse lacks")
    key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return RunRequest(
        run_key=f"raw-{key}",
        run_config={"resources": resource_config(paths, sample=False)},
        tags={
            **WRITER_TAGS,
            "comex/trigger": "sensor",
            "comex/new_files": ", ".join(news)[:200],
            FINGERPRINT_TAG: dbt_fingerprint(),
        },
    )


def record_run_outcome(context: RunStatusSensorContext) -> None:
    """Write `last_refresh.json` for a finished warehouse-writing run of this instance."""
    run = context.dagster_run
    if run.tags.get(WRITER_TAG_KEY) is None or all(run.tags.get(k) == v for k, v in CLI_TRIGGER_TAGS.items()):
        return  # not a writer, or a CLI refresh (it records its own outcome)
    instance = context.instance
    events = [entry.dagster_event for entry in instance.all_logs(run.run_id) if entry.dagster_event is not None]
    stats = instance.get_run_stats(run.run_id)
    record = refresh_record(
        summarise_run(events),
        success=run.status == DagsterRunStatus.SUCCESS,
        job=run.job_name,
        tags=dict(run.tags),
        run_id=run.run_id,
        started=stats.start_time or time.time(),
        finished=stats.end_time or time.time(),
        fingerprint=run.tags.get(FINGERPRINT_TAG) or dbt_fingerprint(),
        engine=_engine_of(run.run_config),
    )
    write_record(paths_of_run(run.run_config).warehouse, record)


def _engine_of(run_config: dict | None) -> str:
    """The run's engine; a bad COMEX_ENGINE (the run failed on it) is recorded as given."""
    from orchestration.errors import ComexError

    try:
        return engine_of_run(run_config)
    except ComexError:
        return os.environ.get("COMEX_ENGINE", "?")


@run_status_sensor(
    name="record_refresh_success",
    run_status=DagsterRunStatus.SUCCESS,
    default_status=DefaultSensorStatus.RUNNING,
    description="Records a successful daemon refresh in last_refresh.json (read by `comex status`).",
)
def record_refresh_success(context: RunStatusSensorContext) -> None:
    record_run_outcome(context)


@run_status_sensor(
    name="record_refresh_failure",
    run_status=DagsterRunStatus.FAILURE,
    default_status=DefaultSensorStatus.RUNNING,
    description="Records a failed daemon refresh in last_refresh.json (read by `comex status`).",
)
def record_refresh_failure(context: RunStatusSensorContext) -> None:
    record_run_outcome(context)
