"""Is there anything new to refresh? Used by `comex refresh`'s fast path and the drop-zone sensor.

Nothing is new when every file of the raw folder was received before (same bytes) or holds
only data and label lists the live warehouse already has (a re-zipped or extracted copy), the
dbt project is byte-identical to the last successful refresh's, and the published exports
describe the warehouse's vintages. No Dagster import: this must answer in a second or two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.checksums import sha256_of
from orchestration.errors import ComexError
from orchestration.ingestion import archives
from orchestration.ingestion.drop_zone import ReceivedFile, pieces, received_files
from orchestration.ingestion.sniff import Kind
from orchestration.refresh_record import dbt_fingerprint, read_record
from orchestration.settings import Paths
from orchestration.warehouse import connect_read_only

#: = orchestration.exports.writer.MANIFEST_NAME, not imported: the exports stack pulls in pyarrow (~1 s).
MANIFEST_NAME = "manifest.json"
#: = orchestration.exports.industry.PATTERN, for the same reason.
INDUSTRY_PATTERN = "liste-ti-com*.csv"


@dataclass(frozen=True)
class Freshness:
    """The verdict, with the reason in words; `error` when a refresh cannot do anything useful."""

    up_to_date: bool
    reason: str
    files: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Held:
    """What the live warehouse already holds, by sha256."""

    files: set[str]  # files received
    vintages: set[str]  # data texts
    contents: set[str]  # data texts and label lists

    @classmethod
    def of(cls, warehouse: Path) -> Held:
        """What `warehouse` holds (nothing when it does not exist, or has no raw schema yet)."""
        if not warehouse.is_file():
            return cls(set(), set(), set())
        try:
            with connect_read_only(warehouse) as con:
                files = {r[0] for r in con.execute("select sha256 from raw.received_files").fetchall()}
                vintages = {r[0] for r in con.execute("select sha256 from raw.vintages").fetchall()}
                labels = {r[0] for r in con.execute("select sha256 from raw.label_files").fetchall()}
        except duckdb.Error:
            return cls(set(), set(), set())
        return cls(files, vintages, vintages | labels)


def _holds_news(file: ReceivedFile, file_sha256: str, held: Held) -> tuple[bool, bool]:
    """(does a file never received hold data or labels the warehouse lacks, does it hold data)."""
    news, data = False, False
    try:
        for piece in pieces(file):
            if piece.sniffed.kind is Kind.OTHER:
                continue
            data = data or piece.sniffed.kind is Kind.DATA
            news = (  # short-circuit: an empty warehouse lacks everything, nothing to hash
                news
                or not held.contents
                or (archives.member_sha256(file.path, piece.member) if piece.member else file_sha256)
                not in held.contents
            )
    except ComexError:
        return True, True  # unreadable: the refresh reports it with the file's name
    return news, data


def new_files(raw_dir: Path, warehouse: Path) -> list[str]:
    """Files of the raw folder that hold data or labels the live warehouse does not have yet."""
    return _scan(raw_dir, Held.of(warehouse))[0]


def _scan(raw_dir: Path, held: Held) -> tuple[list[str], int, bool]:
    """(files with news, files seen, does the drop zone hold any data)."""
    news: list[str] = []
    files = received_files(raw_dir)
    any_data = False
    for file in files:
        sha = sha256_of(file.path)
        if sha in held.files:
            any_data = True  # received before; whatever it held is in the warehouse
            continue
        has_news, has_data = _holds_news(file, sha, held)
        any_data = any_data or has_data
        if has_news:
            news.append(file.name)
    return news, len(files), any_data


def check_freshness(paths: Paths, engine: str = "duckdb") -> Freshness:
    """Up to date, or the first reason a refresh has work to do (on `engine`: a warehouse another
    engine built is rebuilt by this one)."""
    if not paths.raw_dir.is_dir():
        return Freshness(False, f"raw folder not found: {paths.raw_dir}")
    held = Held.of(paths.warehouse)
    news, count, any_data = _scan(paths.raw_dir, held)
    if not any_data and not held.vintages:
        message = (
            f"no DGDDI data file in {paths.raw_dir}: drop the annual zips (Regional-YYYY-export.zip, "
            "Regional-YYYY-import.zip) or the last publication (REGIONAL_CPF4PAYSE/I) there, or run `comex fetch`"
        )
        return Freshness(False, message, count, error=message)
    if not paths.warehouse.is_file():
        return Freshness(False, "no warehouse yet")
    record = read_record(paths.warehouse)
    if record is None or not record.success:
        return Freshness(False, "the last refresh did not succeed")
    if record.dbt_fingerprint != dbt_fingerprint():
        return Freshness(False, "the dbt project or the exports code changed since the last refresh")
    if record.engine != engine:
        return Freshness(False, f"the last refresh ran on {record.engine}, this one on {engine}")
    if news:
        return Freshness(False, f"new file(s): {', '.join(news)}")
    if not _exports_match(paths.exports_dir, held.vintages):
        return Freshness(False, "the published exports are missing or out of date")
    if not _industry_list_matches(paths.raw_dir, paths.exports_dir):
        return Freshness(False, "the Territoires d'industrie list changed")
    return Freshness(True, f"{count} file(s), nothing the warehouse lacks; dbt project unchanged", count)


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
