"""The run's quality report: real GX validations rendered into one page that needs no network.

A file-backed GX context validates a passing suite and a failing one (a null code, a negative
minimum, a missing column), then `publish_report` writes `report.html`. The page must load no
script or stylesheet from the web, and hold each suite, expectation, outcome and observed value.
It is all a run writes: no GX Data Docs, no stored validation results.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from orchestration.fiches.browser import BrowserNotFoundError, find_chromium, run_chromium
from orchestration.quality.context import REPORT_FILE, Expect, QualityContext, SuiteSpec

GOOD = SuiteSpec(
    "unit_report_good",
    pd.DataFrame({"flux": ["E", "I"]}),
    [Expect("ExpectColumnValuesToBeInSet", {"column": "flux", "value_set": ["E", "I"]})],
    description="Flows are E or I.",
)
BAD = SuiteSpec(
    "unit_report_bad",
    pd.DataFrame({"code": ["01", None, "88"], "valeur": [10, 20, -3]}),
    [
        Expect("ExpectColumnValuesToNotBeNull", {"column": "code"}),
        Expect("ExpectColumnMinToBeBetween", {"column": "valeur", "min_value": 0}),
        Expect("ExpectTableRowCountToEqual", {"value": 3}),
        Expect("ExpectColumnValuesToBeInSet", {"column": "missing_column", "value_set": ["x"]}),
    ],
    index_columns=["valeur"],
    description="Codes present, values non-negative.",
)


class _Assets(HTMLParser):
    """Every <script src>, <link href>, <img src> and <iframe src> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quality")
    context = QualityContext(root)
    context.start_run("unit-report")
    assert context.validate(GOOD).success
    assert context.publish_report() == root / REPORT_FILE
    assert not context.validate(BAD).success  # a later stage: the page then holds both
    path = context.publish_report()
    assert path == root / REPORT_FILE and path.is_file()
    return path


def test_the_report_loads_nothing_from_the_network(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    parser = _Assets()
    parser.feed(page)
    for url in parser.urls:
        assert not re.match(r"(https?:)?//", url), url
        assert (report.parent / url).is_file(), url
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page


def test_the_report_holds_every_suite_expectation_outcome_and_observed_value(report: Path) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", " ", report.read_text(encoding="utf-8")))
    for suite in (GOOD, BAD):
        assert suite.name in text and suite.description in text
        for expect in suite.expectations:
            assert expect.describe() in text
    assert "2 suites, 1 failed" in text and "5 expectations, 3 failed" in text
    assert "ColumnValuesToNotBeNull(code)" in text and "1 (33.3 %)" in text  # unexpected count and share
    assert re.search(r"ColumnMinToBeBetween\(valeur; min_value=0\)\s+arguments.*?\s-3\s", text, re.S)
    assert 'The column "missing_column" in BatchData does not exist' in text  # the error, on its own row
    assert re.search(r"TableRowCountToEqual\(value=3\)\s+arguments.*?\s3\s", text, re.S)


def test_failures_name_the_expectation_that_failed_even_when_one_raised(tmp_path: Path) -> None:
    """GX lists the expectations that raised first: each failure still carries its own column."""
    outcome = QualityContext(None).validate(BAD)
    failures = {f.column: f for f in outcome.failures}
    assert set(failures) == {"code", "valeur", "missing_column"}
    assert failures["code"].unexpected_count == 1 and failures["code"].expectation == "ColumnValuesToNotBeNull(code)"
    assert failures["valeur"].observed == -3
    assert str(failures["missing_column"].observed).startswith("error: ")


def test_a_new_run_starts_a_new_report(tmp_path: Path) -> None:
    context = QualityContext(tmp_path)
    context.start_run("run-1")
    context.validate(BAD)
    report = context.publish_report()
    assert report is not None and BAD.name in report.read_text(encoding="utf-8")
    context.start_run("run-2")
    assert not report.exists() and context.publish_report() is None
    context.validate(GOOD)
    page = context.publish_report().read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert GOOD.name in page and BAD.name not in page


def test_the_report_is_all_a_run_writes_and_a_stale_data_docs_folder_goes(tmp_path: Path) -> None:
    """GX's Data Docs (blank offline) and the validation results they came from are no longer written;
    the Data Docs an earlier version left go when a run writes its report."""
    stale = tmp_path / "data_docs" / "index.html"
    stale.parent.mkdir()
    stale.write_text("<html>GX Data Docs, blank offline</html>", encoding="utf-8")
    context = QualityContext(tmp_path)
    context.start_run("run-1")
    assert not context.validate(BAD).success and context.validate(GOOD).success
    assert stale.is_file()  # until the run writes its report
    report = context.publish_report()
    assert report == tmp_path / REPORT_FILE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gx", REPORT_FILE]
    assert list(tmp_path.rglob("*.html")) == [report]
    assert not list((tmp_path / "gx" / "uncommitted").rglob("*.json"))  # no validation result stored
    assert (tmp_path / "gx" / "great_expectations.yml").is_file()  # the GX context itself stays
    assert "Data Docs" not in report.read_text(encoding="utf-8")


def _screenshot(url: str, png: Path) -> int:
    """The PNG's size in bytes of `url` shot headless, every request outside file:// sent to a closed port."""
    offline = ("--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
    run = run_chromium(url, f"--screenshot={png}", *offline, budget_ms=2000, window=(1000, 700), timeout=60)
    assert run.returncode == 0 and png.is_file(), run.stderr[-2000:]
    return png.stat().st_size


def test_the_report_renders_offline_in_chromium(report: Path, tmp_path: Path) -> None:
    try:
        find_chromium()
    except BrowserNotFoundError:
        pytest.skip("no Chromium on this machine (`make browser`)")
    blank = _screenshot("about:blank", tmp_path / "blank.png")
    assert _screenshot(report.as_uri(), tmp_path / "report.png") > 5 * blank  # text and tables, not a blank page
