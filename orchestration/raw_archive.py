"""The raw archive beside the warehouse: every file that became a vintage, exactly as received.

A run links the files of its new vintages into `raw_archive/.incoming/` while it ingests into
its working copy. They join the archive only once the warehouse that records them is published:
`settle` moves in the files the live warehouse names and drops the others. Every run settles
when it starts (what a killed run left) and when it ends, so `raw_archive/` holds the files of
the live warehouse's vintages and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from orchestration.warehouse import connect_read_only

INCOMING = ".incoming"


def archive_dir(warehouse: Path) -> Path:
    """Where raw files are kept exactly as received, next to the warehouse."""
    return warehouse.parent / "raw_archive"


def archived_path(archive: Path, sha256: str, name: str) -> Path:
    """A file's place in the archive: content-addressed, its name kept readable."""
    return archive / f"{sha256[:16]}-{name}"


def stage(source: Path, sha256: str, archive: Path) -> Path:
    """Link (or copy) a new vintage's file into the incoming folder; its archived path once kept."""
    target = archived_path(archive, sha256, source.name)
    incoming = archive / INCOMING / target.name
    if not target.exists() and not incoming.exists():
        incoming.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, incoming)
        except OSError:
            shutil.copy2(source, incoming)
    return target


def settle(warehouse: Path) -> None:
    """Keep the incoming files the live warehouse's vintages name; drop the rest."""
    incoming = archive_dir(warehouse) / INCOMING
    if not incoming.is_dir():
        return
    recorded = _recorded_names(warehouse)
    for file in incoming.iterdir():
        if file.name in recorded:
            file.replace(incoming.parent / file.name)
        else:
            file.unlink()
    with contextlib.suppress(OSError):
        incoming.rmdir()


def _recorded_names(warehouse: Path) -> set[str]:
    """The file names of the archived paths the live warehouse's vintages record."""
    if not warehouse.is_file():
        return set()
    with connect_read_only(warehouse) as con:
        present = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'vintages'"
        ).fetchone()
        if not (present and present[0]):
            return set()
        rows = con.execute("select archived_path from raw.vintages").fetchall()
    return {Path(path).name for (path,) in rows}
