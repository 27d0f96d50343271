"""The GX project under quality/gx keeps each suite between runs, stored again only when it changed.

Each refresh is a new process with a new GX context on the same folder. Storing every suite and
validation definition again cost ~60 ms a suite; an unchanged one is read back instead. Real GX,
file-backed, as a refresh has it; a fresh `QualityContext` on the same root stands for the next run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from orchestration.quality.context import STORED_SUITES, Expect, QualityContext, SuiteSpec


def _flows_are(*codes: str) -> SuiteSpec:
    return SuiteSpec(
        "unit_stored_flows",
        pd.DataFrame({"flux": ["E", "I"]}),
        [Expect("ExpectColumnValuesToBeInSet", {"column": "flux", "value_set": list(codes)})],
        description="Flows are E or I.",
    )


def _suite_file(root: Path) -> Path:
    (path,) = (root / "gx" / "expectations").glob("unit_stored_flows*.json")
    return path


def test_an_unchanged_suite_is_read_back_not_stored_again(tmp_path: Path) -> None:
    assert QualityContext(tmp_path).validate(_flows_are("E", "I")).success
    stored = _suite_file(tmp_path)
    written = (stored.stat().st_mtime_ns, stored.read_bytes())
    assert set(json.loads((tmp_path / STORED_SUITES).read_text(encoding="utf-8"))) == {"unit_stored_flows"}

    outcome = QualityContext(tmp_path).validate(_flows_are("E", "I"))  # the next run

    assert outcome.success and outcome.evaluated == 1
    assert (stored.stat().st_mtime_ns, stored.read_bytes()) == written


def test_a_changed_suite_is_stored_again_and_is_the_one_validated(tmp_path: Path) -> None:
    assert QualityContext(tmp_path).validate(_flows_are("E", "I")).success

    outcome = QualityContext(tmp_path).validate(_flows_are("E"))  # the next run expects less

    assert not outcome.success and outcome.failures[0].unexpected_count == 1
    assert '"E"' in _suite_file(tmp_path).read_text(encoding="utf-8")
    assert '"I"' not in _suite_file(tmp_path).read_text(encoding="utf-8")


def test_a_stored_suite_gone_from_the_project_is_stored_again(tmp_path: Path) -> None:
    assert QualityContext(tmp_path).validate(_flows_are("E", "I")).success
    _suite_file(tmp_path).unlink()  # the fingerprint still says stored

    assert QualityContext(tmp_path).validate(_flows_are("E", "I")).success
    assert _suite_file(tmp_path).is_file()
