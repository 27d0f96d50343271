"""Stage a whole export set (tables, packs, dictionary, manifest), and re-export without a refresh."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from orchestration import warehouse
from orchestration.checksums import sha256_of
from orchestration.errors import ComexError
from orchestration.exports import dictionary, industry, publication, validation
from orchestration.exports import manifest as manifest_module
from orchestration.exports.contract import CONTRACT, EXPORT_TABLES, ExportTable
from orchestration.exports.dialects import STANDARD, CsvDialect
from orchestration.exports.headers import FRENCH_DIR, header_language, write_readme
from orchestration.exports.writer import ExportFilters, WrittenFile, write_packs, write_table
from orchestration.settings import Paths


@dataclass(frozen=True)
class ExportOptions:
    """What a (re-)export writes: which rows, which CSV dialect, whether per-territory packs."""

    filters: ExportFilters = field(default_factory=ExportFilters)
    dialect: CsvDialect = STANDARD
    packs: bool = False
    xlsx: bool = False  # also the Excel workbook (workbook.py)
    headers: str = "en"  # fr: also French-header copies of the CSVs in fr/ (headers.py)

    def __post_init__(self) -> None:
        header_language(self.headers)


@dataclass(frozen=True)
class ExportSet:
    """A staged export set."""

    folder: Path
    files: list[WrittenFile]
    pack_files: list[WrittenFile]
    manifest: dict[str, Any]

    @property
    def industry_present(self) -> bool:
        return self.manifest["industry_territories"]["status"] == "present"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def stage_exports(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    raw_dir: Path,
    generated_at: str,
    options: ExportOptions | None = None,
    notes: list[str] | None = None,
    warehouse_path: Path | None = None,
    engine: str = "duckdb",
) -> ExportSet:
    """Write every contract file, the packs, the dictionary and the manifest into `out_dir`;
    the manifest names `warehouse_path`, the live warehouse the set comes from, and the `engine`
    that built its marts."""
    options = options or ExportOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    source = industry.register(con, raw_dir)
    tables = [t for t in EXPORT_TABLES if t.mart or source is not None]
    files: list[WrittenFile] = []
    for table in tables:
        files += write_table(con, table, out_dir, filters=options.filters, dialect=options.dialect)
    validation.check(con, files)
    packs = write_packs(con, tables, out_dir, filters=options.filters, dialect=options.dialect) if options.packs else []
    documentation = [
        WrittenFile(p, p.name, "dictionary", p.suffix.lstrip("."), 0, sha256_of(p))
        for p in dictionary.write(CONTRACT, out_dir)
    ]
    if options.headers == "fr":  # copies: the contract files above keep the column names
        french, readme = write_french_headers(con, tables, out_dir, options)
        files += french
        documentation.append(readme)

    def manifest_of(files: list[WrittenFile]) -> dict[str, Any]:
        return manifest_module.build(
            con,
            contract_version=CONTRACT.version,
            generated_at=generated_at,
            dialect=options.dialect,
            filters=options.filters,
            vars_=manifest_module.dbt_vars(),
            industry=manifest_module.industry_note(source, raw_dir),
            files=files,
            documentation=documentation,
            pack_files=packs,
            notes=notes,
            warehouse=warehouse_path,
            engine=engine,
        )

    content = manifest_of(files)
    if options.xlsx:  # its « Lisez-moi » sheet shows the manifest; the manifest then lists it
        from orchestration.exports.workbook import write_workbook  # openpyxl: only for `comex export --xlsx`

        path, rows = write_workbook(out_dir, tables, CONTRACT, content)
        files = [*files, WrittenFile(path, path.name, "workbook", "xlsx", rows, sha256_of(path))]
        content = manifest_of(files)
    manifest_module.write(content, out_dir)
    return ExportSet(out_dir, files, packs, content)


def write_french_headers(
    con: duckdb.DuckDBPyConnection, tables: list[ExportTable], out_dir: Path, options: ExportOptions
) -> tuple[list[WrittenFile], WrittenFile]:
    """`fr/<name>.csv` of every table under the contract's French headers, and `fr/LISEZ-MOI.md`."""
    files: list[WrittenFile] = []
    for table in tables:
        files += write_table(
            con,
            table,
            out_dir,
            filters=options.filters,
            dialect=options.dialect,
            folder=FRENCH_DIR,
            parquet=False,
            language="fr",
        )
    path = write_readme(out_dir, tables, options.dialect)
    readme = WrittenFile(path, path.relative_to(out_dir).as_posix(), "readme", "md", 0, sha256_of(path))
    return files, readme


def reexport(paths: Paths, options: ExportOptions | None = None) -> tuple[ExportSet, publication.Publication]:
    """Re-export from the live warehouse (read-only) and publish atomically; no refresh.

    Takes the warehouse writer lock (no refresh may publish meanwhile) and the exports lock,
    rolls forward a publication a kill interrupted, stages, checks and swaps in.
    """
    if not paths.warehouse.is_file():
        raise ComexError(f"{paths.warehouse}: no warehouse yet; run `comex refresh` first")
    with warehouse.writer_lock(paths.warehouse, "export"), publication.exports_lock(paths.exports_dir):
        publication.recover(paths.exports_dir)
        staged = publication.reset_staging(paths.exports_dir)
        try:
            with warehouse.connect_read_only(paths.warehouse) as con:
                export_set = stage_exports(
                    con,
                    staged,
                    raw_dir=paths.raw_dir,
                    generated_at=now_iso(),
                    options=options,
                    notes=_notes(paths),
                    warehouse_path=paths.warehouse,
                    engine=_engine_of_published(paths.exports_dir),
                )
            return export_set, publication.publish(paths.exports_dir)
        finally:
            shutil.rmtree(staged, ignore_errors=True)


def _engine_of_published(exports_dir: Path) -> str:
    """The engine that built the live warehouse: the one the published set (swapped in with it) names."""
    published = manifest_module.read(exports_dir) or {}
    return str(published.get("engine") or "duckdb")


def _notes(paths: Paths) -> list[str]:
    from orchestration.refresh_record import build_fingerprint, build_part, read_record

    record = read_record(paths.warehouse)
    if record is not None and record.dbt_fingerprint and build_part(record.dbt_fingerprint) != build_fingerprint():
        return [
            "re-export: the dbt project changed since the warehouse was built; dbt_vars are read from "
            "dbt_project.yml and may differ from those the marts were built with (run `comex refresh`)"
        ]
    return []
