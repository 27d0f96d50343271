"""The marts reproduce the 2024 fiches (Vosges 88, Aube 10) — checked independently.

Every expected figure is recomputed here in plain pandas from the raw sample files
(data/sample/Regional-2024-*.zip), without dbt or the ingestion code, and compared to the
marts to the euro; the totals and shares are also compared to the figures printed in the
published fiches (shared/spec: M€ with one decimal, % of the région with one decimal, % of
France with two).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.settings import SAMPLE_DIR

pytestmark = pytest.mark.integration

YEAR = 2024
TOP_N = 10
HIGHLIGHT_N = 5
GRAND_EST = "13"
COLUMNS = ["flux", "quarter", "year", "departement", "region", "a129", "cpf4", "country", "value", "mass"]
FLOWS = {"E": "export", "I": "import"}

# Published in the two fiches (2024 data): M€, share of Grand Est (%), share of France (%).
PUBLISHED = {
    ("88", "export"): (2_906.7, 4.3, 0.50),
    ("88", "import"): (2_277.2, 3.6, 0.33),
    ("10", "export"): (1_822.3, 2.7, 0.31),
    ("10", "import"): (1_697.2, 2.7, 0.25),
}
PUBLISHED_FRANCE = {"export": 580_354.5, "import": 684_776.3}
PUBLISHED_GRAND_EST = {"export": 67_665.4, "import": 63_519.7}


# --- the independent recomputation ---------------------------------------------------------


def _read_zip(path: Path) -> pd.DataFrame:
    with zipfile.ZipFile(path) as archive:
        members = [name for name in archive.namelist() if name.lower().endswith(".txt")]
        assert len(members) == 1, f"{path.name}: expected one .txt member, found {members}"
        with archive.open(members[0]) as handle:
            frame = pd.read_csv(
                handle, sep=";", header=None, dtype=str, names=COLUMNS, encoding="utf-8", keep_default_na=False
            )
    return frame


@pytest.fixture(scope="module")
def raw_2024() -> pd.DataFrame:
    """The 2024 sample rows (the only vintage of 2024 in the sample), typed."""
    paths = sorted(SAMPLE_DIR.glob(f"Regional-{YEAR}-*.zip"))
    assert [p.name for p in paths] == [f"Regional-{YEAR}-export.zip", f"Regional-{YEAR}-import.zip"]
    frame = pd.concat([_read_zip(p) for p in paths], ignore_index=True)
    frame = frame[frame["year"] == str(YEAR)].copy()
    frame["flow"] = frame["flux"].map(FLOWS)
    frame["value"] = frame["value"].astype("int64")
    return frame


@pytest.fixture(scope="module")
def marts(sample_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        yield con


def _mart(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def _ranked(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Values by code, ranked by value descending then code ascending (the project's rule)."""
    totals = frame.groupby(code, as_index=False)["value"].sum()
    totals = totals[totals["value"] > 0]
    totals = totals.sort_values(["value", code], ascending=[False, True], kind="mergesort")
    totals["rank"] = range(1, len(totals) + 1)
    return totals.reset_index(drop=True)


# --- totals and shares ---------------------------------------------------------------------


@pytest.mark.parametrize("flow", ["export", "import"])
def test_france_and_grand_est_totals(raw_2024: pd.DataFrame, marts: duckdb.DuckDBPyConnection, flow: str) -> None:
    rows = raw_2024[raw_2024["flow"] == flow]
    france = int(rows["value"].sum())
    grand_est = int(rows.loc[rows["region"] == GRAND_EST, "value"].sum())
    got = _mart(
        marts,
        "select level, territory_code, territory_label, value_eur, share_of_france, quarters_covered, "
        "is_complete_year from marts.territory_totals where year = ? and flow = ? "
        "and ((level = 'france' and territory_code = 'FR') or (level = 'region' and territory_code = ?))",
        YEAR,
        flow,
        GRAND_EST,
    ).set_index("level")
    assert got.loc["france", "value_eur"] == france
    assert got.loc["region", "value_eur"] == grand_est
    assert got.loc["france", "territory_label"] == "France"
    assert got.loc["region", "territory_label"] == "Grand Est"
    assert got.loc["france", "share_of_france"] == 1.0
    assert got.loc["region", "share_of_france"] == pytest.approx(grand_est / france, rel=1e-12)
    assert (got["quarters_covered"] == 4).all() and got["is_complete_year"].all()
    assert round(france / 1e6, 1) == PUBLISHED_FRANCE[flow]
    assert round(grand_est / 1e6, 1) == PUBLISHED_GRAND_EST[flow]


