"""Great Expectations suites as Dagster asset checks on customs_files, the check models and export_tables.

Three check steps, one per stage: each reads the run's working warehouse read-only, builds
its small frames in DuckDB, validates them with GX (one GX context per process, file-backed
beside the warehouse) and rewrites the run's report (quality/report.html) with its results.
A failing blocking check fails its step, so nothing downstream runs: no dbt build after bad raw
flows, no export after a check model with a gap, no publication after bad exports. The marts
stage validates the check models dbt built (models/checks/chk_*), the same rows its tests read;
revisions and code anomalies only warn.
"""

import time
from collections.abc import Iterator
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from orchestration.assets.ingestion import CUSTOMS_FILES_KEY
from orchestration.check_models import CHECK_MODELS, describe_row, failing_rows
from orchestration.quality.context import SuiteOutcome, SuiteSpec
from orchestration.quality.settings import QualitySettings, quality_dir
from orchestration.quality.worker import RemoteQuality
from orchestration.resources import ComexResource
from orchestration.warehouse import connect_read_only, last_ids

EXPORT_TABLES_KEY = AssetKey("export_tables")
RAW_FLOWS_CHECK = "gx_raw_flows"
REJECTED_CHECK = "gx_rejected_rows_rate"
REVISIONS_CHECK = "gx_vintage_revisions"
GAPS_CHECK = "gx_gap_is_zero"
EXPORTS_CHECK = "gx_export_contract"
MAX_REPORTED_FAILURES = 20


def mart_key(name: str) -> AssetKey:
    return AssetKey(["marts", name])


def check_model_key(name: str) -> AssetKey:
    return AssetKey(["checks", name])


def _result(
    check_name: str,
    asset_key: AssetKey,
    outcomes: list[SuiteOutcome],
    *,
    blocking: bool,
    report: Path | None,
    note: str | None = None,
    findings: list[str] | None = None,
) -> AssetCheckResult:
    """One check's result from its suites' outcomes, with the failures as metadata."""
    failures = [f for o in outcomes for f in o.failures]
    metadata: dict[str, object] = {
        "suites": ", ".join(o.suite for o in outcomes) or "none",
        "expectations": sum(o.evaluated for o in outcomes),
        "failed_expectations": len(failures),
        "gx_seconds": round(sum(o.seconds for o in outcomes), 3),
        "failures": MetadataValue.json([f.as_dict() for f in failures[:MAX_REPORTED_FAILURES]]),
    }
    if failures:
        lines = ["| suite | expectation | unexpected | sample |", "|---|---|---|---|"]
        for f in failures[:MAX_REPORTED_FAILURES]:
            sample = "; ".join(str(row) for row in f.sample[:3]) or str(f.observed or "")
            lines.append(f"| {f.suite} | `{f.expectation}` | {f.unexpected_count or ''} | {sample[:300]} |")
        metadata["failure_table"] = MetadataValue.md("\n".join(lines))
    if note:
        metadata["note"] = note
    if findings:
        metadata["findings"] = MetadataValue.json(findings)
    if report is not None:
        metadata["report"] = MetadataValue.path(str(report))
    return AssetCheckResult(
        check_name=check_name,
        asset_key=asset_key,
        passed=not failures and all(o.success for o in outcomes),
        severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
        metadata=metadata,
    )


class _Stage:
    """The GX context of this run (in the GX worker process) and the step's timings."""

    def __init__(self, context: AssetCheckExecutionContext, comex: ComexResource) -> None:
        self.log = context.log
        self.root = quality_dir(comex.paths.warehouse)
        self.run_id = context.run.run_id
        self.settings = QualitySettings.from_env()
        self._gx: RemoteQuality | None = None

    @property
    def gx(self) -> RemoteQuality:
        """The GX context, on first use: DuckDB frames are built before, while GX may still be importing."""
        if self._gx is None:
            self._gx = RemoteQuality(self.root, self.run_id)
        return self._gx

    def validate(self, specs: list[SuiteSpec]) -> list[SuiteOutcome]:
        return [self.gx.validate(spec) for spec in specs]

    def publish(self) -> Path | None:
        started = time.perf_counter()
        report = self.gx.publish_report()
        self.log.info(
            f"quality: GX worker import {self.gx.import_seconds:.1f} s (once per process; this step waited "
            f"{self.gx.wait_seconds:.2f} s for it); report {time.perf_counter() - started:.2f} s → {report}"
        )
        return report


