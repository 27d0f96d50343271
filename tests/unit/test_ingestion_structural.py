"""Files that cannot be ingested at all fail the run with one clear line; nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from orchestration.errors import StructuralError
from orchestration.ingestion import archives
from tests.helpers import ingest, query, row, write_txt, write_zip


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def _fails(raw: Path, tmp_path: Path, match: str) -> StructuralError:
    with pytest.raises(StructuralError, match=match) as caught:
        ingest(raw, tmp_path / "w.duckdb")
    return caught.value


def test_empty_file(raw: Path, tmp_path: Path) -> None:
    (raw / "Region_2024_Export.txt").write_bytes(b"")
    error = _fails(raw, tmp_path, "empty file")
    assert str(error).startswith("Region_2024_Export.txt: ")


def test_wrong_field_count_on_most_lines_names_file_and_line(raw: Path, tmp_path: Path) -> None:
    write_txt(raw / "wrong.txt", [row(), "a,b,c", "d,e,f", "g,h,i"])
    error = _fails(raw, tmp_path, r"3 of 4 lines do not have 10 ';'-separated fields")
    assert (error.file.name, error.line) == ("wrong.txt", 2)
    assert str(error).startswith("wrong.txt, line 2: ")


def test_unreadable_archive(raw: Path, tmp_path: Path) -> None:
    (raw / "Regional-2024-export.zip").write_bytes(b"<html>404 Not Found</html>")
    _fails(raw, tmp_path, "unreadable zip archive")


def test_archive_without_data_file(raw: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(raw / "Regional-2024-export.zip", "w") as zf:
        zf.writestr("notes.pdf", "x")
    _fails(raw, tmp_path, r"expected exactly one \.txt data file, found none")


@pytest.mark.parametrize("member", ["../../etc/evil.txt", "/abs/Region_2024_Export.txt", "a/../../x.txt"])
def test_path_traversal_member_is_refused(raw: Path, tmp_path: Path, member: str) -> None:
    write_zip(raw / "Regional-2024-export.zip", member, [row()])
    _fails(raw, tmp_path, r"refused: member .*(path traversal|absolute path)")
    assert not (tmp_path / "etc").exists()


def test_oversized_member_is_refused(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1024 * 1024)
    write_zip(raw / "Regional-2024-export.zip", "Regional-2024-export/Region_2024_Export.txt", [row()] * 40_000)
    _fails(raw, tmp_path, r"refused: member .* would expand to 1,4\d\d,\d\d\d bytes \(limit 1,048,576\)")


def test_failed_ingestion_leaves_the_warehouse_as_it_was(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    write_txt(raw / "a_good.txt", [row(), row(pays="BE")])
    ingest(raw, db)
    before = query(db, "select * from raw.vintages"), query(db, "select * from raw.customs_flows order by all")
    write_txt(raw / "b_good_too.txt", [row(pays="IT")])
    (raw / "c_broken.txt").write_bytes(b"")
    _fails(raw, tmp_path, "empty file")
    after = query(db, "select * from raw.vintages"), query(db, "select * from raw.customs_flows order by all")
    assert after == before
    assert query(db, "select count(*) from raw.rejected_rows") == [(0,)]


def test_identical_file_again_is_a_no_op(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    write_txt(raw / "Region_2024_Export.txt", [row(), row(pays="BE")])
    first = ingest(raw, db)
    (raw / "copy_of_same_bytes.txt").write_bytes((raw / "Region_2024_Export.txt").read_bytes())
    second = ingest(raw, db)
    assert [f.file_name for f in first.ingested] == ["Region_2024_Export.txt"]
    assert second.ingested == []
    assert sorted(second.unchanged) == ["Region_2024_Export.txt", "copy_of_same_bytes.txt"]
    assert query(db, "select count(*), count(distinct vintage_id) from raw.customs_flows") == [(2, 1)]


def test_raw_file_is_kept_as_received(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    source = write_zip(raw / "Regional-2024-export.zip", "Regional-2024-export/Region_2024_Export.txt", [row()])
    ingest(raw, db)
    [(archived, sha)] = query(db, "select archived_path, sha256 from raw.vintages")
    assert Path(archived).read_bytes() == source.read_bytes()
    assert Path(archived).name.startswith(sha[:16])
