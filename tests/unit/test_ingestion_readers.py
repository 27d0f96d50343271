"""Every reader path: annual zip, last-publication txt/zip, plain txt; BOM, Latin-1, CRLF/LF; name hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration import text_decoding as decoding
from orchestration.ingestion.names import Packaging, hint
from tests.helpers import ingest, query, row, write_txt, write_zip


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def test_annual_zip_is_read_from_its_member(raw: Path, tmp_path: Path) -> None:
    write_zip(raw / "Regional-2024-export.zip", "Regional-2024-export/Region_2024_Export.txt", [row(), row(pays="BE")])
    report = ingest(raw, tmp_path / "w.duckdb")
    assert [f.rows for f in report.ingested] == [2]
    assert query(tmp_path / "w.duckdb", "select member_name, packaging from raw.vintages") == [
        ("Regional-2024-export/Region_2024_Export.txt", "annual")
    ]


@pytest.mark.parametrize("zipped", [False, True])
def test_last_publication_file_bare_or_zipped(raw: Path, tmp_path: Path, zipped: bool) -> None:
    lines = [row(flux="I", trimestre=str(q)) for q in (1, 2, 3, 4)]
    if zipped:
        write_zip(raw / "REGIONAL_CPF4PAYSI.zip", "REGIONAL_CPF4PAYSI.txt", lines)
    else:
        write_txt(raw / "REGIONAL_CPF4PAYSI.txt", lines)
    report = ingest(raw, tmp_path / "w.duckdb")
    assert report.ingested[0].periods == ["I 2024Q1", "I 2024Q2", "I 2024Q3", "I 2024Q4"]
    assert query(tmp_path / "w.duckdb", "select packaging from raw.vintages") == [("last_publication",)]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_plain_txt_with_crlf_or_lf(raw: Path, tmp_path: Path, newline: str) -> None:
    write_txt(raw / "extract.txt", [row(), row(pays="IT")], newline=newline)
    ingest(raw, tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "select code_pays, masse from raw.customs_flows order by 1") == [
        ("DE", 20),
        ("IT", 20),
    ]


def test_utf8_bom_is_detected_and_dropped(raw: Path, tmp_path: Path) -> None:
    write_txt(raw / "bom.txt", [row(), row(pays="ES")], bom=True)
    report = ingest(raw, tmp_path / "w.duckdb")
    assert report.ingested[0].encoding == decoding.UTF8_BOM
    assert report.rejected == 0
    assert query(tmp_path / "w.duckdb", "select flux from raw.customs_flows where line_number = 1") == [("E",)]


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [("utf-8", False, decoding.UTF8), ("utf-8", True, decoding.UTF8_BOM), ("cp1252", False, decoding.CP1252)],
    ids=["UTF-8", "UTF-8 with BOM", "Windows-1252"],
)
def test_an_empty_first_line_keeps_every_line_number(
    raw: Path, tmp_path: Path, encoding: str, bom: bool, expected: str
) -> None:
    """The empty line is rejected as line 1 and the rows keep their numbers, whether the text is
    read in place or transcoded first (a BOM, gone from the transcoded text, must not hide it)."""
    lines = ["", row(), row(pays="ES"), row(pays="Œ")]  # Œ: a byte only Windows-1252 gives it
    write_txt(raw / "Region_2024_Export.txt", lines, encoding=encoding, bom=bom)
    report = ingest(raw, tmp_path / "w.duckdb")
    assert report.ingested[0].encoding == expected
    rejected = query(tmp_path / "w.duckdb", "select line_number, reason from raw.rejected_rows order by 1")
    assert [(number, reason.split(" '")[0]) for number, reason in rejected] == [(1, "empty line"), (4, "country code")]
    assert query(tmp_path / "w.duckdb", "select line_number, code_pays from raw.customs_flows order by 1") == [
        (2, "DE"),
        (3, "ES"),
    ]


@pytest.mark.parametrize(("encoding", "expected"), [("cp1252", "cp1252"), ("utf-8", "utf-8")])
def test_accents_survive_every_encoding(raw: Path, tmp_path: Path, encoding: str, expected: str) -> None:
    """A rejected line keeps its text: é, ’ and œ come out as UTF-8 whatever the file's encoding."""
    bad = row(masse="Cœur d’été")
    write_txt(raw / "accents.txt", [row(), bad], encoding=encoding)
    report = ingest(raw, tmp_path / "w.duckdb")
    assert report.ingested[0].encoding == expected
    assert query(tmp_path / "w.duckdb", "select raw_line from raw.rejected_rows") == [(bad,)]


def test_pure_latin1_file(raw: Path, tmp_path: Path) -> None:
    bad = row(masse="Côte\x81")  # 0x81 is undefined in Windows-1252: only Latin-1 decodes it
    (raw / "latin1.txt").write_bytes((row() + "\r\n" + bad + "\r\n").encode("latin-1"))
    report = ingest(raw, tmp_path / "w.duckdb")
    assert report.ingested[0].encoding == decoding.LATIN1
    assert query(tmp_path / "w.duckdb", "select raw_line from raw.rejected_rows") == [(bad,)]


@pytest.mark.parametrize(
    ("name", "packaging", "flux"),
    [
        ("Regional-2023-import.zip", Packaging.ANNUAL, "I"),
        ("Regional-2019-export/Region_2019_Export.txt", Packaging.ANNUAL, "E"),
        ("Region_2023_Export.txt", Packaging.ANNUAL, "E"),
        ("REGIONAL_CPF4PAYSE.txt", Packaging.LAST_PUBLICATION, "E"),
        ("REGIONAL_CPF4PAYSI.zip", Packaging.LAST_PUBLICATION, "I"),
        ("REGIONAL_CPF4PAYS.zip", Packaging.LAST_PUBLICATION, None),
        ("my-extract.txt", Packaging.PLAIN, None),
    ],
)
def test_file_names_hint_packaging_and_flux(name: str, packaging: Packaging, flux: str | None) -> None:
    found = hint(name)
    assert (found.packaging, found.flux) == (packaging, flux)


def test_a_member_says_its_own_flow_and_takes_its_archive_packaging() -> None:
    assert (hint("REGIONAL_CPF4PAYSI.txt", "REGIONAL_CPF4PAYS.zip").flux) == "I"
    assert hint("data.txt", "Regional-2024-export.zip").flux == "E"


@pytest.mark.parametrize(
    "name", ["LISEZ-MOI.txt", "README.md", "notes.pdf", "Description-des-jeux-de-donnees.pdf", "carte.png"]
)
def test_documentation_is_never_data(name: str) -> None:
    assert hint(name).documentation


@pytest.mark.parametrize("name", ["Libelle_PAYS.txt", "Libelle_CPF4_rev2.1_2.txt", "Departement_region.txt"])
def test_label_names(name: str) -> None:
    found = hint(name, "Regional-2021-export.zip")
    assert found.labels and found.flux is None
