"""Each validation rule, fed one bad row: the row is quarantined with its line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ingest, query, row, write_txt

CASES = [
    ("E;1;2024;88;13;C20A;2011;DE;1000", "expected 10 fields, found 9"),
    ("E;1;2024;88;13;C20A;2011;DE;1000;20;x", "expected 10 fields, found 11"),
    ("", "empty line"),
    (row(flux="X"), "flux 'X' is not E or I"),
    (row(flux="I"), "flux 'I' in a file of flux 'E'"),
    (row(trimestre="5"), "quarter '5' is not 1-4"),
    (row(trimestre="01"), "quarter '01' is not 1-4"),
    (row(annee="1890"), "year '1890' is not plausible"),
    (row(annee="20x4"), "year '20x4' is not plausible"),
    (row(dep="2A"), "unknown département '2A'"),
    (row(reg="44"), "région '44' does not match département '88' (expected '13')"),
    (row(a129="Z99Z"), "unknown A129 code 'Z99Z'"),
    (row(cpf4="9999"), "unknown CPF4 code '9999'"),
    (row(pays="ZZ"), "unknown country code 'ZZ'"),
    (row(pays="QV"), "country code 'QV' not valid in 2024Q1"),  # QV ended 2011-12
    (row(a129="A01Z"), "CPF4 '2011' belongs to A129 'C20A', not 'A01Z'"),
    (row(valeur="-5"), "value '-5' is not a non-negative integer"),
    (row(valeur="12.5"), "value '12.5' is not a non-negative integer"),
    (row(masse="abc"), "mass 'abc' is not a non-negative integer"),
]


@pytest.mark.parametrize(("bad_line", "reason"), CASES, ids=[c[1] for c in CASES])
def test_bad_row_is_quarantined_with_line_and_reason(tmp_path: Path, bad_line: str, reason: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "Region_2024_Export.txt", [row(), row(pays="BE"), bad_line, row(pays="IT")])
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert (report.rows, report.rejected) == (3, 1)
    [(file_name, line_number, stored_reason, raw_line)] = query(
        db, "select file_name, line_number, reason, raw_line from raw.rejected_rows"
    )
    assert (file_name, line_number, raw_line) == ("Region_2024_Export.txt", 3, bad_line)
    assert reason in stored_reason
    kept = query(db, "select line_number from raw.customs_flows order by 1")
    assert kept == [(1,), (2,), (4,)]


def test_every_broken_rule_is_listed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "x.txt", [row(), row(dep="00", valeur="-1", pays="ZZ")])
    ingest(raw, tmp_path / "w.duckdb")
    [(reason,)] = query(tmp_path / "w.duckdb", "select reason from raw.rejected_rows")
    assert reason == ("unknown département '00'; unknown country code 'ZZ'; value '-1' is not a non-negative integer")


def test_codes_are_checked_against_their_validity_dates(tmp_path: Path) -> None:
    """XK (Kosovo since 2005) and QU (listed twice) are valid in 2024; CPF rév. 2.1 starts in 2015."""
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "x.txt", [row(pays="XK"), row(pays="QU"), row(annee="2014")])
    ingest(raw, tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "select code_pays from raw.customs_flows order by 1") == [("QU",), ("XK",)]
    assert query(tmp_path / "w.duckdb", "select reason from raw.rejected_rows") == [
        ("CPF4 code '2011' not valid in 2014Q1",)
    ]
