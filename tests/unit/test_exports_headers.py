"""CSV header languages: the contract's column names (en, the default) or its French headers (fr)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from orchestration.cli import app
from orchestration.exports.contract import CONTRACT, EXPORT_TABLES
from orchestration.exports.dialects import FRENCH, STANDARD, CsvDialect
from orchestration.exports.exporter import ExportOptions
from orchestration.exports.headers import header_language, header_names, render_readme
from orchestration.exports.writer import select_sql, write_table

TOTALS = CONTRACT.table("territory_totals")
ROWS = """
    (2024, 'departement', '88', 'Vosges', 'export', 2906700000, 0.0431, 0.005, 4, true),
    (2024, 'departement', '01', 'Ain', 'import', 12, 0.5, 0.25, 3, false)
"""


def test_english_headers_are_the_column_names_and_french_ones_the_contracts_in_order() -> None:
    for table in EXPORT_TABLES:
        assert header_names(table, "en") == table.column_names
        french = header_names(table, "fr")
        assert french == tuple(CONTRACT.headers_fr[name] for name in table.column_names)
        assert len(set(french)) == len(french), table.name  # a reader must not get two columns named alike
    assert header_names(TOTALS, "fr")[:3] == ("Année", "Niveau", "Code territoire")


def test_an_unknown_header_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown header language 'de'"):
        header_language("de")
    with pytest.raises(ValueError, match="en, fr"):
        ExportOptions(headers="de")
    assert ExportOptions().headers == "en"


def test_default_select_is_unquoted_and_french_differs_only_by_its_aliases() -> None:
    for table in EXPORT_TABLES:
        if not table.mart:
            continue
        english, french = select_sql(table), select_sql(table, language="fr")
        assert '"' not in english
        for name, header in zip(table.column_names, header_names(table, "fr"), strict=True):
            french = french.replace(f' as "{header}"', f" as {name}").replace(f'"{header}"', name)
        assert french == english


def _write(tmp_path: Path, dialect: CsvDialect, language: str) -> bytes:
    with duckdb.connect() as con:
        columns = ", ".join(f"{c.name} {c.type}" for c in TOTALS.columns)
        con.execute(f"create schema marts; create table marts.territory_totals ({columns})")
        con.execute(f"insert into marts.territory_totals values {ROWS}")
        [csv] = write_table(con, TOTALS, tmp_path / language, dialect=dialect, parquet=False, language=language)
    assert csv.headers == language and csv.record()["headers"] == language and csv.rows == 2
    return csv.path.read_bytes()


@pytest.mark.parametrize("dialect", [STANDARD, FRENCH], ids=lambda d: d.name)
def test_french_headers_change_the_header_line_only(tmp_path: Path, dialect: CsvDialect) -> None:
    english = _write(tmp_path, dialect, "en").decode(dialect.encoding).splitlines()
    french = _write(tmp_path, dialect, "fr").decode(dialect.encoding).splitlines()
    assert english[0] == dialect.delimiter.join(TOTALS.column_names)
    assert french[0] == dialect.delimiter.join(header_names(TOTALS, "fr"))
    assert french[1:] == english[1:]  # same rows, same order, values as the dialect writes them
    assert english[1].startswith("2024" + dialect.delimiter + "departement" + dialect.delimiter + "01")


def test_parquet_records_carry_no_header_language(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        columns = ", ".join(f"{c.name} {c.type}" for c in TOTALS.columns)
        con.execute(f"create schema marts; create table marts.territory_totals ({columns})")
        csv, parquet = write_table(con, TOTALS, tmp_path)
    assert csv.record()["headers"] == "en" and "headers" not in parquet.record()


def test_readme_says_the_header_language_and_maps_every_header() -> None:
    readme = render_readme([TOTALS], FRENCH)
    assert readme.startswith("# En-têtes français")
    assert "en-têtes `fr`" in readme and "Header language: French" in readme
    assert "séparateur `;`, virgule décimale, UTF-8 avec BOM" in readme
    assert "| Valeur (€) | `value_eur` |" in readme and "| Part de la région | `share_of_region` |" in readme


def test_cli_help_shows_the_headers_option() -> None:
    result = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--headers" in result.output and "French headers" in result.output
