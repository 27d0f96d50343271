"""The check models (dbt's models/checks/chk_*), as the Python side reads them.

Each check model holds one row per group with its `gap`, which must be 0 within the dbt var
`tolerance`. dbt tests them (blocking, or warning for the two that report rather than block);
Great Expectations validates the same rows (quality/checks_suite.py); failures are told in
words here, for the refresh's error line, its summary and `comex status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb

from orchestration.yaml_files import dbt_project_vars

SCHEMA = "checks"


@dataclass(frozen=True)
class CheckModel:
    """A check model: the columns naming its groups, and whether a gap blocks publication."""

    name: str
    keys: tuple[str, ...]
    blocking: bool = True

    @property
    def relation(self) -> str:
        return f"{SCHEMA}.{self.name}"


CHECK_MODELS = {
    model.name: model
    for model in (
        CheckModel("chk_vintage_reconciliation", ("file_name", "flow", "year", "quarter")),
        CheckModel("chk_marts_reconcile_with_raw", ("flow", "year", "quarter")),
        CheckModel("chk_territory_levels_add_up", ("year", "quarter", "flow", "level", "territory_code")),
        CheckModel("chk_shares_sum_to_one", ("share_name", "year", "level", "territory_code", "flow")),
        CheckModel("chk_rankings_add_up", ("year", "level", "territory_code", "flow")),
        CheckModel("chk_partner_balance_top_n_union", ("year", "level", "territory_code")),
        CheckModel("chk_flow_links_nodes_and_highlights", ("year", "level", "territory_code", "flow")),
        CheckModel("chk_national_revisions", ("file_name", "flow", "year", "quarter")),
        CheckModel("chk_code_anomalies", ("file_name", "code_kind", "code", "anomaly"), blocking=False),
        CheckModel("chk_duplicate_lines", ("file_name", "flow", "year", "quarter"), blocking=False),
    )
}


@lru_cache(maxsize=1)
def tolerance() -> float:
    """The project's one tolerance (dbt var `tolerance`)."""
    return float(dbt_project_vars().get("tolerance", 1e-9))


def failing_rows(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows of a check model whose gap is beyond the tolerance, largest first."""
    model = CHECK_MODELS[name]
    sql = f"select * from {model.relation} where abs(gap) > ? order by abs(gap) desc, {', '.join(model.keys)}"
    cursor = con.execute(sql + (f" limit {int(limit)}" if limit else ""), [tolerance()])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _quarter(row: dict[str, Any]) -> str:
    return f"{row['year']}Q{row['quarter']}" if row.get("quarter") else f"{row['year']}"


def describe_row(name: str, row: dict[str, Any]) -> str:
    """One failing row in words."""
    if name == "chk_national_revisions":
        change = f"{row['relative_change']:+.1%}" if row["relative_change"] is not None else "from nothing"
        return (
            f"{row['file_name']} moves France's {row['flow']} total of {_quarter(row)} by {change} "
            f"({row['before_eur']:,} € → {row['after_eur']:,} €), beyond COMEX_MAX_NATIONAL_REVISION "
            f"({row['threshold']:.0%}): check the file, or publish it anyway with "
            "`comex refresh --accept-revisions`"
        )
    if name == "chk_code_anomalies":
        return f"{row['file_name']}: {row['message']} ({row['row_count']:,} rows, {row['value_eur']:,} €)"
    if name == "chk_duplicate_lines":
        return (
            f"{row['file_name']}: {row['extra_lines']:,} lines repeat an earlier one at the grain in "
            f"{row['flow']} {_quarter(row)} ({row['cells']:,} cells, {row['value_eur']:,} €)"
        )
    if name == "chk_vintage_reconciliation":
        return (
            f"{row['file_name']}: {row['flow'] or 'unreadable period'} {_quarter(row) if row['year'] else ''}: "
            f"{row['value_eur']:,} € read but {row['kept_eur']:,} € kept + {row['rejected_eur']:,} € rejected"
        )
    keys = ", ".join(f"{k} {row[k]}" for k in CHECK_MODELS[name].keys if row.get(k) is not None)
    return f"{keys}: gap {row['gap']:g}"


def describe_failed_node(con: duckdb.DuckDBPyConnection, unique_id: str) -> str | None:
    """What a failing dbt test of a check model found (the rows of its model, in words), else None."""
    from orchestration.dbt_project import manifest_dict

    node = manifest_dict()["nodes"].get(unique_id, {})
    for parent in node.get("depends_on", {}).get("nodes", []):
        name = parent.split(".")[-1]
        if name in CHECK_MODELS:
            return describe_failures(con, name)
    return None


def describe_failures(con: duckdb.DuckDBPyConnection, name: str, shown: int = 3) -> str | None:
    """What a failing check found, in words (None when its rows show no gap)."""
    rows = failing_rows(con, name)
    if not rows:
        return None
    text = "; ".join(describe_row(name, row) for row in rows[:shown])
    more = f" (and {len(rows) - shown:,} more)" if len(rows) > shown else ""
    return f"{name}: {text}{more}"
