"""The four indicator exports of contract 1.1.0 equal a recomputation in plain pandas.

Every expected row is recomputed here from the raw DGDDI files of the unattended scenario
(annual zips 2019–2024, then the last publication 2024Q2–2025Q2 revising 2024), without dbt,
the ingestion code or DuckDB: the rows of the newest file covering a (flow, year, quarter)
count. The Parquet exports must hold the same keys, euros equal to the euro, fractions and
rates equal to a relative 1e-9, and nulls where the recomputation has them; the CSV exports
must hold the same rows as the Parquet ones.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pytest

from orchestration.settings import REPO_ROOT
from tests.integration.conftest import ANNUAL_YEARS, Scenario

pytestmark = pytest.mark.integration

COLUMNS = ["flux", "quarter", "year", "departement", "region", "a129", "cpf4", "country", "value", "mass"]
FLOWS = {"E": "export", "I": "import"}
COUNTRY_GROUPS = REPO_ROOT / "seeds" / "comex" / "country_groups.csv"
LAST_PUBLICATION = ("REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSI.txt")
REL_TOL = 1e-9
ABS_TOL = 1e-12

TERRITORY = ["level", "territory_code"]
QUARTER_KEY = ["year", "quarter", *TERRITORY, "flow"]
YEAR_KEY = ["year", *TERRITORY, "flow"]
PRODUCT_KEY = [*YEAR_KEY, "product_code"]


# --- the raw rows, newest file first ---------------------------------------------------------


def _read_rows(handle: IO[bytes]) -> pd.DataFrame:
    """DGDDI rows: no header, ';'-separated, every field a string ('NA' is Namibia)."""
    return pd.read_csv(handle, sep=";", header=None, names=COLUMNS, dtype=str, keep_default_na=False)


def _read_file(path: Path) -> pd.DataFrame:
    if path.suffix == ".txt":
        with path.open("rb") as handle:
            return _read_rows(handle)
    with zipfile.ZipFile(path) as archive:
        [member] = [name for name in archive.namelist() if name.lower().endswith(".txt")]
        with archive.open(member) as handle:
            return _read_rows(handle)


def _files_in_publication_order(raw_dir: Path) -> list[Path]:
    """The annual zips by year, then the last publication (written last, it supersedes them)."""
    annual = [raw_dir / f"Regional-{year}-{flow}.zip" for year in ANNUAL_YEARS for flow in ("export", "import")]
    return [*annual, *(raw_dir / name for name in LAST_PUBLICATION)]


def current_rows(raw_dir: Path) -> pd.DataFrame:
    """Rows of the newest file carrying each (flux, year, quarter), typed, with their flow name."""
    frames = [_read_file(path).assign(order=order) for order, path in enumerate(_files_in_publication_order(raw_dir))]
    rows = pd.concat(frames, ignore_index=True)
    period = ["flux", "year", "quarter"]
    rows = rows[rows["order"] == rows.groupby(period)["order"].transform("max")].copy()
    rows["flow"] = rows["flux"].map(FLOWS)
    assert rows["flow"].notna().all(), "a row whose flux is neither E nor I"
    for column in ("year", "quarter", "value", "mass"):
        rows[column] = rows[column].astype("int64")
    return rows.drop(columns=["order", "flux"])


def stacked(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows once per territory level: département, région (its code in the row), France ('FR')."""
    return pd.concat(
        [
            rows.assign(level="departement", territory_code=rows["departement"]),
            rows.assign(level="region", territory_code=rows["region"]),
            rows.assign(level="france", territory_code="FR"),
        ],
        ignore_index=True,
    )


