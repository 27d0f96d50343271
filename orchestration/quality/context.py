"""Great Expectations glue: one GX context per process, suites run on pandas frames, one report.

A suite is plain data (`SuiteSpec`: a small frame pre-aggregated in DuckDB, the `Expect`s on
it, the columns that identify an offending row); `QualityContext.validate` builds the GX
objects (pandas data source, dataframe asset, whole-dataframe batch definition,
ExpectationSuite, ValidationDefinition), runs them and returns a `SuiteOutcome` with the
failing expectations and a sample of offending rows. The results are not stored in the GX
context: `publish_report` writes them into the run's report, `report.html`, one self-contained
page (`report.py`) that opens offline. GX's Data Docs are not built (they need CDNs for their
scripts and styles, and rendering them cost more than validating these small frames).

`import great_expectations` takes seconds: it happens in `gx_module()`, on first use only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from orchestration.quality.report import ExpectationRow, SuiteReport, write_report

if TYPE_CHECKING:
    import pandas as pd

DATASOURCE = "comex_frames"
BATCH = "whole_frame"
REPORT_FILE = "report.html"
#: What earlier versions wrote and nothing reads: GX's Data Docs (a blank page offline) and the
#: validation results they were rendered from. A run that writes its report removes them.
STALE = ("data_docs", "gx/uncommitted/validations")
#: Per suite, the fingerprint of the definition last stored in the GX project (file mode): a
#: process whose suite is unchanged reads it back (~3 ms) instead of storing it again (~60 ms).
STORED_SUITES = "gx/comex_stored_suites.json"
SAMPLE_ROWS = 5

_GX_LOCK = threading.Lock()
_GX: ModuleType | None = None
GX_IMPORT_SECONDS: float | None = None  # measured once per process


@contextlib.contextmanager
def _without_pyspark() -> Iterator[None]:
    """GX probes pyspark at import time. We validate pandas frames only, and pyspark (installed for
    the Spark engine) would add its own import, or end the process: pyspark.sql.connect calls
    `sys.exit(0)` when `__main__` has no file, as in a pytest-xdist worker and its spawned GX worker.
    So GX is imported as if pyspark were absent; pyspark itself stays importable afterwards."""
    if "pyspark" in sys.modules:
        yield
        return
    sys.modules["pyspark"] = None  # type: ignore[assignment]  # `import pyspark` raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("pyspark", 0) is None:
            del sys.modules["pyspark"]


def gx_module() -> ModuleType:
    """`great_expectations`, imported on first call (analytics off); the cost is kept in GX_IMPORT_SECONDS."""
    global _GX, GX_IMPORT_SECONDS
    with _GX_LOCK:
        if _GX is None:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
            started = time.perf_counter()
            with _without_pyspark():
                import great_expectations

            GX_IMPORT_SECONDS = time.perf_counter() - started
            _GX = great_expectations
    return _GX


@dataclass(frozen=True)
class Expect:
    """One expectation: its GX class name in `gx.expectations` and its arguments."""

    type: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Any:
        return getattr(gx_module().expectations, self.type)(**self.kwargs)

    @property
    def column(self) -> str | None:
        for key in ("column", "column_list", "column_A"):
            if key in self.kwargs:
                value = self.kwargs[key]
                if key == "column_A":
                    return f"{value},{self.kwargs['column_B']}"
                return ",".join(value) if isinstance(value, (list, tuple)) else str(value)
        return None

    def describe(self) -> str:
        """`ExpectColumnValuesToBeBetween(min_value, column=…)` in short: 'min_valeur between 0 and …'."""
        args = []
        for key, value in self.kwargs.items():
            if key in ("column", "column_list", "column_A", "column_B", "meta", "notes"):
                continue
            if isinstance(value, (list, tuple, set, frozenset)) and len(value) > 6:
                value = f"<{len(value)} values>"
            args.append(f"{key}={value}")
        target = self.kwargs.get("column") or self.kwargs.get("column_list")
        if target is None and "column_A" in self.kwargs:
            target = f"{self.kwargs['column_A']}, {self.kwargs['column_B']}"
        name = self.type.removeprefix("Expect")
        return f"{name}({target or ''}{'; ' if target and args else ''}{', '.join(args)})"


@dataclass
class SuiteSpec:
    """A frame and what is expected of it."""

    name: str
    frame: pd.DataFrame
    expectations: list[Expect]
    index_columns: list[str] = field(default_factory=list)  # identify an offending row
    description: str = ""


@dataclass
class Failure:
    """One failed expectation, with a few offending rows."""

    suite: str
    expectation: str
    column: str | None = None  # the column (or columns, comma-separated) the expectation is about
    unexpected_count: int | None = None
    sample: list[dict[str, Any]] = field(default_factory=list)
    observed: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "expectation": self.expectation,
            "column": self.column,
            "unexpected_count": self.unexpected_count,
            "sample": self.sample,
            "observed": self.observed,
        }


@dataclass
class SuiteOutcome:
    """What one suite found."""

    suite: str
    success: bool
    evaluated: int
    rows: int
    failures: list[Failure]
    seconds: float


def _plain(value: Any) -> Any:
    """numpy scalars and NaN to JSON-friendly Python values."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class QualityContext:
    """A GX data context (file-backed under `root/gx`, or ephemeral when root is None)."""

    def __init__(self, root: Path | None) -> None:
        gx = gx_module()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.root = root
        if root is None:
            self.gx_context = gx.get_context(mode="ephemeral")
        else:
            root.mkdir(parents=True, exist_ok=True)
            self.gx_context = gx.get_context(mode="file", project_root_dir=str(root))
        self.gx_context.variables.progress_bars = ProgressBarsConfig(globally=False)
        try:  # kept as stored, with its assets: the stored validation definitions name them
            self.datasource = self.gx_context.data_sources.get(DATASOURCE)
        except KeyError:
            self.datasource = self.gx_context.data_sources.add_pandas(DATASOURCE)
        self._stored = self._read_stored()
        self.run_key: str | None = None
        self._reports: dict[str, SuiteReport] = {}  # this run's suites, for report.html
        self._definitions: dict[str, tuple[Any, str]] = {}  # suite name -> (validation definition, config)

    def start_run(self, run_key: str) -> None:
        """A new run: forget the previous run's report (one report per run)."""
        self.run_key = run_key
        self._reports.clear()
        if self.root is not None:
            (self.root / REPORT_FILE).unlink(missing_ok=True)

    def _definition(self, spec: SuiteSpec) -> Any:
        """The suite's ValidationDefinition, (re)stored only when the expectations changed."""
        gx = gx_module()
        expected = [(e.type, sorted(e.kwargs.items(), key=lambda kv: kv[0])) for e in spec.expectations]
        config = repr((gx.__version__, expected, spec.description))
        cached = self._definitions.get(spec.name)
        if cached and cached[1] == config:
            return cached[0]
        fingerprint = hashlib.sha256(config.encode()).hexdigest()
        if self._stored.get(spec.name) == fingerprint:
            with contextlib.suppress(gx.exceptions.GreatExpectationsError, LookupError, ValueError):
                # unreadable (a file edited or removed, its asset gone): stored again below
                definition = self.gx_context.validation_definitions.get(spec.name)
                self._definitions[spec.name] = (definition, config)
                return definition
        try:
            asset = self.datasource.get_asset(spec.name)
        except LookupError:
            asset = self.datasource.add_dataframe_asset(spec.name)
        try:
            batch = asset.get_batch_definition(BATCH)
        except (KeyError, LookupError):
            batch = asset.add_batch_definition_whole_dataframe(BATCH)
        suite = gx.ExpectationSuite(
            name=spec.name, expectations=[e.build() for e in spec.expectations], meta={"notes": spec.description}
        )
        suite = self.gx_context.suites.add_or_update(suite)
        definition = self.gx_context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
        )
        self._definitions[spec.name] = (definition, config)
        self._record_stored(spec.name, fingerprint)
        return definition

    def _read_stored(self) -> dict[str, str]:
        if self.root is None:
            return {}
        try:
            stored = json.loads((self.root / STORED_SUITES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stored if isinstance(stored, dict) else {}

    def _record_stored(self, suite: str, fingerprint: str) -> None:
        if self.root is None:
            return
        self._stored[suite] = fingerprint
        path = self.root / STORED_SUITES
        staged = path.with_name(path.name + ".tmp")
        staged.write_text(json.dumps(self._stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        staged.replace(path)

    def validate(self, spec: SuiteSpec) -> SuiteOutcome:
        """Run one suite on its frame."""
        from great_expectations.validator.v1_validator import Validator

        started = time.perf_counter()
        definition = self._definition(spec)
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
        if spec.index_columns:
            result_format["unexpected_index_column_names"] = list(spec.index_columns)
        # What `definition.run` does, without storing the result in the context's validation
        # results store (uncommitted/validations/): nothing reads it, the report is made from `result`.
        validator = Validator(
            batch_definition=definition.batch_definition,
            batch_parameters={"dataframe": spec.frame},
            result_format=result_format,
        )
        result = validator.validate_expectation_suite(definition.suite)
        pairs = list(zip(spec.expectations, _in_order(definition, result), strict=True))
        rows = [_row(expect, item) for expect, item in pairs]
        failures = [
            _failure(spec, expect, row) for (expect, _), row in zip(pairs, rows, strict=True) if not row.success
        ]
        outcome = SuiteOutcome(
            suite=spec.name,
            success=bool(result.success),
            evaluated=len(result.results),
            rows=len(spec.frame),
            failures=failures,
            seconds=time.perf_counter() - started,
        )
        if self.root is not None:
            self._reports[spec.name] = SuiteReport(spec.name, spec.description, outcome.success, outcome.rows, rows)
        return outcome

    def publish_report(self) -> Path | None:
        """Rewrite the run's report with every suite validated so far; its path (None: ephemeral, or no suite yet)."""
        if self.root is None:
            return None
        report = self.root / REPORT_FILE
        if self._reports:
            write_report(report, list(self._reports.values()), self.run_key or "adhoc")
            for stale in STALE:
                shutil.rmtree(self.root / stale, ignore_errors=True)
        return report if report.is_file() else None


def _in_order(definition: Any, result: Any) -> list[Any]:
    """The results in the suite's order (GX lists the expectations that raised first)."""
    order = {expectation.id: i for i, expectation in enumerate(definition.suite.expectations)}
    if None in order or len(order) != len(result.results):
        return list(result.results)
    return sorted(result.results, key=lambda item: order.get(item.expectation_config.id, len(order)))


def _row(expect: Expect, item: Any) -> ExpectationRow:
    """One GX ExpectationValidationResult as plain values."""
    details = item.result or {}
    row = ExpectationRow(expect.describe(), bool(item.success), arguments=_plain(dict(expect.kwargs)))
    row.error = _error(item.exception_info)
    if row.error is not None:
        return row
    sample = details.get("partial_unexpected_index_list") or []
    if not sample and details.get("partial_unexpected_list"):
        sample = [{"value": v} for v in details["partial_unexpected_list"]]
    row.observed = _plain(details.get("observed_value"))
    if row.observed is None and details.get("partial_missing_list"):  # a set expectation: values not found
        row.observed = {"missing": _plain(details["partial_missing_list"])}
    row.unexpected_count = _plain(details.get("unexpected_count"))
    row.unexpected_percent = _plain(details.get("unexpected_percent"))
    row.sample = [_plain(r) for r in sample[:SAMPLE_ROWS]]
    return row


def _error(info: dict[str, Any] | None) -> str | None:
    """The first line of the exception GX caught, if any (flat, or one entry per metric)."""
    infos = [info] if info and "raised_exception" in info else list((info or {}).values())
    for entry in infos:
        if isinstance(entry, dict) and entry.get("raised_exception"):
            return " ".join(str(entry.get("exception_message") or "").splitlines()[:1]) or "exception"
    return None


def _failure(spec: SuiteSpec, expect: Expect, row: ExpectationRow) -> Failure:
    """A failed expectation for the check's metadata and the terminal summary."""
    if row.error is not None:
        return Failure(spec.name, row.expectation, expect.column, observed=f"error: {row.error}")
    return Failure(spec.name, row.expectation, expect.column, row.unexpected_count, row.sample, row.observed)


_CONTEXTS: dict[str | None, QualityContext] = {}
_CONTEXTS_LOCK = threading.Lock()


def quality_context(root: Path | None, run_key: str) -> QualityContext:
    """The process's context for `root` (None: ephemeral), reset when `run_key` is a new run."""
    key = None if root is None else str(root)
    with _CONTEXTS_LOCK:
        context = _CONTEXTS.get(key)
        if context is None:
            context = _CONTEXTS[key] = QualityContext(root)
        if context.run_key != run_key:
            context.start_run(run_key)
    return context
