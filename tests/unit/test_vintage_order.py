"""Which vintage of a quarter counts: the one DGDDI published last, whatever the order files arrive in.

A vintage's date is the timestamp of its data member in the archive; a bare text file has none
and is placed by where its coverage ends; equal dates go by coverage end, then arrival.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import annual_package, ingest, last_publication_package, query, row, rows_bytes, write_txt

CURRENT = """
select flux, annee, trimestre, arg_max(v.file_name || coalesce(' ' || v.member_name, ''), v.publication_order)
from raw.vintage_periods as p join raw.vintages as v using (vintage_id)
group by all order by all
"""


def _rows(flux: str, quarters: list[tuple[int, int]], value: int) -> list[str]:
    return [row(flux=flux, annee=str(y), trimestre=str(q), valeur=str(value)) for y, q in quarters]


LP_QUARTERS = [(2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def _current_values(db: Path) -> dict[tuple[int, int], int]:
    rows = query(
        db,
        """
        with current as (
            select flux, annee, trimestre, arg_max(vintage_id, publication_order) as vintage_id
            from raw.vintage_periods join raw.vintages using (vintage_id) group by all
        )
        select annee, trimestre, sum(valeur)
        from raw.customs_flows join current using (vintage_id, flux, annee, trimestre)
        where flux = 'E' group by all
        """,
    )
    return {(y, q): v for y, q, v in rows}


def test_an_annual_file_dropped_after_the_last_publications_that_revised_it_does_not_win(
    raw: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    last_publication_package(raw, _rows("E", LP_QUARTERS, 200), [], when=(2025, 9, 5, 9, 0, 0))
    ingest(raw, db)
    annual_package(raw, 2024, "export", _rows("E", [(2024, q) for q in (1, 2, 3, 4)], 100), when=(2025, 3, 1, 0, 0, 0))
    ingest(raw, db)
    values = _current_values(db)
    assert values[(2024, 1)] == 100  # only the annual file has it
    assert [values[q] for q in LP_QUARTERS] == [200] * 5


def test_a_definitive_annual_file_published_after_the_last_publications_replaces_them(
    raw: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    last_publication_package(raw, _rows("E", LP_QUARTERS, 200), [], when=(2025, 9, 5, 9, 0, 0))
    ingest(raw, db)
    annual_package(raw, 2024, "export", _rows("E", [(2024, q) for q in (1, 2, 3, 4)], 300), when=(2025, 11, 1, 0, 0, 0))
    ingest(raw, db)
    values = _current_values(db)
    assert [values[(2024, q)] for q in (1, 2, 3, 4)] == [300] * 4
    assert [values[(2025, q)] for q in (1, 2)] == [200, 200]


def test_last_months_last_publication_downloaded_again_never_reverts_this_months(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    older = raw / "older"
    older.mkdir()
    last_publication_package(older, _rows("E", LP_QUARTERS, 200), [], when=(2025, 8, 5, 9, 0, 0), name="a.zip")
    ingest(raw, db)
    (older / "a.zip").rename(tmp_path / "a.zip")
    last_publication_package(raw, _rows("E", LP_QUARTERS, 250), [], when=(2025, 9, 5, 9, 0, 0), name="b.zip")
    ingest(raw, db)
    assert [_current_values(db)[q] for q in LP_QUARTERS] == [250] * 5
    # the same older file again (known content, another name), and an older one never seen
    (tmp_path / "a.zip").rename(raw / "again.zip")
    last_publication_package(raw, _rows("E", LP_QUARTERS, 150), [], when=(2025, 7, 5, 9, 0, 0), name="c.zip")
    report = ingest(raw, db)
    assert len(report.ingested) == 1 and "again.zip" in report.unchanged
    assert [_current_values(db)[q] for q in LP_QUARTERS] == [250] * 5


def test_bare_text_files_are_ordered_by_where_their_coverage_ends_then_by_arrival(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    write_txt(raw / "REGIONAL_CPF4PAYSE.txt", _rows("E", LP_QUARTERS, 200))
    ingest(raw, db)
    (raw / "REGIONAL_CPF4PAYSE.txt").unlink()
    write_txt(raw / "Region_2024_Export.txt", _rows("E", [(2024, q) for q in (1, 2, 3, 4)], 100))
    ingest(raw, db)  # arrives later, but its coverage ends earlier
    assert [_current_values(db)[q] for q in LP_QUARTERS] == [200] * 5
    write_txt(raw / "later.txt", _rows("E", LP_QUARTERS, 500))  # same coverage end: arrival decides
    ingest(raw, db)
    assert [_current_values(db)[q] for q in LP_QUARTERS] == [500] * 5


def test_a_bare_file_covering_later_quarters_wins_over_an_older_dated_archive(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    annual_package(raw, 2024, "export", _rows("E", [(2024, q) for q in (1, 2, 3, 4)], 100), when=(2025, 3, 1, 0, 0, 0))
    ingest(raw, db)
    (raw / "REGIONAL_CPF4PAYSE.txt").write_bytes(rows_bytes(_rows("E", LP_QUARTERS, 200)))
    ingest(raw, db)
    assert query(db, "select file_name, publication_order from raw.vintages order by publication_order") == [
        ("Regional-2024-export.zip", 1),
        ("REGIONAL_CPF4PAYSE.txt", 2),
    ]
    assert _current_values(db)[(2024, 4)] == 200
