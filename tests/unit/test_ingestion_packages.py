"""DGDDI's real packages, built from DGDDI's own files: data, label lists, PDF and LISEZ-MOI together.

Each piece is read by content: data becomes a vintage, label lists are stored with their
publication date, the rest is listed and ignored. A copy of known data (re-zipped, extracted)
is the same vintage.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.helpers import (
    DGDDI_FIXTURES,
    annual_package,
    ingest,
    last_publication_package,
    query,
    row,
    rows_bytes,
    write_package,
)

EXPORTS = [row(trimestre=str(q), pays=p) for q in (1, 2, 3, 4) for p in ("DE", "BE")]
IMPORTS = [row(flux="I", trimestre=str(q), pays=p) for q in (1, 2, 3, 4) for p in ("CN", "US")]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def test_an_annual_zip_with_its_folder_label_files_and_pdf(raw: Path, tmp_path: Path) -> None:
    annual_package(raw, 2024, "export", EXPORTS)
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert [(v.file_name, v.rows, v.rejected) for v in report.ingested] == [
        ("Regional-2024-export.zip (Regional-2024-export/Region_2024_Export.txt)", 8, 0)
    ]
    assert query(db, "select packaging, published_at from raw.vintages") == [
        ("annual", __import__("datetime").datetime(2025, 6, 5, 9, 0))
    ]
    assert query(db, "select kind, row_count, header_lines from raw.label_files order by kind") == [
        ("a129", 76, 0),
        ("cpf4", 576, 0),
        ("departements", 101, 0),
        ("pays", 289, 0),
    ]
    assert query(db, "select kind, detail from raw.file_members order by kind, detail") == [
        ("data", "regional rows"),
        ("labels", "a129"),
        ("labels", "cpf4"),
        ("labels", "departements"),
        ("labels", "pays"),
        ("other", "documentation"),  # the PDF
    ]
    assert query(db, "select label from raw.labels where kind = 'cpf4' and code = '0147'") == [
        ("Volailles vivantes et œufs",)  # Windows-1252 in the package
    ]
    assert query(db, "select label from raw.labels where kind = 'a129' and code = 'C26G'") == [
        ("Matériels optique et photographique ; supports magnétiques et optiques",)  # quoted, with a ';'
    ]


def test_a_last_publication_zip_with_both_flows_and_the_label_files(raw: Path, tmp_path: Path) -> None:
    last_publication_package(raw, EXPORTS, IMPORTS)
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert sorted((v.file_name, v.periods[0]) for v in report.ingested) == [
        ("REGIONAL_CPF4PAYS.zip (REGIONAL_CPF4PAYSE.txt)", "E 2024Q1"),
        ("REGIONAL_CPF4PAYS.zip (REGIONAL_CPF4PAYSI.txt)", "I 2024Q1"),
    ]
    assert query(db, "select distinct packaging from raw.vintages") == [("last_publication",)]
    assert sorted(report.other) == [
        "REGIONAL_CPF4PAYS.zip (Description-des-jeux-de-donnees.pdf): documentation",
        "REGIONAL_CPF4PAYS.zip (LISEZ-MOI.txt): documentation",
    ]
    assert len(report.labels) == 4


def test_label_lists_with_a_header_line_and_in_windows_1252(raw: Path, tmp_path: Path) -> None:
    cpf4 = (DGDDI_FIXTURES / "Libelle_CPF4_rev2.1.txt").read_bytes()
    assert b"\x9c" in cpf4  # "œ" in Windows-1252: not Latin-1, not UTF-8
    header = "Code;Libellé;Début;Fin\r\n".encode("cp1252")
    write_package(
        raw / "Regional-2021-export.zip",
        {
            "Regional-2021-export/Region_2021_Export.txt": rows_bytes([row(annee="2021")]),
            "Regional-2021-export/Libelle_CPF4_rev2.1_2.txt": header + cpf4,
        },
    )
    db = tmp_path / "w.duckdb"
    ingest(raw, db)
    assert query(db, "select kind, header_lines, encoding, row_count from raw.label_files") == [
        ("cpf4", 1, "cp1252", 576)
    ]
    labels = [label for (label,) in query(db, "select label from raw.labels")]
    assert any("œ" in label for label in labels)
    assert not any("Libellé" in label for label in labels)


def test_lisez_moi_and_loose_label_files_in_the_drop_zone_are_not_data(raw: Path, tmp_path: Path) -> None:
    for name in ("LISEZ-MOI.txt", "Libelle_PAYS.txt"):
        shutil.copy(DGDDI_FIXTURES / name, raw / name)
    (raw / "REGIONAL_CPF4PAYSE.txt").write_bytes(rows_bytes(EXPORTS))
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert [v.file_name for v in report.ingested] == ["REGIONAL_CPF4PAYSE.txt"]
    assert report.other == ["LISEZ-MOI.txt: documentation"]
    assert report.labels == ["Libelle_PAYS.txt: pays, 289 codes"]
    assert query(db, "select published_at from raw.label_files") == [(None,)]


def test_a_package_unzipped_into_the_drop_zone(raw: Path, tmp_path: Path) -> None:
    package = annual_package(tmp_path, 2024, "import", IMPORTS)
    with zipfile.ZipFile(package) as zf:
        zf.extractall(raw)
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert [v.file_name for v in report.ingested] == ["Regional-2024-import/Region_2024_Import.txt"]
    assert query(db, "select packaging, published_at from raw.vintages") == [("annual", None)]
    assert len(report.labels) == 4


def test_a_rezipped_or_extracted_copy_is_the_same_vintage(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    original = annual_package(raw, 2024, "export", EXPORTS)
    ingest(raw, db)
    copies = tmp_path / "copies"
    with zipfile.ZipFile(original) as zf:
        zf.extractall(copies)
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    write_package(raw / "Regional-2024-export (1).zip", members, when=(2026, 1, 1, 0, 0, 0))  # re-zipped later
    shutil.copy(copies / "Regional-2024-export" / "Region_2024_Export.txt", raw / "Region_2024_Export.txt")
    report = ingest(raw, db)
    assert report.ingested == [] and report.labels == []
    assert sorted(report.known_content) == [
        "Region_2024_Export.txt",
        "Regional-2024-export (1).zip (Regional-2024-export/Region_2024_Export.txt)",
    ]
    assert query(db, "select count(*) from raw.vintages") == [(1,)]
    assert query(db, "select count(*) from raw.received_files") == [(3,)]
