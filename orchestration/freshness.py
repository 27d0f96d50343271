"""Is there anything new to refresh? Used by `comex refresh`'s fast path and the drop-zone sensor.

Nothing is new when every customs file of the raw folder is already a vintage of the live
warehouse (same sha256), the dbt project is byte-identical to the last successful refresh's,
and the published exports describe those vintages. No Dagster import: this must answer in a
second or two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.checksums import sha256_of
from orchestration.ingestion.sources import discover
from orchestration.refresh_record import dbt_fingerprint, read_record
from orchestration.settings import Paths
from orchestration.warehouse import connect_read_only

#: = orchestration.exports.writer.MANIFEST_NAME, not imported: the exports stack pulls in pyarrow (~1 s).
MANIFEST_NAME = "manifest.json"
#: = orchestration.exports.industry.PATTERN, for the same reason.
INDUSTRY_PATTERN = "liste-ti-com*.csv"


@dataclass(frozen=True)
class Freshness:
    """The verdict, with the reason in words."""

    up_to_date: bool
    reason: str
    files: int = 0


def ingested_sha256(warehouse: Path) -> set[str]:
    """sha256 of every vintage of the live warehouse (empty when there is none yet)."""
    if not warehouse.is_file():
        return set()
    try:
        with connect_read_only(warehouse) as con:
            return {row[0] for row in con.execute("select sha256 from raw.vintages").fetchall()}
    except duckdb.Error:
        return set()


def not_ingested(raw_dir: Path, warehouse: Path) -> list[str]:
    """Names of the raw folder's customs files that the live warehouse does not hold yet."""
    known = ingested_sha256(warehouse)
    return [source.name for source in discover(raw_dir) if sha256_of(source.path) not in known]


def check_freshness(paths: Paths) -> Freshness:
    """Up to date, or the first reason a refresh has work to do."""
    if not paths.raw_dir.is_dir():
        return Freshness(False, f"raw folder not found: {paths.raw_dir}")
    if not paths.warehouse.is_file():
        return Freshness(False, "no warehouse yet")
    record = read_record(paths.warehouse)
    if record is None or not record.success:
        return Freshness(False, "the last refresh did not succeed")
    if record.dbt_fingerprint != dbt_fingerprint():
        return Freshness(False, "the dbt project changed since the last refresh")
    files = discover(paths.raw_dir)
    known = ingested_sha256(paths.warehouse)
    if new := [s.name for s in files if sha256_of(s.path) not in known]:
        return Freshness(False, f"new file(s): {', '.join(new)}")
    if not _exports_match(paths.exports_dir, known):
        return Freshness(False, "the published exports are missing or out of date")
    if not _industry_list_matches(paths.raw_dir, paths.exports_dir):
        return Freshness(False, "the Territoires d'industrie list changed")
    return Freshness(True, f"{len(files)} file(s) already ingested, dbt project unchanged", len(files))


def _exports_match(exports_dir: Path, vintages: set[str]) -> bool:
    manifest_path = exports_dir / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    listed = {v.get("sha256") for v in manifest.get("source_vintages", [])}
    files_present = all((exports_dir / f["name"]).is_file() for f in manifest.get("files", []))
    return listed == vintages and files_present


def _industry_list_matches(raw_dir: Path, exports_dir: Path) -> bool:
    """The ANCT list in the raw folder (if any) is the one the published exports were built from."""
    candidates = sorted(raw_dir.glob(INDUSTRY_PATTERN))
    try:
        manifest = json.loads((exports_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    published = (manifest.get("industry_territories") or {}).get("source") or {}
    if not candidates:
        return not published
    return published.get("sha256") == sha256_of(candidates[-1])