# --- arithmetic with nulls -------------------------------------------------------------------


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as floats; null when the denominator is 0 or null."""
    denominator = denominator.astype("float64")
    return numerator.astype("float64") / denominator.where(denominator != 0)


# --- the expected tables ---------------------------------------------------------------------


def expected_quarterly_totals(levels: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    quarterly = levels.groupby(QUARTER_KEY, as_index=False)["value"].sum().rename(columns={"value": "value_eur"})
    period = ["year", "quarter", "flow"]

    france = quarterly.loc[quarterly["level"] == "france", [*period, "value_eur"]]
    quarterly = quarterly.merge(france.rename(columns={"value_eur": "france_eur"}), on=period, how="left")

    region_of = rows[["departement", "region"]].drop_duplicates()
    assert region_of["departement"].is_unique, "a département under two régions"
    departements = quarterly[quarterly["level"] == "departement"].merge(
        region_of, left_on="territory_code", right_on="departement"
    )
    region_totals = departements.groupby([*period, "region"])["value_eur"].transform("sum")
    departements = departements.assign(region_eur=region_totals)[[*QUARTER_KEY, "region_eur"]]
    quarterly = quarterly.merge(departements, on=QUARTER_KEY, how="left")

    previous = quarterly[[*QUARTER_KEY, "value_eur"]].assign(year=lambda f: f["year"] + 1)
    quarterly = quarterly.merge(previous.rename(columns={"value_eur": "previous_eur"}), on=QUARTER_KEY, how="left")

    return quarterly.assign(
        share_of_region=_ratio(quarterly["value_eur"], quarterly["region_eur"]),
        share_of_france=_ratio(quarterly["value_eur"], quarterly["france_eur"]),
        growth_yoy=_ratio(quarterly["value_eur"], quarterly["previous_eur"]) - 1,
    )


def _earlier_values(quarterly: pd.DataFrame, covered: pd.DataFrame, lag: int) -> pd.DataFrame:
    """Per (year, territory, flow): the sum over the same quarters `lag` years earlier; null when that
    year lacks one of them, 0 when it has them all but the territory no trade then."""
    shifted = quarterly.assign(year=quarterly["year"] + lag)
    values = shifted.merge(covered, on=["year", "quarter", "flow"]).groupby(YEAR_KEY)["value_eur"].sum()
    earlier_covered = covered.assign(year=covered["year"] + lag)
    found = covered.merge(earlier_covered, on=["year", "quarter", "flow"], how="left", indicator=True)
    comparable = (found["_merge"] == "both").groupby([found["year"], found["flow"]]).all()

    yearly = quarterly[YEAR_KEY].drop_duplicates()
    yearly = yearly.merge(values.rename("earlier").reset_index(), on=YEAR_KEY, how="left")
    yearly = yearly.merge(comparable.rename("comparable").reset_index(), on=["year", "flow"], how="left")
    earlier = yearly["earlier"].fillna(0).where(yearly["comparable"])
    return yearly[YEAR_KEY].assign(earlier=earlier.astype("Int64"))


def expected_trends(quarterly: pd.DataFrame) -> pd.DataFrame:
    covered = quarterly.loc[quarterly["level"] == "france", ["year", "quarter", "flow"]].drop_duplicates()
    coverage = covered.groupby(["year", "flow"]).size().rename("quarters_covered").reset_index()
    trends = quarterly.groupby(YEAR_KEY, as_index=False)["value_eur"].sum().merge(coverage, on=["year", "flow"])
    prior = _earlier_values(quarterly, covered, 1).rename(columns={"earlier": "prior_year_value_eur"})
    five = _earlier_values(quarterly, covered, 5).rename(columns={"earlier": "value_eur_5y_earlier"})
    trends = trends.merge(prior, on=YEAR_KEY).merge(five, on=YEAR_KEY)

    value = trends["value_eur"].astype("float64")
    v5 = trends["value_eur_5y_earlier"].astype("float64")
    both_positive = (value > 0) & (v5 > 0)
    return trends.assign(
        growth_1y=_ratio(trends["value_eur"], trends["prior_year_value_eur"]) - 1,
        cagr_5y=((value / v5.where(both_positive)) ** (1 / 5) - 1).astype("float64"),
    )


def _concentration(levels: pd.DataFrame, code: str) -> pd.DataFrame:
    """Per (year, territory, flow) and `code` with trade (value > 0): its value, its share of the
    flow total, and its rank (value descending, then code)."""
    totals = levels.groupby(YEAR_KEY)["value"].sum().rename("total").reset_index()
    cells = levels.groupby([*YEAR_KEY, code], as_index=False)["value"].sum()
    cells = cells[cells["value"] > 0].merge(totals, on=YEAR_KEY)
    cells["share"] = _ratio(cells["value"], cells["total"])
    cells = cells.sort_values([*YEAR_KEY, "value", code], ascending=[True] * 4 + [False, True], kind="mergesort")
    cells["rank"] = cells.groupby(YEAR_KEY).cumcount() + 1
    return cells


def _country_groups() -> pd.DataFrame:
    groups = pd.read_csv(COUNTRY_GROUPS, dtype=str, keep_default_na=False)
    assert set(groups["is_eu27"]) | set(groups["is_geographic"]) <= {"true", "false"}
    is_eu27 = groups["is_eu27"] == "true"
    return pd.DataFrame(
        {
            "country": groups["country_code"],
            "is_eu27": is_eu27,
            "is_extra": (groups["is_geographic"] == "true") & ~is_eu27,
        }
    )


def expected_exposure(levels: pd.DataFrame) -> pd.DataFrame:
    partners = _concentration(levels, "country").merge(_country_groups(), on="country", how="left")
    partners[["is_eu27", "is_extra"]] = partners[["is_eu27", "is_extra"]].fillna(False).astype(bool)
    share = partners["share"]
    partners = partners.assign(
        square=share**2,
        top3=share.where(partners["rank"] <= 3, 0.0),
        eu27=share.where(partners["is_eu27"], 0.0),
        extra=share.where(partners["is_extra"], 0.0),
        us=share.where(partners["country"] == "US", 0.0),
        cn=share.where(partners["country"] == "CN", 0.0),
    )
    by_territory = partners.groupby(YEAR_KEY)
    exposure = by_territory.agg(
        partner_count=("country", "size"),
        partner_hhi=("square", "sum"),
        top3_partners_share=("top3", "sum"),
        eu27_share=("eu27", "sum"),
        extra_eu27_share=("extra", "sum"),
        us_share=("us", "sum"),
        cn_share=("cn", "sum"),
    ).reset_index()
    top = partners.loc[partners["rank"] == 1, [*YEAR_KEY, "country", "share"]]
    exposure = exposure.merge(top.rename(columns={"country": "top_partner_code", "share": "top_partner_share"}))

    products = _concentration(levels, "a129").assign(square=lambda f: f["share"] ** 2)
    product_concentration = products.groupby(YEAR_KEY).agg(
        product_count=("a129", "size"), product_hhi=("square", "sum")
    )
    totals = levels.groupby(YEAR_KEY)["value"].sum().rename("value_eur").reset_index()
    return totals.merge(exposure, on=YEAR_KEY, how="left").merge(
        product_concentration.reset_index(), on=YEAR_KEY, how="left"
    )


def expected_specialisation(levels: pd.DataFrame) -> pd.DataFrame:
    products = (
        levels.assign(us_value=levels["value"].where(levels["country"] == "US", 0))
        .groupby([*YEAR_KEY, "a129"], as_index=False)[["value", "mass", "us_value"]]
        .sum()
        .rename(columns={"a129": "product_code", "value": "value_eur", "mass": "mass_kg", "us_value": "us_value_eur"})
    )
    totals = products.groupby(YEAR_KEY)["value_eur"].transform("sum")
    products["share_of_flow"] = _ratio(products["value_eur"], totals)
    products = products[products["value_eur"] > 0]
    france = products.loc[products["level"] == "france", ["year", "flow", "product_code", "share_of_flow"]]
    france = france.rename(columns={"share_of_flow": "france_share_of_flow"})
    products = products.merge(france, on=["year", "flow", "product_code"], how="left")
    return products.assign(
        rca=_ratio(products["share_of_flow"], products["france_share_of_flow"]),
        unit_value_eur_per_kg=_ratio(products["value_eur"], products["mass_kg"]),
    )


# --- comparison ------------------------------------------------------------------------------


def _mismatches(got: pd.Series, expected: pd.Series, equal: Callable[[pd.Series, pd.Series], pd.Series]) -> pd.Series:
    """True where the values differ: one null and not the other, or both set and not `equal`."""
    got_null, expected_null = got.isna(), expected.isna()
    both = ~got_null & ~expected_null
    differ = pd.Series(False, index=got.index)
    differ[both] = ~equal(got[both], expected[both])
    return differ | (got_null != expected_null)


def _close(got: pd.Series, expected: pd.Series) -> pd.Series:
    """math.isclose(rel_tol=1e-9, abs_tol=1e-12), element-wise."""
    a, b = got.astype("float64").to_numpy(), expected.astype("float64").to_numpy()
    tolerance = np.maximum(REL_TOL * np.maximum(np.abs(a), np.abs(b)), ABS_TOL)
    return pd.Series(np.abs(a - b) <= tolerance, index=got.index)


def _exact(got: pd.Series, expected: pd.Series) -> pd.Series:
    return pd.Series(got.to_numpy() == expected.to_numpy(), index=got.index)


def assert_matches(
    got: pd.DataFrame,
    expected: pd.DataFrame,
    key: list[str],
    *,
    exact: list[str],
    close: list[str],
) -> None:
    """Same keys, one row each; `exact` columns (euros, counts, codes) equal, `close` ones (fractions,
    rates) within rel 1e-9; nulls null in both."""
    assert not got.duplicated(key).any(), "duplicate keys in the export"
    assert not expected.duplicated(key).any(), "duplicate keys in the recomputation"
    assert len(got) == len(expected), f"{len(got)} rows exported, {len(expected)} recomputed"
    merged = got[[*key, *exact, *close]].merge(
        expected[[*key, *exact, *close]], on=key, how="outer", suffixes=("", "_expected"), indicator=True
    )
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"keys in one side only:\n{unmatched[[*key, '_merge']].head(10)}"
    for column in [*exact, *close]:
        differ = _mismatches(merged[column], merged[f"{column}_expected"], _exact if column in exact else _close)
        shown = merged.loc[differ, [*key, column, f"{column}_expected"]]
        assert not differ.any(), f"{column}: {int(differ.sum())} rows differ, e.g.\n{shown.head(10)}"


def assert_csv_has_the_parquet_rows(exports: Path, name: str, parquet: pd.DataFrame) -> None:
    """The CSV export holds the Parquet export's rows, in the same order, values equal (null = empty)."""
    text = pd.read_csv(exports / f"{name}.csv", dtype=str, keep_default_na=False)
    assert list(text.columns) == list(parquet.columns), f"{name}.csv: not the Parquet file's columns"
    assert len(text) == len(parquet), f"{name}.csv: {len(text)} rows, the Parquet file {len(parquet)}"
    for column in parquet.columns:
        values = parquet[column]
        cells = text[column].replace("", None)
        if pd.api.types.is_float_dtype(values):
            differ = _mismatches(values, cells.astype("float64"), _close)
        elif pd.api.types.is_integer_dtype(values):
            differ = _mismatches(values, cells.astype("Int64"), _exact)
        else:
            differ = _mismatches(values.astype(object), cells, _exact)
        assert not differ.any(), f"{name}.csv, {column}: {int(differ.sum())} rows differ from the Parquet file"


