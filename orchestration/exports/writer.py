"""Write export tables from the warehouse as CSV (UTF-8, header, '.' decimal) and Parquet."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.exports.contract import CONTRACT_VERSION, EXPORT_TABLES, ExportTable

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class WrittenFile:
    """One file written, with what the manifest records of it."""

    path: Path
    rows: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_table(con: duckdb.DuckDBPyConnection, table: ExportTable, out_dir: Path) -> list[WrittenFile]:
    """COPY one contract table to `<name>.csv` and `<name>.parquet` in `out_dir`."""
    query = f"select * from {table.relation} order by {', '.join(table.order_by)}"
    rows_row = con.execute(f"select count(*) from {table.relation}").fetchone()
    rows = int(rows_row[0]) if rows_row else 0
    csv_path = out_dir / f"{table.name}.csv"
    parquet_path = out_dir / f"{table.name}.parquet"
    con.execute(f"copy ({query}) to {_quote(csv_path)} (format csv, header true, delimiter ',')")
    con.execute(f"copy ({query}) to {_quote(parquet_path)} (format parquet, compression zstd)")
    return [WrittenFile(p, rows, _sha256(p)) for p in (csv_path, parquet_path)]


def write_exports(con: duckdb.DuckDBPyConnection, out_dir: Path, *, generated_at: str) -> list[WrittenFile]:
    """Every contract table, then the manifest describing them."""
    written: list[WrittenFile] = []
    for table in EXPORT_TABLES:
        written.extend(write_table(con, table, out_dir))
    vintages = con.execute("select file_name, sha256 from raw.vintages order by publication_order").fetchall()
    manifest = {
        "contract_version": CONTRACT_VERSION,
        "generated_at": generated_at,
        "source_vintages": [{"file_name": name, "sha256": sha} for name, sha in vintages],
        "files": [{"name": w.path.name, "rows": w.rows, "sha256": w.sha256} for w in written],
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return written


def _manifest_content(folder: Path) -> dict | None:
    """The manifest of `folder` without its generation time, or None."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("generated_at", None)
    return manifest


def publish_exports(staging_dir: Path, exports_dir: Path) -> list[Path]:
    """Move every staged file into `exports_dir` (each move atomic), the manifest last.

    When the staged files are byte-identical to the published ones (same checksums, same
    vintages), nothing is moved: the published files, manifest included, stay as they are.
    """
    if _manifest_content(staging_dir) == _manifest_content(exports_dir) and all(
        (exports_dir / p.name).is_file() for p in staging_dir.iterdir()
    ):
        shutil.rmtree(staging_dir, ignore_errors=True)
        return []
    staged = sorted(p for p in staging_dir.iterdir() if p.is_file())
    staged.sort(key=lambda p: p.name == MANIFEST_NAME)
    published = []
    for path in staged:
        target = exports_dir / path.name
        path.replace(target)
        published.append(target)
    shutil.rmtree(staging_dir, ignore_errors=True)
    return published
