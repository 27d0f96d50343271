"""The quality summary of a run, from its ASSET_CHECK_EVALUATION events (GX checks and dbt tests).

`summarise_checks(events)` counts the checks passed, warned (failed with WARN severity) and
failed, and keeps for each failing check its failing expectations and a few offending rows
(GX checks put them in the `failures` metadata; dbt tests give their failed row count).
`summary_lines` renders it for the terminal. No Dagster import at module level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_LISTED = 8
MAX_SAMPLE = 3


@dataclass
class CheckLine:
    """One evaluated check."""

    asset: str
    check: str
    status: str  # passed | warned | failed
    failures: list[dict[str, Any]] = field(default_factory=list)
    failed_rows: int | None = None  # dbt tests
    note: str | None = None
    findings: list[str] = field(default_factory=list)  # a check model's failing rows, in words

    @property
    def is_gx(self) -> bool:
        return self.check.startswith("gx_")


@dataclass
class QualitySummary:
    """Every check of a run, and where its quality report is."""

    checks: list[CheckLine] = field(default_factory=list)
    report: str | None = None  # the run's report.html

    def count(self, status: str) -> int:
        return sum(1 for c in self.checks if c.status == status)

    @property
    def passed(self) -> int:
        return self.count("passed")

    @property
    def warned(self) -> int:
        return self.count("warned")

    @property
    def failed(self) -> int:
        return self.count("failed")


def _value(metadata: dict[str, Any], key: str) -> Any:
    item = metadata.get(key)
    return getattr(item, "value", item)


def summarise_checks(events: Iterable[Any]) -> QualitySummary:
    """The summary of the ASSET_CHECK_EVALUATION events among Dagster events."""
    from dagster import AssetCheckSeverity, DagsterEventType

    summary = QualitySummary()
    for event in events:
        if event is None or event.event_type != DagsterEventType.ASSET_CHECK_EVALUATION:
            continue
        data = event.event_specific_data
        metadata = dict(data.metadata or {})
        if data.passed:
            status = "passed"
        elif data.severity == AssetCheckSeverity.WARN:
            status = "warned"
        else:
            status = "failed"
        failures = _value(metadata, "failures") or []
        failed_rows = _value(metadata, "dagster_dbt/failed_row_count")
        report = _value(metadata, "report")
        if report:
            summary.report = str(report)
        summary.checks.append(
            CheckLine(
                asset=data.asset_key.to_user_string(),
                check=data.check_name,
                status=status,
                failures=list(failures),
                failed_rows=int(failed_rows) if failed_rows is not None else None,
                note=_value(metadata, "note"),
                findings=list(_value(metadata, "findings") or []),
            )
        )
    return summary


def _sample(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items())


def summary_lines(summary: QualitySummary) -> list[str]:
    """A few lines for the terminal: the counts, then each failed or warned check with its evidence."""
    if not summary.checks:
        return []
    gx = sum(1 for c in summary.checks if c.is_gx)
    lines = [
        f"quality checks: {summary.passed} passed, {summary.warned} warned, {summary.failed} failed "
        f"({gx} Great Expectations, {len(summary.checks) - gx} dbt tests)"
    ]
    problems = [c for c in summary.checks if c.status != "passed"]
    told = {c.asset for c in problems if c.findings}  # a check model's rows in words: its dbt test adds nothing
    problems = [c for c in problems if c.findings or c.asset not in told]
    problems.sort(key=lambda c: c.status != "failed")
    for check in problems[:MAX_LISTED]:
        label = "FAILED" if check.status == "failed" else "warning"
        rows = f" ({check.failed_rows:,} failing rows)" if check.failed_rows else ""
        lines.append(f"  {label}: {check.asset} · {check.check}{rows}")
        if check.findings:
            lines += [f"    {finding}" for finding in check.findings[:MAX_LISTED]]
            if len(check.findings) > MAX_LISTED:
                lines.append(f"    … and {len(check.findings) - MAX_LISTED} more")
            continue
        for failure in check.failures[:MAX_LISTED]:
            count = failure.get("unexpected_count")
            observed = failure.get("observed")
            what = f"{count:,} unexpected" if isinstance(count, int) else (f"observed {observed}" if observed else "")
            lines.append(f"    {failure.get('suite')}: {failure.get('expectation')}{' — ' + what if what else ''}")
            for row in (failure.get("sample") or [])[:MAX_SAMPLE]:
                lines.append(f"      e.g. {_sample(row) if isinstance(row, dict) else row}")
    if len(problems) > MAX_LISTED:
        lines.append(f"  … and {len(problems) - MAX_LISTED} more (see the Dagster run or the quality report)")
    if summary.report:
        lines.append(f"  report: {summary.report}")
    return lines
