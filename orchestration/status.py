"""`comex status`: what the live warehouse holds, how the last refresh went, what the last vintage revised.

Reads the warehouse read-only (never blocks or disturbs a refresh) and `last_refresh.json`:
the vintages with their euros reconciled (read = kept + rejected), the periods covered, the
codes and lines to look at (the warning check models), the last refresh, and the revisions
of the newest vintages (marts.vintage_revisions, the model the quality checks read too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from orchestration.check_models import CHECK_MODELS, describe_row, failing_rows
from orchestration.refresh_record import RefreshRecord, read_record
from orchestration.warehouse import connect_read_only, current_writer, interrupted_writer

FLOWS = {"E": "export", "I": "import"}

Quarter = tuple[int, int]  # (year, quarter)


@dataclass(frozen=True)
class Vintage:
    """One vintage: a data text, from a loose file or an archive member."""

    vintage_id: int
    file_name: str
    sha256: str
    rows: int
    rejected: int
    ingested_at: str
    value_eur: int
    kept_eur: int
    rejected_eur: int
    published_at: str | None
    periods: dict[str, list[Quarter]]  # flux → quarters

    @property
    def reconciled(self) -> bool:
        return self.value_eur == self.kept_eur + self.rejected_eur


@dataclass(frozen=True)
class Revision:
    """A département's trade for one flow and quarter, before and after the last vintage."""

    flow: str
    year: int
    quarter: int
    departement: str
    label: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def relative(self) -> float | None:
        return self.change / self.before if self.before else None


@dataclass(frozen=True)
class Revisions:
    """What the newest vintage of each flow changed in the quarters it re-publishes."""

    new_files: list[str]
    quarters_revised: list[tuple[str, int, int]]  # (flow, year, quarter) with at least one change
    largest: list[Revision]


def describe_quarters(quarters: list[Quarter]) -> str:
    """`2023Q1–2025Q2 (2025 partial: Q1–Q2)`: contiguous ranges, then the years not fully covered."""
    if not quarters:
        return "none"
    ordered = sorted(set(quarters))
    ranges: list[tuple[Quarter, Quarter]] = []
    for year, quarter in ordered:
        index = year * 4 + quarter
        if ranges and ranges[-1][1][0] * 4 + ranges[-1][1][1] == index - 1:
            ranges[-1] = (ranges[-1][0], (year, quarter))
        else:
            ranges.append(((year, quarter), (year, quarter)))
    text = ", ".join(f"{a[0]}Q{a[1]}" + (f"–{b[0]}Q{b[1]}" if a != b else "") for a, b in ranges)
    by_year: dict[int, list[int]] = {}
    for year, quarter in ordered:
        by_year.setdefault(year, []).append(quarter)
    partial = [f"{year} partial: {_quarter_list(qs)}" for year, qs in by_year.items() if len(qs) < 4]
    return text + (f" ({'; '.join(partial)})" if partial else "")


def _quarter_list(quarters: list[int]) -> str:
    contiguous = quarters == list(range(quarters[0], quarters[-1] + 1))
    if contiguous and len(quarters) > 1:
        return f"Q{quarters[0]}–Q{quarters[-1]}"
    return ", ".join(f"Q{q}" for q in quarters)


def load_vintages(con: duckdb.DuckDBPyConnection) -> list[Vintage]:
    rows = con.execute(
        "select vintage_id, file_name || coalesce(' (' || member_name || ')', ''), sha256, row_count, "
        "rejected_count, strftime(ingested_at, '%Y-%m-%d %H:%M'), value_eur, kept_eur, rejected_eur, "
        "strftime(published_at, '%Y-%m-%d') from raw.vintages order by publication_order"
    ).fetchall()
    periods: dict[int, dict[str, list[Quarter]]] = {}
    for vintage_id, flux, year, quarter in con.execute(
        "select vintage_id, flux, annee, trimestre from raw.vintage_periods order by all"
    ).fetchall():
        periods.setdefault(vintage_id, {}).setdefault(flux, []).append((year, quarter))
    return [Vintage(*row, periods=periods.get(row[0], {})) for row in rows]


def coverage(con: duckdb.DuckDBPyConnection) -> dict[str, list[Quarter]]:
    """Quarters held per flow (export, import), whichever vintage brings them."""
    result: dict[str, list[Quarter]] = {}
    for flux, year, quarter in con.execute(
        "select distinct flux, annee, trimestre from raw.vintage_periods order by all"
    ).fetchall():
        result.setdefault(FLOWS.get(flux, flux), []).append((year, quarter))
    return result


def load_revisions(con: duckdb.DuckDBPyConnection, top: int) -> Revisions:
    """What the newest vintage of each flow revised, by département (marts.vintage_revisions)."""
    newest = con.execute(
        "select arg_max(v.vintage_id, v.publication_order) from raw.vintage_periods as p "
        "join raw.vintages as v using (vintage_id) group by p.flux"
    ).fetchall()
    ids = [row[0] for row in newest]
    new_files = [
        row[0]
        for row in con.execute(
            "select file_name || coalesce(' (' || member_name || ')', '') from raw.vintages "
            "where list_contains(?, vintage_id) order by 1",
            [ids],
        ).fetchall()
    ]
    changed = _query(
        con,
        "select flow, year, quarter, territory_code, before_eur, after_eur from marts.vintage_revisions "
        "where level = 'departement' and before_eur <> after_eur and list_contains(?, vintage_id)",
        [ids],
    )
    labels = _departement_labels(con)
    revisions = [
        Revision(flow, year, quarter, dep, labels.get(dep, ""), int(before), int(after))
        for flow, year, quarter, dep, before, after in changed
    ]
    revisions.sort(key=lambda r: (-abs(r.change), r.flow, r.year, r.quarter, r.departement))
    quarters = sorted({(r.flow, r.year, r.quarter) for r in revisions})
    return Revisions(new_files, quarters, revisions[:top])


