"""What a finished Dagster run did, read once from its events: its first failure, its checks, its record.

The CLI runner (runs in process) and the run-status sensors (runs the daemon launched) both
summarise a run here (`summarise_run`) and build `last_refresh.json` from that summary, so
`comex status` says the same thing whoever started the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dagster import DagsterEvent, DagsterEventType

from orchestration.errors import ComexError
from orchestration.quality.summary import QualitySummary, summarise_checks
from orchestration.refresh_record import RefreshRecord, trigger_from_tags, utc_iso


@dataclass(frozen=True)
class RunFailure:
    """The first failure of a run: the step (None for a run-level failure) and its root cause."""

    step: str | None
    message: str
    detail: str


@dataclass(frozen=True)
class RunSummary:
    """A finished run, read from its events: its first failure (if any) and its checks."""

    failure: RunFailure | None
    checks: QualitySummary


def summarise_run(events: Sequence[DagsterEvent]) -> RunSummary:
    return RunSummary(first_failure(events), summarise_checks(events))


def first_failure(events: Sequence[DagsterEvent]) -> RunFailure | None:
    """The first failed step's root cause; else the run failure's; else None."""
    for event in events:
        if event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            message, detail = root_cause(error) if error is not None else ("step failed", "")
            return RunFailure(event.step_key, message, detail)
    for event in events:
        if event.event_type == DagsterEventType.RUN_FAILURE:
            error = getattr(event.event_specific_data, "error", None)
            if error is not None:
                return RunFailure(None, *root_cause(error))
    return None


def refresh_record(
    summary: RunSummary,
    *,
    success: bool,
    job: str,
    tags: dict[str, str] | None,
    run_id: str,
    started: float,
    finished: float,
    fingerprint: str | None,
    engine: str = "duckdb",
) -> RefreshRecord:
    """The `last_refresh.json` record of a run (times as epoch seconds; fingerprint kept on success)."""
    failure = None if success else summary.failure
    checks = summary.checks
    return RefreshRecord(
        outcome="success" if success else "failure",
        job=job,
        trigger=trigger_from_tags(tags),
        started_at=utc_iso(started),
        finished_at=utc_iso(finished),
        duration_seconds=round(finished - started, 1),
        run_id=run_id,
        failed_step=failure.step if failure else None,
        error=failure.message if failure else None,
        checks_passed=checks.passed,
        checks_warned=checks.warned,
        checks_failed=checks.failed,
        failed_checks=[f"{c.asset}:{c.check} ({c.status})" for c in checks.checks if c.status != "passed"],
        dbt_fingerprint=fingerprint if success else None,
        engine=engine,
    )


def _own_errors() -> set[str]:
    """Names of comex's own errors (their message is the whole story: no class name in front)."""
    found, todo = set(), [ComexError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def root_cause(error: object) -> tuple[str, str]:
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
