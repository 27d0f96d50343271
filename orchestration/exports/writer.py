"""Write the contract tables from the warehouse as CSV and Parquet, whole or per territory.

Every file selects the contract's columns by name, cast to the contract's types (never
`select *`), in the contract's order. CSV: header, UTF-8; the standard dialect has `,` and a
`.` decimal, the `fr` dialect `;`, a decimal comma and a BOM (see dialects.py). CSV headers are
the column names, or the contract's French headers (`language="fr"`, see headers.py).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.checksums import sha256_of
from orchestration.exports import industry
from orchestration.exports.contract import ExportTable
from orchestration.exports.dialects import STANDARD, CsvDialect
from orchestration.exports.headers import header_names

PACKS_DIR = "territories"
MANIFEST_NAME = "manifest.json"  # kept here: freshness.py imports it from this module
LEVELS = ("departement", "region", "france")
#: Where partial exports go, inside the exports folder: one folder each, never the published set.
PARTIAL_DIR = "partial"


@dataclass(frozen=True)
class ExportFilters:
    """Rows to keep (None = all): a partial export says so in its manifest."""

    year: int | None = None
    level: str | None = None
    territory: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.year, self.level, self.territory))

    def folder_name(self) -> str:
        """The folder of a partial export under <exports>/partial/, e.g. `departement-88-2024`."""
        return "-".join(str(v) for v in (self.level, self.territory, self.year) if v is not None)

    def describe(self) -> dict[str, int | str] | None:
        values = {"year": self.year, "level": self.level, "territory_code": self.territory}
        return {k: v for k, v in values.items() if v is not None} or None


@dataclass(frozen=True)
class WrittenFile:
    """One file written, with what the manifest records of it."""

    path: Path
    name: str  # path relative to the export root, POSIX style
    table: str
    format: str  # csv | parquet
    rows: int
    sha256: str
    headers: str | None = None  # a CSV's header language: en (column names) or fr

    def record(self) -> dict[str, str | int]:
        record: dict[str, str | int] = {
            "name": self.name,
            "table": self.table,
            "format": self.format,
            "rows": self.rows,
            "sha256": self.sha256,
        }
        return record | ({"headers": self.headers} if self.headers else {})


def _literal(value: str | int) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


def _quote_path(path: Path) -> str:
    return _literal(str(path))


def _identifier(name: str) -> str:
    """`name` as an SQL alias: a column name as is, a French header quoted."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def _territory_conditions(filters: ExportFilters) -> list[str]:
    """SQL conditions on year, level and territory_code for the filters that are set."""
    conditions = []
    if filters.year is not None:
        conditions.append(f"year = {int(filters.year)}")
    if filters.level is not None:
        conditions.append(f"level = {_literal(filters.level)}")
    if filters.territory is not None:
        conditions.append(f"territory_code = {_literal(filters.territory)}")
    return conditions


def where_clause(table: ExportTable, filters: ExportFilters) -> str:
    """SQL condition keeping the filtered rows of `table` ('true' when none)."""
    conditions = []
    if "territory_code" in table.column_names:
        conditions.extend(_territory_conditions(filters))
    elif "departement_code" in table.column_names and filters.territory is not None:
        # A territory's départements: itself, a région's départements, every one for France.
        code, level = _literal(filters.territory), filters.level
        alternatives = []
        if level in (None, "departement"):
            alternatives.append(f"territory_code = {code}")
        if level in (None, "region"):
            alternatives.append(f"parent_region_code = {code}")
        if level in (None, "france") and filters.territory == "FR":
            alternatives.append("true")
        conditions.append(
            "departement_code in (select territory_code from marts.dim_territory "
            f"where level = 'departement' and ({' or '.join(alternatives)}))"
        )
    return " and ".join(conditions) or "true"


def source_sql(table: ExportTable) -> str:
    """The relation (or subquery) a table's rows come from."""
    if table.mart:
        return str(table.relation)
    if table.name == "industry_territories":
        return f"({industry.query()})"
    raise ValueError(f"{table.name}: no mart and no builder")


