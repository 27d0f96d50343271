"""The quality summary printed by `comex refresh`: counts, failing expectations, offending rows."""

from __future__ import annotations

from orchestration.quality.summary import CheckLine, QualitySummary, summary_lines


def test_summary_lists_failures_first_with_their_evidence() -> None:
    failure = {
        "suite": "raw_rejected_rows",
        "expectation": "ColumnValuesToBeBetween(rejected_rate; min_value=0, max_value=0.01)",
        "unexpected_count": 1,
        "sample": [{"file_name": "REGIONAL_CPF4PAYSE.txt", "rejected_rate": 0.15}],
    }
    summary = QualitySummary(
        [
            CheckLine("customs_files", "gx_vintage_revisions", "warned", [dict(failure, suite="raw_revisions")]),
            CheckLine("customs_files", "gx_rejected_rows_rate", "failed", [failure]),
            CheckLine("marts/flow_links", "not_null_flow_links_product_label", "failed", failed_rows=3),
            CheckLine("marts/territory_totals", "gx_invariants", "passed"),
        ],
        report="/w/quality/report.html",
    )
    lines = summary_lines(summary)
    assert lines[0] == "quality checks: 1 passed, 1 warned, 2 failed (3 Great Expectations, 1 dbt tests)"
    assert lines[1] == "  FAILED: customs_files · gx_rejected_rows_rate"
    assert "rejected_rate" in lines[2] and "1 unexpected" in lines[2]
    assert lines[3] == "      e.g. file_name=REGIONAL_CPF4PAYSE.txt, rejected_rate=0.15"
    assert "  FAILED: marts/flow_links · not_null_flow_links_product_label (3 failing rows)" in lines
    assert "  warning: customs_files · gx_vintage_revisions" in lines
    assert lines[-1] == "  report: /w/quality/report.html"


def test_no_checks_no_lines() -> None:
    assert summary_lines(QualitySummary()) == []
