"""industry_territories from ANCT's commune list: INSEE commune → INSEE département → DGDDI code."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.exports import industry
from orchestration.settings import SEEDS_DIR

PREVIEW = Path(__file__).resolve().parents[1] / "fixtures" / "anct" / "liste-ti-com2023-preview.csv"


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("create schema reference")
    crosswalk = str(SEEDS_DIR / "comex" / "departement_crosswalk.csv")
    connection.execute(
        f"create table reference.departement_crosswalk as select * from read_csv('{crosswalk}', all_varchar = true)"
    )
    yield connection
    connection.close()


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"select * from ({industry.query()}) order by all").fetchall()


def test_no_list_in_the_raw_folder_means_absent(con, tmp_path: Path) -> None:
    assert industry.find_source(tmp_path) is None
    assert industry.register(con, tmp_path) is None


def test_the_anct_preview_gives_one_row_per_departement_and_territory(con, tmp_path: Path) -> None:
    shutil.copy(PREVIEW, tmp_path / PREVIEW.name)
    source = industry.register(con, tmp_path)
    assert source is not None and source.communes == 23 and source.unmapped_communes == []
    assert _rows(con) == [
        ("01", "ti-8402", "Bassin de Bourg-en-Bresse", 10, True),
        ("01", "ti-8412", "Pays de Gex – Genevois – Terre Valserhône", 3, False),
        ("01", "ti-8413", "Plastics Vallée – Oyonnax", 9, True),
        ("01", "ti-8418", "Rumilly Usses et Rhône", 1, False),
    ]


def test_corsica_overseas_latin1_semicolons_and_unmapped_communes(con, tmp_path: Path) -> None:
    lines = ["insee_com;lib_com;id_ti;lib_ti"]
    lines += [f"2A{n:03d};Commune {n};ti-1;Ajaccio – Sud" for n in range(1, 4)]
    lines += [f"2B{n:03d};Commune {n};ti-1;Ajaccio – Sud" for n in range(1, 3)]
    lines += [f"971{n:02d};Commune {n};ti-2;Guadeloupe Îles" for n in range(1, 6)]
    lines += ["97501;Saint-Pierre;ti-3;Hors DGDDI", "1010;Anglefort;ti-4;Rumilly"]
    (tmp_path / "liste-ti-com2023-20240704.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    source = industry.register(con, tmp_path)
    assert source is not None and source.encoding == "cp1252"
    assert source.unmapped_communes == ["97501"]
    assert _rows(con) == [
        ("01", "ti-4", "Rumilly", 1, False),
        ("20", "ti-1", "Ajaccio – Sud", 5, True),
        ("9A", "ti-2", "Guadeloupe Îles", 5, True),
    ]


def test_a_file_without_the_anct_columns_is_refused(con, tmp_path: Path) -> None:
    (tmp_path / "liste-ti-com-bad.csv").write_text("code,name\n01010,Anglefort\n", encoding="utf-8")
    with pytest.raises(industry.IndustryTerritoriesError, match="missing column"):
        industry.register(con, tmp_path)
