"""Small builders shared by the tests: DGDDI rows and files written the way DGDDI writes them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

from orchestration.ingestion.loader import IngestionReport, ingest_drop_zone

GOOD_ROW = ("E", "1", "2024", "88", "13", "C20A", "2011", "DE", "1000", "20")


def row(**changes: str) -> str:
    """A valid DGDDI regional row (Vosges, 2024Q1, export to Germany), with fields replaced."""
    names = ("flux", "trimestre", "annee", "dep", "reg", "a129", "cpf4", "pays", "valeur", "masse")
    values = dict(zip(names, GOOD_ROW, strict=True)) | changes
    return ";".join(values[n] for n in names)


def write_txt(
    path: Path, lines: list[str], *, encoding: str = "utf-8", newline: str = "\r\n", bom: bool = False
) -> Path:
    data = (newline.join(lines) + newline).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_zip(path: Path, member: str, lines: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "\r\n".join(lines) + "\r\n")
    return path


def zip_bytes(member: str, text: str) -> bytes:
    """A zip of one member with a fixed timestamp: the same text always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member, date_time=(2025, 6, 5, 9, 0, 0)), text)
    return buffer.getvalue()


def ingest(raw_dir: Path, db: Path) -> IngestionReport:
    with duckdb.connect(str(db)) as con:
        return ingest_drop_zone(con, raw_dir, db.parent / "archive")


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def comex_fetch(sources: Path, raw: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`comex fetch --sources …` into `raw`, as a user runs it; also its `error:` lines."""
    comex = str(Path(sys.executable).with_name("comex"))
    env = {**os.environ, "COMEX_RAW_DIR": str(raw), "COLUMNS": "200"}
    run = subprocess.run(
        [comex, "fetch", "--sources", str(sources)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    return run, [line for line in run.stderr.splitlines() if line.startswith("error:")]