# --- the tests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows(scenario: Scenario) -> pd.DataFrame:
    return current_rows(scenario.paths.raw_dir)


@pytest.fixture(scope="module")
def levels(rows: pd.DataFrame) -> pd.DataFrame:
    return stacked(rows)


@pytest.fixture(scope="module")
def quarterly(levels: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    return expected_quarterly_totals(levels, rows)


def _export(scenario: Scenario, name: str) -> pd.DataFrame:
    """The Parquet export (integers stay integers beside nulls), after checking the CSV export holds the
    same rows."""
    exports = scenario.paths.exports_dir
    frame = pd.read_parquet(exports / f"{name}.parquet", dtype_backend="numpy_nullable")
    assert_csv_has_the_parquet_rows(exports, name, frame)
    return frame


def test_the_recomputation_reads_every_year_and_the_revised_quarters(rows: pd.DataFrame) -> None:
    periods = rows.groupby("flow")[["year", "quarter"]].apply(lambda f: sorted(set(f.itertuples(index=False))))
    expected = [(y, q) for y in ANNUAL_YEARS for q in range(1, 5)] + [(2025, 1), (2025, 2)]
    assert periods.to_dict() == {"export": expected, "import": expected}


def test_territory_quarterly_totals(scenario: Scenario, quarterly: pd.DataFrame) -> None:
    got = _export(scenario, "territory_quarterly_totals")
    assert_matches(
        got,
        quarterly,
        QUARTER_KEY,
        exact=["value_eur"],
        close=["share_of_region", "share_of_france", "growth_yoy"],
    )
    assert got["growth_yoy"].notna().any() and got["share_of_region"].notna().any()


def test_territory_trends(scenario: Scenario, quarterly: pd.DataFrame) -> None:
    got = _export(scenario, "territory_trends")
    expected = expected_trends(quarterly)
    assert_matches(
        got,
        expected,
        YEAR_KEY,
        exact=["quarters_covered", "value_eur", "prior_year_value_eur", "value_eur_5y_earlier"],
        close=["growth_1y", "cagr_5y"],
    )
    years_with_cagr = set(got.loc[got["cagr_5y"].notna(), "year"])
    assert years_with_cagr == {2024, 2025}, "5-year figures exist from the 6th year of data on"


def test_territory_exposure(scenario: Scenario, levels: pd.DataFrame) -> None:
    got = _export(scenario, "territory_exposure")
    assert_matches(
        got,
        expected_exposure(levels),
        YEAR_KEY,
        exact=["value_eur", "partner_count", "product_count", "top_partner_code"],
        close=[
            "partner_hhi",
            "product_hhi",
            "top_partner_share",
            "top3_partners_share",
            "eu27_share",
            "extra_eu27_share",
            "us_share",
            "cn_share",
        ],
    )


def test_product_specialisation(scenario: Scenario, levels: pd.DataFrame) -> None:
    got = _export(scenario, "product_specialisation")
    expected = expected_specialisation(levels)
    assert_matches(
        got,
        expected,
        PRODUCT_KEY,
        exact=["value_eur", "us_value_eur", "mass_kg"],
        close=["share_of_flow", "france_share_of_flow", "rca", "unit_value_eur_per_kg"],
    )
    assert (expected["mass_kg"] == 0).any(), "the sample has products without mass: unit value null"
