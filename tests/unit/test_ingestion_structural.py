"""Files that cannot be ingested at all fail the run with one line, `<file>[, line N]: <reason>`.

Nothing is written when a file is refused: the ingestion is one transaction.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from orchestration import raw_archive
from orchestration.errors import StructuralError
from orchestration.ingestion import archives
from orchestration.ingestion.loader import NoDataError
from tests.helpers import DGDDI_FIXTURES, ingest, query, row, rows_bytes, write_package, write_txt, write_zip


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


def test_a_file_whose_every_line_is_rejected_names_the_commonest_reason(raw: Path, tmp_path: Path) -> None:
    write_txt(raw / "Region_2024_Export.txt", [row(valeur="1,5")] * 3 + [row(masse="n/a")])
    error = _fails(raw, tmp_path, r"no line could be read \(4 rejected\)")
    assert "the commonest reason, on 3 lines: value '1,5' is not a non-negative integer" in str(error)


def test_an_html_page_saved_as_a_zip(raw: Path, tmp_path: Path) -> None:
    (raw / "Regional-2024-export.zip").write_bytes(b"<!DOCTYPE html><html><body>404 Not Found</body></html>")
    error = _fails(raw, tmp_path, "not a zip archive: it is an HTML page")
    assert str(error).startswith("Regional-2024-export.zip: ")


def test_a_corrupt_zip(raw: Path, tmp_path: Path) -> None:
    good = write_zip(raw / "Regional-2024-export.zip", "Region_2024_Export.txt", [row()] * 100).read_bytes()
    (raw / "Regional-2024-export.zip").write_bytes(good[: len(good) // 2])  # truncated download
    _fails(raw, tmp_path, r"^Regional-2024-export\.zip: corrupt zip archive")


def test_an_encrypted_zip(raw: Path, tmp_path: Path) -> None:
    path = write_zip(raw / "Regional-2024-export.zip", "Region_2024_Export.txt", [row()])
    data = bytearray(path.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" bit in both headers
        at = data.find(header)
        flag = at + (6 if header == b"PK\x03\x04" else 8)
        data[flag] |= 0x1
    path.write_bytes(bytes(data))
    _fails(raw, tmp_path, r"member 'Region_2024_Export\.txt' is encrypted")


def test_utf16_text_is_named_as_such(raw: Path, tmp_path: Path) -> None:
    (raw / "Region_2024_Export.txt").write_bytes(("\r\n".join([row(), row(pays="BE")]) + "\r\n").encode("utf-16"))
    error = _fails(raw, tmp_path, "UTF-16 text")
    assert str(error).startswith("Region_2024_Export.txt: UTF-16 text: ")


def test_an_oversized_member_is_refused_before_anything_is_extracted(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb: the declared size is checked first, nothing lands in the temporary folder."""
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1024 * 1024)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with zipfile.ZipFile(raw / "Regional-2024-export.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Regional-2024-export/Region_2024_Export.txt", b"\0" * 5 * 1024 * 1024)
    _fails(raw, tmp_path, r"refused: member .* would expand to 5,242,880 bytes \(limit 1,048,576\)")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_member_that_lies_about_its_size_is_stopped_at_the_bound(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_zip(raw / "Regional-2024-export.zip", "Region_2024_Export.txt", [row()] * 40_000)
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1024 * 1024)
    real_members = archives.members

    def lying(archive: Path, display: str | None = None) -> list[archives.Member]:
        monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 10**12)  # the declared size passes...
        found = real_members(archive, display)
        monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1024 * 1024)  # ...the bytes produced do not
        return found

    monkeypatch.setattr(archives, "members", lying)
    monkeypatch.setattr("orchestration.ingestion.drop_zone.archives.members", lying)
    _fails(raw, tmp_path, r"refused: member expands beyond 1,048,576 bytes")


def test_a_50_mb_line_without_a_newline(raw: Path, tmp_path: Path) -> None:
    (raw / "REGIONAL_CPF4PAYSE.txt").write_bytes(b"E;1;2024;" + b"9" * 50_000_000)
    error = _fails(raw, tmp_path, r"line 1 is longer than 65,536 bytes \(no line break\)")
    assert error.line == 1


