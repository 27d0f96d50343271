"""The published export set of the sample refresh: contract, manifest, dictionary, marts, fiches."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from orchestration.exports.contract import EXPORT_TABLES, MART_TABLES
from orchestration.runner import RunOutcome
from orchestration.sample.bundle import SAMPLE_YEARS
from orchestration.settings import Paths

pytestmark = pytest.mark.integration

ARROW_TYPES = {"integer": "int32", "bigint": "int64", "double": "double", "varchar": "string", "boolean": "bool"}
CODES = {"territory_code": str, "country_code": str, "product_code": str, "departement_code": str}


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, dtype=CODES, keep_default_na=False, na_values=[""], **kwargs)


@pytest.fixture(scope="module")
def exports(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    return sample_refresh[0].exports_dir


@pytest.fixture(scope="module")
def manifest(exports: Path) -> dict:
    return json.loads((exports / "manifest.json").read_text(encoding="utf-8"))


def test_files_honour_the_contract(exports: Path) -> None:
    for table in MART_TABLES:
        schema = pq.read_schema(exports / f"{table.name}.parquet")
        assert schema.names == list(table.column_names)
        assert [str(schema.field(c.name).type) for c in table.columns] == [ARROW_TYPES[c.type] for c in table.columns]
        raw = (exports / f"{table.name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8").splitlines()[0] == ",".join(table.column_names)
        frame = read_csv(exports / f"{table.name}.csv")
        assert not frame.duplicated(list(table.key)).any(), table.name
        assert {int(y) for y in frame["year"].unique()} == set(SAMPLE_YEARS)


def test_manifest_describes_the_set(exports: Path, manifest: dict, sample_refresh: tuple[Paths, RunOutcome]) -> None:
    assert manifest["contract_version"] == "1.1.0" and manifest["partial"] is False and manifest["filters"] is None
    assert manifest["csv_dialect"]["name"] == "standard"
    assert manifest["warehouse"] == str(sample_refresh[0].warehouse.resolve())
    assert manifest["dbt_vars"] == {"top_n": 10, "highlight_n": 5, "product_level": "a129"}
    assert manifest["periods_covered"]["export"]["2024"] == [1, 2, 3, 4]
    assert all(v["sha256"] and v["periods_used"] for v in manifest["source_vintages"])
    assert manifest["industry_territories"]["status"] == "absent"
    assert "liste-ti-com" in manifest["industry_territories"]["note"]
    assert not (exports / "industry_territories.csv").exists()
    assert {f["name"] for f in manifest["files"]} == {f"{t.name}.{x}" for t in MART_TABLES for x in ("csv", "parquet")}
    for entry in manifest["files"] + manifest["documentation"]:
        assert hashlib.sha256((exports / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    for entry in manifest["files"]:
        if entry["format"] == "csv":
            assert len(read_csv(exports / entry["name"])) == entry["rows"]
    dictionary = json.loads((exports / "dictionary.json").read_text(encoding="utf-8"))
    assert [t["name"] for t in dictionary["tables"]] == [t.name for t in EXPORT_TABLES]
    markdown = (exports / "DICTIONARY.md").read_text(encoding="utf-8")
    assert "quarters_covered" in markdown and "Balassa" in markdown and "Herfindahl" in markdown
    assert "CNUCED" in markdown and "UNCTAD" in markdown


def test_every_export_reconciles_with_its_mart(exports: Path, sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        for table in MART_TABLES:
            frame = read_csv(exports / f"{table.name}.csv")
            money = [c.name for c in table.columns if c.type == "bigint"]
            sums = ", ".join(f"sum({c})" for c in money)
            expected = con.execute(f"select count(*), {sums} from marts.{table.mart}").fetchone()
            assert (len(frame), *(int(frame[c].sum()) for c in money)) == expected, table.name


@pytest.mark.parametrize(
    ("code", "flow", "million_eur", "pct_region", "pct_france"),
    [
        ("88", "export", 2906.7, 4.3, 0.50),
        ("88", "import", 2277.2, 3.6, 0.33),
        ("10", "export", 1822.3, 2.7, 0.31),
        ("10", "import", 1697.2, 2.7, 0.25),
    ],
)
def test_2024_figures_reproduce_the_published_fiches(exports: Path, code, flow, million_eur, pct_region, pct_france):
    totals = read_csv(exports / "territory_totals.csv")
    row = totals.query("year == 2024 and level == 'departement' and territory_code == @code and flow == @flow")
    assert len(row) == 1
    row = row.iloc[0]
    assert round(row.value_eur / 1e6, 1) == million_eur
    assert round(row.share_of_region * 100, 1) == pct_region
    assert round(row.share_of_france * 100, 2) == pct_france
    assert bool(row.is_complete_year) and row.quarters_covered == 4