def load_warnings(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[str]:
    """What the warning checks found (codes no list knows, repeated lines…), in words."""
    lines: list[str] = []
    for name, model in CHECK_MODELS.items():
        if model.blocking:
            continue
        try:
            lines += [describe_row(name, row) for row in failing_rows(con, name, limit)]
        except duckdb.Error:  # a warehouse without check models yet
            continue
    return lines


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.Error:  # a warehouse whose marts are not built yet
        return []


def _departement_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        rows = con.execute(
            "select territory_code, territory_label from marts.dim_territory where level = 'departement'"
        ).fetchall()
    except duckdb.Error:
        return {}
    return dict(rows)


def render(console: Console, warehouse: Path, *, top: int = 10) -> bool:
    """Print the whole status; False when there is no warehouse to describe."""
    console.print(f"[bold]comex status[/bold]  warehouse: {warehouse} (read-only)")
    record = read_record(warehouse)
    if not warehouse.is_file():
        console.print("no warehouse yet: run `comex refresh`")
        _render_record(console, record, warehouse)
        return False
    with connect_read_only(warehouse) as con:
        vintages = load_vintages(con)
        covered = coverage(con)
        revisions = load_revisions(con, top)
        warnings = load_warnings(con)
    _render_vintages(console, vintages)
    console.print("\n[bold]Periods covered[/bold]")
    for flow in ("export", "import"):
        console.print(f"  {flow}: {describe_quarters(covered.get(flow, []))}")
    console.print("\n[bold]To look at[/bold] (euros kept and counted)")
    for line in warnings or ["nothing: every code is in a label list, no line repeats at the grain"]:
        console.print(f"  {line}", markup=False)
    _render_record(console, record, warehouse)
    _render_revisions(console, revisions)
    return True


def _render_vintages(console: Console, vintages: list[Vintage]) -> None:
    table = Table(title=f"Vintages loaded ({len(vintages)}), in publication order", title_justify="left",
                  title_style="bold")  # fmt: skip
    for column in ("file", "sha256", "published", "periods", "rows", "rejected", "ingested (UTC)"):
        table.add_column(column, justify="right" if column in ("rows", "rejected") else "left", overflow="fold")
    for v in vintages:
        periods = "; ".join(f"{FLOWS.get(f, f)} {describe_quarters(qs)}" for f, qs in sorted(v.periods.items()))
        table.add_row(
            v.file_name, v.sha256[:12], v.published_at or "—", periods, f"{v.rows:,}", f"{v.rejected:,}",
            v.ingested_at,
        )  # fmt: skip
    console.print(table)
    euros = Table(title="Euros of each file: read = kept + rejected", title_justify="left", title_style="bold")
    for column in ("file", "read (€)", "kept (€)", "rejected (€)", ""):
        euros.add_column(column, justify="left" if column == "file" else "right", overflow="fold")
    for v in vintages:
        euros.add_row(
            v.file_name, f"{v.value_eur:,}", f"{v.kept_eur:,}", f"{v.rejected_eur:,}", "✓" if v.reconciled else "≠"
        )
    console.print(euros)


def _render_record(console: Console, record: RefreshRecord | None, warehouse: Path) -> None:
    console.print("\n[bold]Last refresh[/bold]")
    if running := current_writer(warehouse):
        console.print(f"  [yellow]running now[/yellow]: {running}")
    elif interrupted := interrupted_writer(warehouse):
        console.print(
            f"  [red]interrupted[/red]: {interrupted}, and was killed before it finished; the warehouse and "
            "exports are still those of the run before it" + (":" if record else "")
        )
    if record is None:
        console.print("  none recorded")
        return
    colour = "green" if record.success else "red"
    console.print(
        f"  [{colour}]{record.outcome}[/{colour}] at {record.finished_at} ({record.trigger}, job {record.job}, "
        f"engine {record.engine}) in {record.duration_seconds:.1f} s"
    )
    console.print(
        f"  checks: {record.checks_passed} passed, {record.checks_warned} warned, {record.checks_failed} failed"
    )
    for name in record.failed_checks[:10]:
        console.print(f"    failed: {name}")
    if not record.success:
        console.print(f"  failed step: {record.failed_step or '?'}: {record.error or 'no message'}")


def _render_revisions(console: Console, revisions: Revisions) -> None:
    files = ", ".join(revisions.new_files) or "none"
    console.print(f"\n[bold]Revisions brought by the last vintage[/bold] ({files})")
    if not revisions.quarters_revised:
        console.print("  none: no earlier quarter was re-published with different values")
        return
    quarters = ", ".join(f"{flow} {year}Q{quarter}" for flow, year, quarter in revisions.quarters_revised)
    console.print(f"  quarters revised: {quarters}")
    table = Table(title_justify="left")
    for column in ("département", "flow", "quarter", "before (€)", "after (€)", "change (€)", "change"):
        table.add_column(column, justify="left" if column in ("département", "flow", "quarter") else "right")
    for r in revisions.largest:
        relative = f"{r.relative:+.1%}" if r.relative is not None else "new"
        name = f"{r.departement} {r.label}".strip()
        table.add_row(
            name, r.flow, f"{r.year}Q{r.quarter}", f"{r.before:,}", f"{r.after:,}", f"{r.change:+,}", relative
        )
    console.print(table)
