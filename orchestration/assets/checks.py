"""Great Expectations suites as Dagster asset checks on customs_files, the marts and export_tables.

Three check steps, one per stage: each reads the run's working warehouse read-only, builds
its small frames in DuckDB, validates them with GX (one GX context per process, file-backed
beside the warehouse) and renders this run's results into the Data Docs. A failing blocking
check fails its step, so nothing downstream runs: no dbt build after bad raw flows, no export
after bad marts, no publication after bad exports. Revisions only warn.
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
from orchestration.quality.context import SuiteOutcome, SuiteSpec
from orchestration.quality.settings import QualitySettings, quality_dir
from orchestration.quality.worker import RemoteQuality
from orchestration.resources import ComexResource
from orchestration.warehouse import connect_read_only

EXPORT_TABLES_KEY = AssetKey("export_tables")
RAW_FLOWS_CHECK = "gx_raw_flows"
REJECTED_CHECK = "gx_rejected_rows_rate"
REVISIONS_CHECK = "gx_vintage_revisions"
MARTS_CHECK = "gx_invariants"
EXPORTS_CHECK = "gx_export_contract"
MAX_REPORTED_FAILURES = 20

_MARTS = (
    "territory_totals",
    "territory_quarterly_totals",
    "product_activity",
    "partner_ranking",
    "partner_balance",
    "flow_links",
)


def mart_key(name: str) -> AssetKey:
    return AssetKey(["marts", name])


def _result(
    check_name: str,
    asset_key: AssetKey,
    outcomes: list[SuiteOutcome],
    *,
    blocking: bool,
    docs: Path | None,
    note: str | None = None,
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
        metadata["report"] = MetadataValue.md("\n".join(lines))
    if note:
        metadata["note"] = note
    if docs is not None:
        metadata["data_docs"] = MetadataValue.path(str(docs))
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
        docs = self.gx.publish_docs()
        self.log.info(
            f"quality: GX worker import {self.gx.import_seconds:.1f} s (once per process; this step waited "
            f"{self.gx.wait_seconds:.2f} s for it); Data Docs {time.perf_counter() - started:.2f} s → {docs}"
        )
        return docs


@multi_asset_check(
    name="customs_files_quality",
    specs=[
        AssetCheckSpec(
            RAW_FLOWS_CHECK,
            asset=CUSTOMS_FILES_KEY,
            blocking=True,
            description=(
                "GX: raw.customs_flows schema; for the new vintages, flows, periods, non-negative values, "
                "codes in the reference seeds, consecutive quarters; complete years have 4 quarters."
            ),
        ),
        AssetCheckSpec(
            REJECTED_CHECK,
            asset=CUSTOMS_FILES_KEY,
            blocking=True,
            description="GX: rejected rows of each new vintage ≤ COMEX_MAX_REJECTED_RATE (1 % by default).",
        ),
        AssetCheckSpec(
            REVISIONS_CHECK,
            asset=CUSTOMS_FILES_KEY,
            blocking=False,
            description="GX (warning): territory × flow × quarter revised by more than COMEX_REVISION_THRESHOLD (5 %).",
        ),
    ],
)
def customs_files_quality(context: AssetCheckExecutionContext, comex: ComexResource) -> Iterator[AssetCheckResult]:
    """The raw flows of the vintages this run loaded (vintage ids above the live warehouse's last)."""
    from orchestration.quality import raw_suite, revisions

    stage = _Stage(context, comex)
    since = raw_suite.last_vintage_id(comex.paths.warehouse)
    with connect_read_only(comex.working_warehouse) as con:
        new = raw_suite.new_vintage_ids(con, since)
        raw_specs = [raw_suite.schema_suite(con), raw_suite.coverage_suite(con)]
        if new:
            raw_specs[1:1] = [raw_suite.periods_suite(con, since), raw_suite.codes_suite(con, since)]
            rejected_specs = [raw_suite.rejected_suite(con, since, stage.settings)]
            revision_specs = [revisions.revisions_suite(con, since, stage.settings)]
        else:
            rejected_specs, revision_specs = [], []
    raw, rejected, revised = stage.validate(raw_specs), stage.validate(rejected_specs), stage.validate(revision_specs)
    docs = stage.publish()
    note = None if new else "no new vintage in this run"
    yield _result(RAW_FLOWS_CHECK, AssetKey(CUSTOMS_FILES_KEY), raw, blocking=True, docs=docs, note=note)
    yield _result(REJECTED_CHECK, AssetKey(CUSTOMS_FILES_KEY), rejected, blocking=True, docs=docs, note=note)
    revised_note = note or f"{sum(o.rows for o in revised):,} territory × flow × quarter compared"
    yield _result(REVISIONS_CHECK, AssetKey(CUSTOMS_FILES_KEY), revised, blocking=False, docs=docs, note=revised_note)


@multi_asset_check(
    name="marts_quality",
    specs=[
        AssetCheckSpec(
            MARTS_CHECK,
            asset=mart_key(name),
            blocking=True,
            description=f"GX: keys, shares and cross-row sums of marts.{name} (orchestration/quality/marts_suite.py).",
        )
        for name in _MARTS
    ],
)
def marts_quality(context: AssetCheckExecutionContext, comex: ComexResource) -> Iterator[AssetCheckResult]:
    """Invariants of the indicator marts, on the run's working warehouse."""
    from orchestration.quality.marts_suite import MART_SUITES

    stage = _Stage(context, comex)
    with connect_read_only(comex.working_warehouse) as con:
        specs = {name: MART_SUITES[name](con, stage.settings) for name in _MARTS}
    outcomes = {name: stage.validate([spec]) for name, spec in specs.items()}
    docs = stage.publish()
    for name in _MARTS:
        yield _result(MARTS_CHECK, mart_key(name), outcomes[name], blocking=True, docs=docs)


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
    docs = stage.publish()
    yield _result(EXPORTS_CHECK, EXPORT_TABLES_KEY, outcomes, blocking=True, docs=docs)


QUALITY_CHECKS = [customs_files_quality, marts_quality, export_tables_quality]
