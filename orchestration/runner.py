"""Run the Dagster `refresh` job in process, exactly as a schedule would, and summarise it."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult

from orchestration.definitions import REFRESH_JOB_NAME, defs
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


def resource_config(paths: Paths, *, sample: bool) -> dict:
    return {
        "comex": {
            "config": {
                "raw_dir": str(paths.raw_dir),
                "warehouse": str(paths.warehouse),
                "exports_dir": str(paths.exports_dir),
                "sample": sample,
            }
        }
    }


def refresh_log_path(paths: Paths) -> Path:
    """Where the full log of the last CLI refresh (dbt's output included) is kept."""
    return paths.warehouse.parent / "logs" / "last_refresh.log"


def run_refresh(paths: Paths, *, sample: bool = False, instance: DagsterInstance | None = None) -> RunOutcome:
    """Execute the refresh job in this process; never raises for a failed step.

    dbt's own output (which dagster-dbt echoes on stdout) goes to `refresh_log_path`.
    """
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    started = time.perf_counter()
    log_path = refresh_log_path(paths)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log_file,
        contextlib.redirect_stdout(log_file),
        instance or DagsterInstance.ephemeral() as dagster_instance,
    ):
        result = job.execute_in_process(
            run_config={"resources": resource_config(paths, sample=sample), "loggers": {"comex_console": {}}},
            instance=dagster_instance,
            raise_on_error=False,
        )
        outcome = summarise(result, time.perf_counter() - started)
        for stats in dagster_instance.get_run_step_stats(result.run_id):
            if stats.start_time is not None and stats.end_time is not None:
                outcome.step_seconds[stats.step_key] = stats.end_time - stats.start_time
    return outcome


def summarise(result: ExecuteInProcessResult, seconds: float) -> RunOutcome:
    """The first failure: its step and message."""
    outcome = RunOutcome(success=result.success, seconds=seconds)
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


def _root_cause(error: object) -> tuple[str, str]:
    """The innermost cause's one-line message, and the whole chain for --verbose."""
    detail = error.to_string() if hasattr(error, "to_string") else str(error)
    innermost = error
    while getattr(innermost, "cause", None) is not None:
        innermost = innermost.cause
    lines = [line.strip() for line in getattr(innermost, "message", str(innermost)).splitlines() if line.strip()]
    line = lines[0] if lines else "unknown error"
    module_prefix = f"{getattr(innermost, 'cls_name', '')}: "
    if "." in line.split(":", 1)[0] and ": " in line:  # "package.module.Error: message"
        line = line.split(": ", 1)[1] if not line.startswith(module_prefix) else line
    line = line.removeprefix(module_prefix)
    cls_name = getattr(innermost, "cls_name", "") or ""
    if cls_name and not cls_name.endswith(("ComexError", "StructuralError", "WarehouseBusyError")):
        line = line if line.startswith(cls_name) else f"{cls_name}: {line}"
    return line, detail