@multi_asset_check(
    name="customs_files_quality",
    specs=[
        AssetCheckSpec(
            RAW_FLOWS_CHECK,
            asset=CUSTOMS_FILES_KEY,
            blocking=True,
            description=(
                "GX: raw.customs_flows schema; for the new vintages, flows, periods, non-negative values, rows and "
                "euros equal to the registry, consecutive quarters; complete years have 4 quarters."
            ),
        ),
        AssetCheckSpec(
            REJECTED_CHECK,
            asset=CUSTOMS_FILES_KEY,
            blocking=True,
            description=(
                "GX: unreadable lines of each new vintage ≤ COMEX_MAX_REJECTED_RATE (1 % by default) of its lines "
                "and of its euros."
            ),
        ),
    ],
)
def customs_files_quality(context: AssetCheckExecutionContext, comex: ComexResource) -> Iterator[AssetCheckResult]:
    """The raw flows of the vintages this run loaded (vintage ids above the live warehouse's last)."""
    from orchestration.quality import raw_suite

    stage = _Stage(context, comex)
    since = last_ids(comex.paths.warehouse)["vintages"]
    with connect_read_only(comex.working_warehouse) as con:
        new = raw_suite.new_vintage_ids(con, since)
        raw_specs = [raw_suite.schema_suite(con), raw_suite.coverage_suite(con)]
        if new:
            raw_specs[1:1] = [raw_suite.periods_suite(con, since)]
            rejected_specs = [raw_suite.rejected_suite(con, since, stage.settings)]
        else:
            rejected_specs = []
    raw, rejected = stage.validate(raw_specs), stage.validate(rejected_specs)
    report = stage.publish()
    note = None if new else "no new vintage in this run"
    yield _result(RAW_FLOWS_CHECK, AssetKey(CUSTOMS_FILES_KEY), raw, blocking=True, report=report, note=note)
    yield _result(REJECTED_CHECK, AssetKey(CUSTOMS_FILES_KEY), rejected, blocking=True, report=report, note=note)


@multi_asset_check(
    name="marts_quality",
    specs=[
        *(
            AssetCheckSpec(
                GAPS_CHECK,
                asset=check_model_key(model.name),
                blocking=model.blocking,
                description=f"GX: every gap of {model.relation} is 0 (within the dbt var tolerance).",
            )
            for model in CHECK_MODELS.values()
        ),
        AssetCheckSpec(
            REVISIONS_CHECK,
            asset=mart_key("vintage_revisions"),
            blocking=False,
            description="GX (warning): territory × flow × quarter revised by more than COMEX_REVISION_THRESHOLD (5 %).",
        ),
    ],
)
def marts_quality(context: AssetCheckExecutionContext, comex: ComexResource) -> Iterator[AssetCheckResult]:
    """The check models dbt built (one row per group, gap 0) and the revisions of the new vintages."""
    from orchestration.quality import checks_suite

    stage = _Stage(context, comex)
    since = last_ids(comex.paths.warehouse)["vintages"]
    with connect_read_only(comex.working_warehouse) as con:
        specs = checks_suite.check_suites(con)
        revisions = checks_suite.revisions_suite(con, since, stage.settings)
        findings = {
            name: [describe_row(name, row) for row in failing_rows(con, name, MAX_REPORTED_FAILURES)]
            for name in CHECK_MODELS
        }
    outcomes = {name: stage.validate([spec]) for name, spec in specs.items()}
    revised = stage.validate([revisions])
    report = stage.publish()
    for name, model in CHECK_MODELS.items():
        yield _result(
            GAPS_CHECK, check_model_key(name), outcomes[name], blocking=model.blocking, report=report,
            findings=findings[name],
        )  # fmt: skip
    note = f"{sum(o.rows for o in revised):,} territory × flow × quarter revised by the new vintages"
    yield _result(REVISIONS_CHECK, mart_key("vintage_revisions"), revised, blocking=False, report=report, note=note)


@multi_asset_check(
    name="export_tables_quality",
    specs=[
        AssetCheckSpec(
            EXPORTS_CHECK,
            asset=EXPORT_TABLES_KEY,
            blocking=True,
            description=(
                "GX: staged export files have the contract's columns, non-null unique keys, the marts' row counts."
            ),
        )
    ],
)
def export_tables_quality(context: AssetCheckExecutionContext, comex: ComexResource) -> Iterator[AssetCheckResult]:
    """The staged export files, before `published_refresh` may swap them in."""
    from orchestration.quality import exports_suite

    stage = _Stage(context, comex)
    staging = comex.staging_exports_dir
    with connect_read_only(comex.working_warehouse) as con:
        specs = [exports_suite.columns_suite(con, staging), exports_suite.files_suite(con, staging)]
    outcomes = stage.validate(specs)
    report = stage.publish()
    yield _result(EXPORTS_CHECK, EXPORT_TABLES_KEY, outcomes, blocking=True, report=report)


QUALITY_CHECKS = [customs_files_quality, marts_quality, export_tables_quality]