@pytest.mark.parametrize(("departement", "flow"), sorted(PUBLISHED))
def test_departement_totals_and_shares(
    raw_2024: pd.DataFrame, marts: duckdb.DuckDBPyConnection, departement: str, flow: str
) -> None:
    rows = raw_2024[raw_2024["flow"] == flow]
    value = int(rows.loc[rows["departement"] == departement, "value"].sum())
    region = int(rows.loc[rows["region"] == GRAND_EST, "value"].sum())
    france = int(rows["value"].sum())

    got = _mart(
        marts,
        "select value_eur, share_of_region, share_of_france from marts.territory_totals "
        "where year = ? and level = 'departement' and territory_code = ? and flow = ?",
        YEAR,
        departement,
        flow,
    )
    assert len(got) == 1
    mart = got.iloc[0]
    assert mart["value_eur"] == value  # to the euro
    assert mart["share_of_region"] == pytest.approx(value / region, rel=1e-12)
    assert mart["share_of_france"] == pytest.approx(value / france, rel=1e-12)

    published_meur, published_region_pct, published_france_pct = PUBLISHED[(departement, flow)]
    assert round(mart["value_eur"] / 1e6, 1) == published_meur
    assert round(mart["share_of_region"] * 100, 1) == published_region_pct
    assert round(mart["share_of_france"] * 100, 2) == published_france_pct


# --- rankings, balance, flow links ---------------------------------------------------------


@pytest.mark.parametrize("departement", ["88", "10"])
@pytest.mark.parametrize("flow", ["export", "import"])
def test_product_activity_top_10_matches_pandas(
    raw_2024: pd.DataFrame, marts: duckdb.DuckDBPyConnection, departement: str, flow: str
) -> None:
    rows = raw_2024[(raw_2024["flow"] == flow) & (raw_2024["departement"] == departement)]
    expected = _ranked(rows, "a129")
    got = _mart(
        marts,
        "select product_code, product_label, value_eur, share_of_flow, rank from marts.product_activity "
        "where year = ? and level = 'departement' and territory_code = ? and flow = ? order by rank",
        YEAR,
        departement,
        flow,
    )
    assert len(got) == len(expected), "one row per product with trade"
    top = got.head(TOP_N)
    assert top["product_code"].tolist() == expected["a129"].head(TOP_N).tolist()
    assert top["value_eur"].tolist() == expected["value"].head(TOP_N).tolist()
    assert top["rank"].tolist() == list(range(1, TOP_N + 1))
    assert got["share_of_flow"].sum() == pytest.approx(1.0, abs=1e-9)
    assert top["product_label"].notna().all()


def test_vosges_partner_balance_is_the_union_of_top_10_partners(
    raw_2024: pd.DataFrame, marts: duckdb.DuckDBPyConnection
) -> None:
    rows = raw_2024[raw_2024["departement"] == "88"]
    exports = _ranked(rows[rows["flow"] == "export"], "country").set_index("country")
    imports = _ranked(rows[rows["flow"] == "import"], "country").set_index("country")
    union = set(exports.index[exports["rank"] <= TOP_N]) | set(imports.index[imports["rank"] <= TOP_N])
    got = _mart(
        marts,
        "select country_code, import_eur, export_eur, balance_eur from marts.partner_balance "
        "where year = ? and level = 'departement' and territory_code = '88'",
        YEAR,
    ).set_index("country_code")
    assert set(got.index) == union
    for country in union:
        export = int(exports["value"].get(country, 0))
        import_ = int(imports["value"].get(country, 0))
        assert (got.loc[country, "export_eur"], got.loc[country, "import_eur"]) == (export, import_)
        assert got.loc[country, "balance_eur"] == export - import_


def test_vosges_export_flow_links(raw_2024: pd.DataFrame, marts: duckdb.DuckDBPyConnection) -> None:
    rows = raw_2024[(raw_2024["flow"] == "export") & (raw_2024["departement"] == "88")].copy()
    top_products = set(_ranked(rows, "a129")["a129"].head(TOP_N))
    top_countries = set(_ranked(rows, "country")["country"].head(TOP_N))
    rows["product_node"] = rows["a129"].where(rows["a129"].isin(top_products), "AUTRES")
    rows["country_node"] = rows["country"].where(rows["country"].isin(top_countries), "AUTRES")
    cells = rows.groupby(["product_node", "country_node"], as_index=False)["value"].sum()
    cells = cells[cells["value"] > 0]
    named = cells[(cells["product_node"] != "AUTRES") & (cells["country_node"] != "AUTRES")]
    named = named.sort_values(
        ["value", "product_node", "country_node"], ascending=[False, True, True], kind="mergesort"
    )
    highlighted = set(named[["product_node", "country_node"]].head(HIGHLIGHT_N).itertuples(index=False, name=None))

    got = _mart(
        marts,
        "select product_code, country_code, value_eur, is_highlighted from marts.flow_links "
        "where year = ? and level = 'departement' and territory_code = '88' and flow = 'export'",
        YEAR,
    )
    assert got["product_code"].nunique() == TOP_N + 1
    assert got["country_code"].nunique() == TOP_N + 1
    assert int(got["is_highlighted"].sum()) == HIGHLIGHT_N
    assert int(got["value_eur"].sum()) == int(rows["value"].sum()) == 2_906_700_000
    expected_cells = {
        (p, c): int(v) for p, c, v in cells[["product_node", "country_node", "value"]].itertuples(index=False)
    }
    got_cells = {
        (p, c): int(v) for p, c, v in got[["product_code", "country_code", "value_eur"]].itertuples(index=False)
    }
    assert got_cells == expected_cells
    got_highlighted = set(
        got.loc[got["is_highlighted"], ["product_code", "country_code"]].itertuples(index=False, name=None)
    )
    assert got_highlighted == highlighted
