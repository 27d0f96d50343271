"""Check written Parquet files against the contract: column names, order and types, unique key."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from orchestration.errors import ComexError
from orchestration.exports.contract import EXPORT_TABLES, ExportTable
from orchestration.exports.writer import WrittenFile

_DUCKDB_TYPES = {
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "varchar": "VARCHAR",
    "boolean": "BOOLEAN",
}


class ContractViolationError(ComexError):
    """A file does not match the export contract."""


def violations(con: duckdb.DuckDBPyConnection, table: ExportTable, parquet: WrittenFile) -> list[str]:
    """What is wrong with one Parquet file (empty when it honours the contract)."""
    source = "read_parquet('" + str(parquet.path).replace("'", "''") + "')"
    found = [(row[0], row[1]) for row in con.execute(f"describe select * from {source}").fetchall()]
    expected = [(c.name, _DUCKDB_TYPES[c.type]) for c in table.columns]
    problems = []
    if found != expected:
        problems.append(f"{parquet.name}: columns {found} differ from the contract's {expected}")
        return problems
    key = ", ".join(table.key)
    duplicates = con.execute(f"select count(*) from (select {key} from {source} group by all having count(*) > 1)")
    row = duplicates.fetchone()
    if row and row[0]:
        problems.append(f"{parquet.name}: {row[0]} duplicated key(s) ({key})")
    return problems


def check(con: duckdb.DuckDBPyConnection, files: Iterable[WrittenFile]) -> None:
    """Raise ContractViolationError naming every problem of the written Parquet files."""
    tables = {t.name: t for t in EXPORT_TABLES}
    problems = [problem for f in files if f.format == "parquet" for problem in violations(con, tables[f.table], f)]
    if problems:
        raise ContractViolationError("export contract violated: " + "; ".join(problems))