def test_a_single_overlong_line_inside_a_good_file_is_quarantined(raw: Path, tmp_path: Path) -> None:
    good = [row(valeur=str(v)) for v in range(15_010)]
    lines = [*good[:15000], "E;1;2024;" + "9" * 3000000, *good[15000:]]
    write_txt(raw / "Region_2024_Export.txt", lines)
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert (report.rows, report.rejected) == (15_010, 1)
    [(line, reason, raw_line)] = query(db, "select line_number, reason, raw_line from raw.rejected_rows")
    assert (line, reason) == (15_001, "line of 3,000,009 bytes is too long to be a DGDDI row")
    assert len(raw_line) < 1_100
    assert query(db, "select max(line_number) from raw.customs_flows") == [(15_011,)]


@pytest.mark.parametrize("member", ["../../etc/evil.txt", "/abs/Region_2024_Export.txt", "a/../../x.txt"])
def test_path_traversal_member_is_refused(raw: Path, tmp_path: Path, member: str) -> None:
    write_zip(raw / "Regional-2024-export.zip", member, [row()])
    _fails(raw, tmp_path, r"refused: member .*(path traversal|absolute path)")
    assert not (tmp_path / "etc").exists()


def test_an_export_file_holding_import_rows_is_refused_at_the_first_such_line(raw: Path, tmp_path: Path) -> None:
    write_txt(raw / "REGIONAL_CPF4PAYSE.txt", [row(), row(pays="BE"), row(flux="I"), row(flux="I")])
    error = _fails(raw, tmp_path, r"the name says export but the file holds import rows \(2 lines of flux 'I'\)")
    assert str(error).startswith("REGIONAL_CPF4PAYSE.txt, line 3: ")


def test_a_member_named_for_one_flow_is_checked_whatever_its_archive(raw: Path, tmp_path: Path) -> None:
    write_package(raw / "REGIONAL_CPF4PAYS.zip", {"REGIONAL_CPF4PAYSI.txt": rows_bytes([row()])})
    error = _fails(raw, tmp_path, "the name says import but the file holds export rows")
    assert str(error).startswith("REGIONAL_CPF4PAYS.zip (REGIONAL_CPF4PAYSI.txt), line 1: ")


def test_a_file_pasted_twice_is_refused(raw: Path, tmp_path: Path) -> None:
    lines = [row(pays=p, valeur=str(v)) for p, v in zip(["BE", "IT", "ES", "DE"], [10, 20, 30, 40], strict=True)]
    write_txt(raw / "Region_2024_Export.txt", lines + lines)
    _fails(raw, tmp_path, r"the file repeats itself: 4 of 8 lines are copies of earlier lines")


def test_a_data_name_without_rows_is_an_error(raw: Path, tmp_path: Path) -> None:
    (raw / "REGIONAL_CPF4PAYSI.txt").write_text("Bonjour,\r\nceci n'est pas un fichier de données.\r\n")
    _fails(raw, tmp_path, r"^REGIONAL_CPF4PAYSI\.txt, line 1: named like a DGDDI data file, but holds no regional rows")


def test_an_empty_drop_zone_or_one_without_data(raw: Path, tmp_path: Path) -> None:
    with pytest.raises(NoDataError, match="no DGDDI data file in"):
        ingest(raw, tmp_path / "w.duckdb")
    (raw / "LISEZ-MOI.txt").write_bytes((DGDDI_FIXTURES / "LISEZ-MOI.txt").read_bytes())
    with pytest.raises(NoDataError, match="no DGDDI data file in"):
        ingest(raw, tmp_path / "w.duckdb")


def test_failed_ingestion_leaves_the_warehouse_as_it_was(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    write_txt(raw / "a_good.txt", [row(), row(pays="BE")])
    ingest(raw, db)
    tables = ("vintages", "customs_flows", "received_files", "file_members", "vintage_reconciliation")
    before = [query(db, f"select * from raw.{t} order by all") for t in tables]
    write_txt(raw / "b_good_too.txt", [row(pays="IT")])
    (raw / "c_broken.txt").write_bytes(b"")
    _fails(raw, tmp_path, "empty file")
    assert [query(db, f"select * from raw.{t} order by all") for t in tables] == before
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
    raw_archive.settle(db)  # this warehouse is the live one: its vintage's file joins the archive
    [(archived, sha)] = query(db, "select archived_path, sha256 from raw.received_files")
    assert Path(archived).read_bytes() == source.read_bytes()
    assert Path(archived).name.startswith(sha[:16])
    assert query(db, "select archived_path from raw.vintages") == [(archived,)]
