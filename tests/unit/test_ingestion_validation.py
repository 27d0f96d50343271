"""Each reading rule, fed one bad row: the row is quarantined with its line, reason and euros.

Only a row that cannot be read is rejected; a well-formed row with a code in no label list is
data, and is kept with its euros.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ingest, query, row, write_txt

CASES = [
    ("E;1;2024;88;13;C20A;2011;DE;1000", "expected 10 fields, found 9"),
    ("E;1;2024;88;13;C20A;2011;DE;1000;20;x", "expected 10 fields, found 11"),
    ("", "empty line"),
    (row(flux="X"), "flux 'X' is not E or I"),
    (row(trimestre="5"), "quarter '5' is not 1-4"),
    (row(trimestre="01"), "quarter '01' is not 1-4"),
    (row(annee="1890"), "year '1890' is not plausible"),
    (row(annee="2999"), "year '2999' is not plausible"),
    (row(annee="20x4"), "year '20x4' is not plausible"),
    (row(dep=""), "département code is empty"),
    (row(pays="D E"), "country code 'D E' is not a code"),
    (row(cpf4="20.11"), "CPF4 code '20.11' is not a code"),
    (row(valeur="-5"), "value '-5' is not a non-negative integer"),
    (row(valeur="12.5"), "value '12.5' is not a non-negative integer"),
    (row(masse="abc"), "mass 'abc' is not a non-negative integer"),
]

#: Each vintage's lines and euros per flow and quarter: read, kept, rejected.
RECONCILIATION = (
    "select flux, annee, trimestre, line_count, value_eur, kept_rows, kept_eur, rejected_rows, rejected_eur "
    "from raw.vintage_reconciliation order by trimestre nulls last"
)


@pytest.mark.parametrize(("bad_line", "reason"), CASES, ids=[c[1] for c in CASES])
def test_unreadable_row_is_quarantined_with_line_and_reason(tmp_path: Path, bad_line: str, reason: str) -> None:
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


@pytest.mark.parametrize(
    "changes",
    [
        {"dep": "2A"},  # INSEE's Corsica code: DGDDI writes 20
        {"reg": "44"},  # INSEE's Grand Est: the row's région disagrees with the département's
        {"a129": "C33Z"},  # not in DGDDI's 76 goods codes
        {"cpf4": "9999"},
        {"pays": "ZZ"},
        {"pays": "QV"},  # ended in 2011: outside its validity, still data
        {"a129": "A01Z"},  # CPF4 2011 belongs to C20A
    ],
    ids=lambda changes: "-".join(f"{k}={v}" for k, v in changes.items()),
)
def test_well_formed_rows_with_unknown_codes_are_kept_with_their_euros(tmp_path: Path, changes: dict) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "Region_2024_Export.txt", [row(), row(valeur="777", **changes)])
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert (report.rows, report.rejected) == (2, 0)
    assert query(db, "select sum(valeur) from raw.customs_flows") == [(1777,)]
    [(kind, code)] = [(k, v) for k, v in changes.items()]
    column = {"dep": "departement", "reg": "departement", "a129": "a129", "cpf4": "cpf4", "pays": "pays"}[kind]
    codes = query(db, f"select code, parent_code, value_eur from raw.vintage_codes where kind = '{column}'")
    if kind == "reg":
        assert ("88", "44", 777) in codes
    else:
        assert any(c[0] == code and c[2] == 777 for c in codes)


def test_every_broken_rule_is_listed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "x.txt", [row(), row(trimestre="0", valeur="-1", pays="")])
    ingest(raw, tmp_path / "w.duckdb")
    [(reason,)] = query(tmp_path / "w.duckdb", "select reason from raw.rejected_rows")
    assert reason == ("quarter '0' is not 1-4; country code is empty; value '-1' is not a non-negative integer")


def test_every_euro_of_a_file_is_kept_or_rejected_per_flow_and_quarter(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [
        row(valeur="100"),
        row(valeur="200", pays="ZZ"),  # unknown code: kept
        row(valeur="40", masse="x"),  # unreadable mass: rejected, its euros counted as rejected
        row(trimestre="2", valeur="8"),
        row(trimestre="9", valeur="5"),  # no readable quarter: its own line of the reconciliation
        row(valeur="abc"),  # no readable value: a line without euros
    ]
    write_txt(raw / "x.txt", lines)
    db = tmp_path / "w.duckdb"
    ingest(raw, db)
    assert query(db, RECONCILIATION) == [
        ("E", 2024, 1, 4, 340, 2, 300, 2, 40),
        ("E", 2024, 2, 1, 8, 1, 8, 0, 0),
        (None, None, None, 1, 5, 0, 0, 1, 5),
    ]
    assert query(db, "select value_eur, kept_eur, rejected_eur from raw.vintages") == [(353, 308, 45)]


def test_a_file_whose_every_line_is_kept_reconciles_its_lines_and_euros_per_quarter(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    quarters = ["1", "1", "2", "4", "4", "4"]
    values = ["100", "0", "8", "5", "70", "123456789012345678"]
    write_txt(
        raw / "Region_2024_Export.txt",
        [row(trimestre=q, valeur=v, pays=f"P{i}") for i, (q, v) in enumerate(zip(quarters, values, strict=True))],
    )
    db = tmp_path / "w.duckdb"
    report = ingest(raw, db)
    assert (report.rows, report.rejected) == (6, 0)
    assert query(db, RECONCILIATION) == [
        ("E", 2024, 1, 2, 100, 2, 100, 0, 0),
        ("E", 2024, 2, 1, 8, 1, 8, 0, 0),
        ("E", 2024, 4, 3, 123456789012345753, 3, 123456789012345753, 0, 0),
    ]
    assert query(db, "select value_eur, kept_eur, rejected_eur from raw.vintages") == [
        (123456789012345861, 123456789012345861, 0)
    ]


def test_duplicated_lines_are_counted(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "x.txt", [row(), row(pays="BE"), row(pays="IT"), row(pays="BE")])
    db = tmp_path / "w.duckdb"
    ingest(raw, db)
    assert query(db, "select duplicate_lines, kept_eur from raw.vintages") == [(1, 4000)]
