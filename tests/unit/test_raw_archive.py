"""The raw archive keeps the files of the live warehouse's vintages, and nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration import raw_archive
from orchestration.ingestion.loader import ingest_drop_zone
from orchestration.ingestion.registry import sha256_of
from tests.helpers import GOOD_ROW, write_txt


def ingest(raw: Path, database: Path, archive: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con:
        ingest_drop_zone(con, raw, archive)


def test_only_files_of_published_vintages_are_kept(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    data = write_txt(raw / "Region_2024_Export.txt", [";".join(GOOD_ROW)])
    (raw / "LISEZ-MOI.txt").write_text("Documentation des données régionales\n", encoding="utf-8")
    warehouse = tmp_path / "wh" / "comex.duckdb"
    archive = raw_archive.archive_dir(warehouse)

    ingest(raw, tmp_path / "work" / "comex.duckdb", archive)  # a run's working copy
    incoming = archive / raw_archive.INCOMING
    assert sorted(p.name for p in incoming.iterdir()) == [f"{sha256_of(data)[:16]}-{data.name}"]  # not LISEZ-MOI

    raw_archive.settle(warehouse)  # the run was not published (failed, killed): its file goes
    assert not incoming.exists() and list(archive.iterdir()) == []

    ingest(raw, warehouse, archive)  # this time the warehouse that records it is live
    raw_archive.settle(warehouse)
    assert [p.name for p in archive.iterdir()] == [f"{sha256_of(data)[:16]}-{data.name}"]
