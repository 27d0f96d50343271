"""Suites on the staged export files: contract columns, keys, and row counts equal to the marts'.

The files are read by DuckDB (`read_csv` / `read_parquet`) and summarised per file, so GX sees
one row per file (and one per file column). Column types are checked on the Parquet files (CSV
types are only what a reader guesses). A file of the contract without a mart (e.g.
industry_territories, absent when the ANCT list is not supplied) is checked only when present.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from orchestration.exports.contract import EXPORT_TABLES, ExportTable
from orchestration.quality.context import Expect, SuiteSpec

FORMATS = ("csv", "parquet")


def _reader(path: Path) -> str:
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix == ".csv":
        return f"read_csv({quoted}, header = true, delim = ',', quote = '\"')"
    return f"read_parquet({quoted})"


def _column_spec(table: str, fmt: str, position: int, name: str, type_: str) -> str:
    return f"{table}.{fmt} #{position} {name}" + (f" {type_.upper()}" if fmt == "parquet" else "")


def _present(staging_dir: Path, table: ExportTable) -> list[tuple[str, Path]]:
    return [
        (fmt, staging_dir / f"{table.name}.{fmt}") for fmt in FORMATS if (staging_dir / f"{table.name}.{fmt}").is_file()
    ]


def _expected_tables(staging_dir: Path) -> list[ExportTable]:
    """Files with a mart are mandatory; the others are checked when written."""
    return [t for t in EXPORT_TABLES if t.mart or _present(staging_dir, t)]


def columns_suite(con: duckdb.DuckDBPyConnection, staging_dir: Path) -> SuiteSpec:
    rows = []
    for table in _expected_tables(staging_dir):
        for fmt, path in _present(staging_dir, table):
            described = con.execute(f"describe select * from {_reader(path)}").fetchall()
            for position, (name, type_, *_rest) in enumerate(described, start=1):
                rows.append(
                    (f"{table.name}.{fmt}", position, name, _column_spec(table.name, fmt, position, name, type_))
                )
    frame = pd.DataFrame(rows, columns=["file", "position", "column_name", "column_spec"])
    expected = [
        _column_spec(t.name, fmt, i, c.name, c.type)
        for t in _expected_tables(staging_dir)
        for fmt in FORMATS
        for i, c in enumerate(t.columns, start=1)
    ]
    return SuiteSpec(
        "exports_columns",
        frame,
        [Expect("ExpectColumnDistinctValuesToEqualSet", {"column": "column_spec", "value_set": expected})],
        index_columns=["file", "position", "column_name"],
        description=(
            "Every export file (CSV and Parquet) has the contract's columns, in order; Parquet types as contracted."
        ),
    )


def files_suite(con: duckdb.DuckDBPyConnection, staging_dir: Path) -> SuiteSpec:
    rows = []
    for table in _expected_tables(staging_dir):
        mart_rows = None
        if table.relation:
            mart_rows = con.execute(f"select count(*) from {table.relation}").fetchone()[0]  # type: ignore[index]
        keys = list(table.key)
        null_keys = " or ".join(f'"{k}" is null' for k in keys)
        distinct = f"count(distinct row({', '.join(chr(34) + k + chr(34) for k in keys)}))"
        present = dict(_present(staging_dir, table))
        for fmt in FORMATS:
            path = present.get(fmt)
            if path is None:
                rows.append((table.name, fmt, 0, mart_rows, 0))
                continue
            try:
                count, nulls, uniques = con.execute(
                    f"select count(*), count(*) filter (where {null_keys}), {distinct} from {_reader(path)}"
                ).fetchone()  # type: ignore[misc]
            except duckdb.Error:  # a key column missing: exports_columns says which
                count, nulls, uniques = con.execute(f"select count(*), 0, count(*) from {_reader(path)}").fetchone()  # type: ignore[misc]
            rows.append((table.name, fmt, count, mart_rows, nulls + count - uniques))
    frame = pd.DataFrame(rows, columns=["table", "format", "row_count", "mart_rows", "key_errors"])
    frame["rows_gap"] = frame["row_count"] - frame["mart_rows"]  # NaN (skipped) without a mart
    return SuiteSpec(
        "exports_files",
        frame,
        [
            Expect("ExpectColumnValuesToBeBetween", {"column": "row_count", "min_value": 1}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "rows_gap", "min_value": 0, "max_value": 0}),
            Expect("ExpectColumnValuesToBeBetween", {"column": "key_errors", "min_value": 0, "max_value": 0}),
        ],
        index_columns=["table", "format", "row_count", "mart_rows"],
        description=(
            "Every export file is written (a missing one counts 0 rows), not empty, has as many rows as its "
            "mart, and unique, non-null keys."
        ),
    )
