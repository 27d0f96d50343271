"""Run the Dagster `refresh` job in process, exactly as a schedule would, and summarise it."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from dagster import AssetCheckKey, AssetKey, DagsterInstance

from orchestration.dagster_home import dagster_home, save_run
from orchestration.definitions import defs
from orchestration.disk_space import explain_disk_full
from orchestration.engine import resolve_engine
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.refresh_record import CLI_TRIGGER_TAGS, dbt_fingerprint, write_record
from orchestration.resources import resource_config
from orchestration.run_report import RunSummary, refresh_record, summarise_run
from orchestration.settings import Paths


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
    engine: str = "",
    asset_selection: Collection[AssetKey] | None = None,
    asset_check_selection: Collection[AssetCheckKey] | None = None,
) -> RunOutcome:
    """Execute the refresh job in this process; never raises for a failed step.

    Unless `instance` is given, the run happens on an in-memory instance and is saved for the
    persistent one (`DAGSTER_HOME`, else beside the warehouse) to import: `make dagster` shows
    its history and checks (orchestration/dagster_home.py).
    dbt's own output goes to `refresh_log_path`; the outcome is recorded in
    `last_refresh.json` next to the warehouse (`comex status`), with the engine that built the
    dbt project (`engine`: duckdb or spark; empty means COMEX_ENGINE, then duckdb).
    `asset_selection` and `asset_check_selection` run part of the job, as the Dagster UI's
    "materialize selected" does (dbt builds the selected models and runs the selected tests).
    """
    engine = resolve_engine(engine or None)
    job = defs.resolve_job_def(job_name)
    if asset_selection is not None or asset_check_selection is not None:
        job = job.get_subset(
            asset_selection=set(asset_selection or ()), asset_check_selection=set(asset_check_selection or ())
        )
    run_tags = {**CLI_TRIGGER_TAGS, **(tags or {})}
    fingerprint = dbt_fingerprint()
    started_at = time.time()
    started = time.perf_counter()
    log_path = refresh_log_path(paths)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log_file,
        contextlib.redirect_stdout(log_file),
        contextlib.nullcontext(instance) if instance else DagsterInstance.ephemeral() as dagster_instance,
    ):
        result = job.execute_in_process(
            run_config={
                "resources": resource_config(paths, sample=sample, accept_revisions=accept_revisions, engine=engine),
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
        if instance is None:  # for the persistent instance (`make dagster`) to import
            with contextlib.suppress(OSError):  # a full disk: the refresh's own line says so
                save_run(dagster_instance, result.run_id, dagster_home(paths.warehouse))
    record = refresh_record(
        summary,
        success=outcome.success,
        job=job_name,
        tags=run_tags,
        run_id=result.run_id,
        started=started_at,
        finished=time.time(),
        fingerprint=fingerprint,
        engine=engine,
    )
    write_record(paths.warehouse, record)
    return outcome


def _with_disk_full_said(summary: RunSummary, paths: Paths) -> RunSummary:
    """A failure for want of disk space names the path and what is free there."""
    failure = summary.failure
    if failure is None:
        return summary
    folders = [paths.warehouse.parent, paths.exports_dir]
    if (line := explain_disk_full(failure.message, folders)) is None:
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
