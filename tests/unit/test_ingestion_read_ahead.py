"""Reading the next file ahead (orchestration/ingestion/prefetch.py) changes nothing a pass says or keeps.

The next file is hashed, unzipped and its texts' facts read while DuckDB reads the current
one: an error found ahead is raised only when the pass reaches its file, and no extracted
text outlives the pass, whether it ends in success or failure.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from orchestration.checksums import sha256_of
from orchestration.errors import StructuralError
from orchestration.ingestion.drop_zone import received_files
from orchestration.ingestion.prefetch import ReadAhead, prepare
from tests.helpers import annual_package, ingest, query, row, write_txt

EXPORTS = [row(trimestre=str(q), pays=p) for q in (1, 2) for p in ("DE", "BE")]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Python's temporary folder for the test: where the extracted texts go."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_first_broken_file_is_the_one_reported_though_the_next_was_read_ahead(
    raw: Path, tmp_path: Path, temp_root: Path
) -> None:
    write_txt(raw / "a_cut_fields.txt", [row(), *["E;1;2024;88"] * 5])  # refused once DuckDB read it
    (raw / "b_not_a_zip.zip").write_bytes(b"<html>error page</html>")
    with pytest.raises(StructuralError) as failure:
        ingest(raw, tmp_path / "w.duckdb")
    assert failure.value.file == Path("a_cut_fields.txt")
    assert list(temp_root.iterdir()) == []


def test_a_broken_file_after_a_good_package_fails_the_pass_and_keeps_nothing(
    raw: Path, tmp_path: Path, temp_root: Path
) -> None:
    annual_package(raw, 2024, "export", EXPORTS)
    (raw / "z_not_a_zip.zip").write_bytes(b"PK\x03\x04 truncated")
    db = tmp_path / "w.duckdb"
    with pytest.raises(StructuralError) as failure:
        ingest(raw, db)
    assert failure.value.file == Path("z_not_a_zip.zip")
    assert query(db, "select count(*) from raw.customs_flows") == [(0,)]
    assert list(temp_root.iterdir()) == []


def test_packages_read_ahead_land_whole_and_leave_no_extracted_text(raw: Path, tmp_path: Path, temp_root: Path) -> None:
    for year in (2022, 2023, 2024):
        annual_package(raw, year, "export", [line.replace(";2024;", f";{year};") for line in EXPORTS])
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert len(report.ingested) == 3
    assert query(db, "select annee, count(*) from raw.customs_flows group by annee order by annee") == [
        (2022, 4), (2023, 4), (2024, 4),
    ]  # fmt: skip
    assert list(temp_root.iterdir()) == []


def test_a_file_received_before_is_hashed_but_not_unzipped(raw: Path) -> None:
    package = annual_package(raw, 2024, "export", EXPORTS)
    [file] = received_files(raw)
    prepared = prepare(file, frozenset({sha256_of(package)}))
    assert prepared.known and prepared.listed == [] and prepared.texts == {}
    fresh = prepare(file, frozenset())
    try:
        [text] = [t for t in fresh.texts.values() if not isinstance(t, BaseException)]
        assert text.path.read_bytes().count(b"\r\n") == len(EXPORTS)
        assert text.facts.encoding == "utf-8"
    finally:
        fresh.close()
    assert not text.path.exists()


def test_files_left_unread_by_a_failed_pass_are_cleaned_up(raw: Path, temp_root: Path) -> None:
    for year in (2023, 2024):
        annual_package(raw, year, "export", EXPORTS)
    files = received_files(raw)
    with ReadAhead(files, frozenset()) as ahead:
        first = ahead.take(0)  # the second is now being prepared, and is never taken
        first.close()
    assert list(temp_root.iterdir()) == []