def select_sql(
    table: ExportTable, filters: ExportFilters = ExportFilters(), dialect: CsvDialect = STANDARD, language: str = "en"
) -> str:
    """The contract's columns, cast to the contract's types, named in `language`, filtered and ordered."""
    aliases = dict(zip(table.column_names, map(_identifier, header_names(table, language)), strict=True))
    columns = []
    for column in table.columns:
        expression = f"cast({column.name} as {column.type})"
        if column.type == "double" and dialect.decimal != ".":
            expression = f"replace(cast({expression} as varchar), '.', {_literal(dialect.decimal)})"
        columns.append(f"{expression} as {aliases[column.name]}")
    return (
        f"select {', '.join(columns)} from {source_sql(table)} as source "
        f"where {where_clause(table, filters)} order by {', '.join(aliases[name] for name in table.order_by)}"
    )


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> int:
    result = con.execute(f"copy ({query}) to {_quote_path(path)} ({options})").fetchone()
    return int(result[0]) if result else 0


def write_csv(
    con: duckdb.DuckDBPyConnection,
    table: ExportTable,
    path: Path,
    filters: ExportFilters,
    dialect: CsvDialect,
    language: str = "en",
) -> int:
    """One CSV file in `dialect`, headers in `language`; returns its row count."""
    options = f"format csv, header true, delimiter {_literal(dialect.delimiter)}"
    query = select_sql(table, filters, dialect, language)
    if not dialect.bom:
        return _copy(con, query, path, options)
    plain = path.with_name(path.name + ".nobom")
    rows = _copy(con, query, plain, options)
    with path.open("wb") as out, plain.open("rb") as src:
        out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, out, 1024 * 1024)
    plain.unlink()
    return rows


def write_parquet(con: duckdb.DuckDBPyConnection, table: ExportTable, path: Path, filters: ExportFilters) -> int:
    return _copy(con, select_sql(table, filters), path, "format parquet, compression zstd")


def write_table(
    con: duckdb.DuckDBPyConnection,
    table: ExportTable,
    root: Path,
    *,
    filters: ExportFilters = ExportFilters(),
    dialect: CsvDialect = STANDARD,
    folder: str = "",
    parquet: bool = True,
    language: str = "en",
) -> list[WrittenFile]:
    """`<name>.csv` (headers in `language`) and `<name>.parquet` of one table in `root/folder`."""
    out_dir = root / folder if folder else root
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    targets = [("csv", out_dir / f"{table.name}.csv")]
    if parquet:
        targets.append(("parquet", out_dir / f"{table.name}.parquet"))
    for fmt, path in targets:
        csv = fmt == "csv"
        rows = (
            write_csv(con, table, path, filters, dialect, language) if csv else write_parquet(con, table, path, filters)
        )
        name = path.relative_to(root).as_posix()
        written.append(WrittenFile(path, name, table.name, fmt, rows, sha256_of(path), language if csv else None))
    return written


def pack_territories(con: duckdb.DuckDBPyConnection, filters: ExportFilters) -> list[tuple[str, str]]:
    """(level, code) of every territory with trade in the filtered territory_totals."""
    conditions = ["true", *_territory_conditions(filters)]
    rows = con.execute(
        f"select distinct level, territory_code from marts.territory_totals where {' and '.join(conditions)} "
        "order by level, territory_code"
    ).fetchall()
    return [(str(level), str(code)) for level, code in rows]


def write_packs(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[ExportTable],
    root: Path,
    *,
    filters: ExportFilters = ExportFilters(),
    dialect: CsvDialect = STANDARD,
) -> list[WrittenFile]:
    """`territories/<level>-<code>/<name>.csv`: each table's rows for one territory (CSV only)."""
    tables = list(tables)
    written: list[WrittenFile] = []
    for level, code in pack_territories(con, filters):
        pack_filters = ExportFilters(year=filters.year, level=level, territory=code)
        for table in tables:
            folder = f"{PACKS_DIR}/{level}-{code}"
            written += write_table(
                con, table, root, filters=pack_filters, dialect=dialect, folder=folder, parquet=False
            )
    return written
