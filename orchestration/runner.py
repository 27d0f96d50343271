"""Run the Dagster `refresh` job in process, exactly as a schedule would, and summarise it."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterInstance, RunsFilter

from orchestration.dagster_home import dagster_home, ensure_dagster_home
from orchestration.definitions import defs
from orchestration.disk_space import explain_disk_full, explain_run_storage_error
from orchestration.errors import WarehouseBusyError
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.refresh_record import CLI_TRIGGER_TAGS, dbt_fingerprint, write_record
from orchestration.resources import paths_of_run, resource_config
from orchestration.run_guard import IN_PROGRESS
from orchestration.run_report import RunSummary, refresh_record, summarise_run
from orchestration.settings import Paths
from orchestration.warehouse import check_not_busy


@dataclass
class RunOutcome:
    """What the CLI prints about a run."""

    success: bool
    seconds: float
    failed_step: str | None = None
    error_message: str | None = None
    error_detail: str | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)
    quality_lines: list[str] = field(default_factory=list)  # checks passed/warned/failed, with evidence


def refresh_log_path(paths: Paths) -> Path:
    """Where the full log of the last CLI refresh (dbt's output included) is kept."""
    return paths.warehouse.parent / "logs" / "last_refresh.log"


def run_refresh(
    paths: Paths,
    *,
    sample: bool = False,
    instance: DagsterInstance | None = None,
    job_name: str = REFRESH_JOB_NAME,
    tags: dict[str, str] | None = None,
    accept_revisions: bool = False,
) -> RunOutcome:
    """Execute the refresh job in this process; never raises for a failed step.

    The run is recorded in the persistent Dagster instance (`DAGSTER_HOME`, else one beside
    the warehouse: `make dagster` shows its history and checks) unless `instance` is given.
    dbt's own output goes to `refresh_log_path`; the outcome is recorded in
    `last_refresh.json` next to the warehouse (`comex status`).
    """
    job = defs.resolve_job_def(job_name)
    run_tags = {**CLI_TRIGGER_TAGS, **(tags or {})}
    fingerprint = dbt_fingerprint()
    started_at = time.time()
    started = time.perf_counter()
    log_path = refresh_log_path(paths)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log_file,
        contextlib.redirect_stdout(log_file),
        contextlib.nullcontext(instance) if instance else persistent_instance(paths) as dagster_instance,
    ):
        end_interrupted_runs(dagster_instance)
        result = job.execute_in_process(
            run_config={
                "resources": resource_config(paths, sample=sample, accept_revisions=accept_revisions),
                "loggers": {"comex_console": {}},
            },
            instance=dagster_instance,
            raise_on_error=False,
            tags=run_tags,
        )
        summary = _with_disk_full_said(summarise_run(result.all_events), paths)
        outcome = summarise(result.success, summary, time.perf_counter() - started)
        for stats in dagster_instance.get_run_step_stats(result.run_id):
            if stats.start_time is not None and stats.end_time is not None:
                outcome.step_seconds[stats.step_key] = stats.end_time - stats.start_time
    record = refresh_record(
        summary,
        success=outcome.success,
        job=job_name,
        tags=run_tags,
        run_id=result.run_id,
        started=started_at,
        finished=time.time(),
        fingerprint=fingerprint,
    )
    write_record(paths.warehouse, record)
    return outcome


def persistent_instance(paths: Paths) -> DagsterInstance:
    """The Dagster instance CLI refreshes are recorded in (made on first use)."""
    return DagsterInstance.from_config(str(ensure_dagster_home(paths.warehouse)))


def end_interrupted_runs(instance: DagsterInstance) -> None:
    """Mark as failed the CLI refreshes of this instance that a kill left "started" forever.

    A run still in progress whose warehouse nobody is writing was killed: left so, the UI would
    show it running, and the schedule and sensor would wait for it (`writer_run_in_progress`).
    """
    for run in instance.get_runs(filters=RunsFilter(tags=CLI_TRIGGER_TAGS, statuses=IN_PROGRESS)):
        try:
            check_not_busy(paths_of_run(run.run_config).warehouse)
        except WarehouseBusyError:
            continue  # a refresh of that warehouse is running now
        instance.report_run_failed(run, "interrupted: the process was killed before the run finished")


def _with_disk_full_said(summary: RunSummary, paths: Paths) -> RunSummary:
    """A failure for want of disk space names the path and what is free there."""
    failure = summary.failure
    if failure is None:
        return summary
    folders = [paths.warehouse.parent, paths.exports_dir]
    line = explain_disk_full(failure.message, folders) or explain_run_storage_error(
        failure.message, dagster_home(paths.warehouse)
    )
    if line is None:
        return summary
    return dataclasses.replace(summary, failure=dataclasses.replace(failure, message=line))


def summarise(success: bool, summary: RunSummary, seconds: float) -> RunOutcome:
    """What the CLI prints: the first failure (its step and message) and the checks' summary lines."""
    from orchestration.quality.summary import summary_lines

    outcome = RunOutcome(success=success, seconds=seconds, quality_lines=summary_lines(summary.checks))
    if failure := summary.failure:
        outcome.failed_step = failure.step
        outcome.error_message, outcome.error_detail = failure.message, failure.detail
    return outcome
