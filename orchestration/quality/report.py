"""The quality report: one self-contained HTML page of a run's Great Expectations results.

GX's own Data Docs load jQuery, Bootstrap, bootstrap-table and Vega from CDNs: without a network
their index is blank, so the project does not build them. This page has no script and no
external URL (its style is inline), so it opens anywhere: each suite, each expectation with its
outcome, observed value, unexpected count and a few offending rows. Plain data in, a string out:
no GX import here.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_VALUE_CHARS = 600  # an observed value or an argument list longer than this is cut

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em 2em; color: #1d2430; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin: 1.8em 0 .3em; }
.meta { color: #5b6472; } .desc { margin: 0 0 .6em; color: #3b4350; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { border: 1px solid #d5dae1; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f1f3f6; } td.num { text-align: right; }
.ok { color: #17692f; font-weight: 600; } .ko { color: #b3261e; font-weight: 600; }
tr.failed > td { background: #fdf0ef; }
code, pre { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; margin: 0; }
table.rows { width: auto; margin: .3em 0 0; } table.rows td, table.rows th { padding: .1em .4em; font-size: 12px; }
details summary { cursor: pointer; color: #5b6472; }
"""


@dataclass
class ExpectationRow:
    """One expectation's result, as plain values."""

    expectation: str  # `Expect.describe()`
    success: bool
    arguments: dict[str, Any] = field(default_factory=dict)
    observed: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    sample: list[dict[str, Any]] = field(default_factory=list)  # a few offending rows
    error: str | None = None  # the exception GX caught, in one line


@dataclass
class SuiteReport:
    """One validated suite."""

    suite: str
    description: str
    success: bool
    rows: int
    expectations: list[ExpectationRow]

    @property
    def failed(self) -> int:
        return sum(1 for e in self.expectations if not e.success)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _text(value: Any) -> str:
    """A value in one string: JSON for containers, cut at MAX_VALUE_CHARS."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + " …"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _status(success: bool) -> str:
    return '<span class="ok">passed</span>' if success else '<span class="ko">FAILED</span>'


def _anchor(suite: str) -> str:
    return "suite-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in suite)


def _cell(value: Any) -> str:
    return "<td>" + _esc("null" if value is None else _text(value)) + "</td>"


def _sample_table(rows: list[dict[str, Any]]) -> str:
    """The offending rows as a small table (columns in first-seen order)."""
    if not rows:
        return ""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(row.get(c)) for c in columns) + "</tr>" for row in rows)
    return f'<table class="rows"><tr>{head}</tr>{body}</table>'


def _unexpected(row: ExpectationRow) -> str:
    if row.unexpected_count is None:
        return ""
    share = f" ({row.unexpected_percent:.3g} %)" if row.unexpected_percent else ""
    return f"{row.unexpected_count:,}{share}"


def _expectation_tr(row: ExpectationRow) -> str:
    observed = f"error: {row.error}" if row.error else _text(row.observed)
    arguments = (
        f"<details><summary>arguments</summary><pre>{_esc(_text(row.arguments))}</pre></details>"
        if row.arguments
        else ""
    )
    return (
        f'<tr class="{"passed" if row.success else "failed"}"><td>{_status(row.success)}</td>'
        f"<td><code>{_esc(row.expectation)}</code>{arguments}</td>"
        f"<td><pre>{_esc(observed)}</pre></td>"
        f'<td class="num">{_esc(_unexpected(row))}</td><td>{_sample_table(row.sample)}</td></tr>'
    )


def _suite_section(suite: SuiteReport) -> str:
    head = "<tr><th>status</th><th>expectation</th><th>observed</th><th>unexpected</th><th>offending rows</th></tr>"
    rows = "".join(_expectation_tr(row) for row in suite.expectations)
    description = f'<p class="desc">{_esc(suite.description)}</p>' if suite.description else ""
    counts = f"{_count(suite.rows, 'row')} validated, {_count(len(suite.expectations), 'expectation')}"
    return (
        f'<section id="{_anchor(suite.suite)}"><h2>{_status(suite.success)} {_esc(suite.suite)}</h2>'
        f'{description}<p class="meta">{counts}, {suite.failed} failed</p><table>{head}{rows}</table></section>'
    )


def _contents(suites: list[SuiteReport]) -> str:
    """The table of suites at the top, each linked to its section."""
    head = "<tr><th>status</th><th>suite</th><th>rows</th><th>expectations</th><th>failed</th></tr>"
    rows = "".join(
        f'<tr class="{"passed" if s.success else "failed"}"><td>{_status(s.success)}</td>'
        f'<td><a href="#{_anchor(s.suite)}">{_esc(s.suite)}</a></td><td class="num">{s.rows:,}</td>'
        f'<td class="num">{len(s.expectations)}</td><td class="num">{s.failed}</td></tr>'
        for s in suites
    )
    return f"<table>{head}{rows}</table>"


def render(suites: list[SuiteReport], run_key: str) -> str:
    """The whole page: a summary, the table of suites, then one section per suite."""
    failed = [s for s in suites if not s.success]
    expectations = sum(len(s.expectations) for s in suites)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    summary = (
        f"{_count(len(suites), 'suite')}, {len(failed)} failed · {_count(expectations, 'expectation')}, "
        f"{sum(s.failed for s in suites)} failed"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Quality report · {_esc(run_key)}</title><style>{STYLE}</style></head><body>"
        f'<h1>Quality report {_status(not failed)}</h1><p class="meta">run {_esc(run_key)} · {now}</p>'
        f"<p>{summary}</p>{_contents(suites)}{''.join(_suite_section(s) for s in suites)}</body></html>\n"
    )


def write_report(path: Path, suites: list[SuiteReport], run_key: str) -> Path:
    """Write the page at `path` (whole or not at all: a reader never sees half a page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(render(suites, run_key), encoding="utf-8")
    partial.replace(path)
    return path
