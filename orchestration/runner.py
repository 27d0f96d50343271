"""Run the Dagster `refresh` job in process, exactly as a schedule would, and summarise it."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult

from orchestration.definitions import REFRESH_JOB_NAME, defs
from orchestration.errors import ComexError
from orchestration.refresh_record import (
    RefreshRecord,
    check_fields,
    dbt_fingerprint,
    trigger_from_tags,
    utc_iso,
    write_record,
)
from orchestration.run_guard import resource_config
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
) -> RunOutcome:
    """Execute the refresh job in this process; never raises for a failed step.

    dbt's own output (which dagster-dbt echoes on stdout) goes to `refresh_log_path`; the
    outcome is recorded in `last_refresh.json` next to the warehouse (`comex status`).
    """
    job = defs.resolve_job_def(job_name)
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
                "resources": resource_config(paths, sample=sample, accept_revisions=accept_revisions),
                "loggers": {"comex_console": {}},
            },
            instance=dagster_instance,
            raise_on_error=False,
            tags=tags,
        )
        outcome = summarise(result, time.perf_counter() - started)
        for stats in dagster_instance.get_run_step_stats(result.run_id):
            if stats.start_time is not None and stats.end_time is not None:
                outcome.step_seconds[stats.step_key] = stats.end_time - stats.start_time
    write_record(
        paths.warehouse,
        RefreshRecord(
            outcome="success" if outcome.success else "failure",
            job=job_name,
            trigger=trigger_from_tags(tags) if tags else "cli",
            started_at=utc_iso(started_at),
            finished_at=utc_iso(),
            duration_seconds=round(outcome.seconds, 1),
            run_id=result.run_id,
            failed_step=outcome.failed_step,
            error=outcome.error_message,
            **check_fields(result.all_events),
            dbt_fingerprint=fingerprint if outcome.success else None,
        ),
    )
    return outcome


def summarise(result: ExecuteInProcessResult, seconds: float) -> RunOutcome:
    """The first failure: its step and message."""
    outcome = RunOutcome(success=result.success, seconds=seconds)
    from orchestration.quality.summary import summarise_checks, summary_lines

    outcome.quality_lines = summary_lines(summarise_checks(result.all_events))
    for event in result.all_events:
        step = event.step_key or ""
        if event.event_type == DagsterEventType.STEP_FAILURE and outcome.failed_step is None:
            error = event.step_failure_data.error
            outcome.failed_step = step
            outcome.error_message, outcome.error_detail = _root_cause(error)
        elif event.event_type == DagsterEventType.RUN_FAILURE and outcome.error_message is None:
            error = getattr(event.event_specific_data, "error", None)
            if error is not None:
                outcome.error_message, outcome.error_detail = _root_cause(error)
    return outcome


def _own_errors() -> set[str]:
    """Names of comex's own errors (their message is the whole story: no class name in front)."""
    found, todo = set(), [ComexError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _root_cause(error: object) -> tuple[str, str]:
    """The innermost cause's one-line message, and the whole chain for --verbose."""
    detail = error.to_string() if hasattr(error, "to_string") else str(error)
    innermost = error
    while getattr(innermost, "cause", None) is not None:
        innermost = innermost.cause
    lines = [line.strip() for line in getattr(innermost, "message", str(innermost)).splitlines() if line.strip()]
    line = lines[0] if lines else "unknown error"
    if line.endswith(":") and len(lines) > 1:  # "1 blocking asset check failed …:" then the checks
        line = " ".join([line, *lines[1:4]])
    module_prefix = f"{getattr(innermost, 'cls_name', '')}: "
    if "." in line.split(":", 1)[0] and ": " in line:  # "package.module.Error: message"
        line = line.split(": ", 1)[1] if not line.startswith(module_prefix) else line
    line = line.removeprefix(module_prefix)
    cls_name = getattr(innermost, "cls_name", "") or ""
    if cls_name and cls_name not in _own_errors():
        line = line if line.startswith(cls_name) else f"{cls_name}: {line}"
    return line, detail
