# ruff: noqa: E501  (the bad-input cases are tables: one case per line)
"""Every GX quality rule passes on good data and fails on a crafted bad row (tiny DuckDB warehouse).

Each case breaks one thing in `tests/unit/quality_data.py`'s warehouse (or its staged export
files) and runs the same suite functions the Dagster checks run, on an ephemeral GX context.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.errors import ComexError
from orchestration.quality import exports_suite, marts_suite, raw_suite, revisions
from orchestration.quality.context import QualityContext, SuiteOutcome, SuiteSpec, quality_context
from orchestration.quality.settings import QualitySettings
from tests.unit.quality_data import SETTINGS, SINCE, build_warehouse, refresh_periods, write_exports

Builder = Callable[[duckdb.DuckDBPyConnection, Path], SuiteSpec]

SUITES: dict[str, Builder] = {
    "raw_flows_schema": lambda con, _: raw_suite.schema_suite(con),
    "raw_flows_periods": lambda con, _: raw_suite.periods_suite(con, SINCE),
    "raw_flows_periods_all": lambda con, _: raw_suite.periods_suite(con, 0),
    "raw_flows_coverage": lambda con, _: raw_suite.coverage_suite(con),
    "raw_flows_codes": lambda con, _: raw_suite.codes_suite(con, SINCE),
    "raw_rejected_rows": lambda con, _: raw_suite.rejected_suite(con, SINCE, SETTINGS),
    "raw_revisions": lambda con, _: revisions.revisions_suite(con, SINCE, SETTINGS),
    **{f"marts_{name}": (lambda con, _, b=b: b(con, SETTINGS)) for name, b in marts_suite.MART_SUITES.items()},
    "exports_columns": lambda con, exports: exports_suite.columns_suite(con, exports),
    "exports_files": lambda con, exports: exports_suite.files_suite(con, exports),
}


@pytest.fixture(scope="module")
def gx() -> QualityContext:
    return quality_context(None, "unit-tests")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("quality-template")
    path = build_warehouse(root / "w.duckdb")
    return path, write_exports(path, root / "exports")


@pytest.fixture
def warehouse(template: tuple[Path, Path], tmp_path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A private copy of the tiny warehouse and its export files, opened read-write."""
    path = Path(shutil.copy(template[0], tmp_path / "w.duckdb"))
    exports = Path(shutil.copytree(template[1], tmp_path / "exports"))
    con = duckdb.connect(str(path))
    yield con, exports
    con.close()


def _run(gx: QualityContext, con: duckdb.DuckDBPyConnection, exports: Path, suite: str) -> SuiteOutcome:
    return gx.validate(SUITES[suite](con, exports))


def test_every_suite_passes_on_good_data(gx: QualityContext, warehouse: tuple) -> None:
    con, exports = warehouse
    for suite in SUITES:
        outcome = _run(gx, con, exports, suite)
        assert outcome.success, (suite, [f.as_dict() for f in outcome.failures])
        assert outcome.rows > 0 or suite == "raw_revisions", suite


def _dp(condition: str) -> str:
    """The new 'dernière publication' vintage (2)'s rows matching a condition."""
    return f"vintage_id = 2 and {condition}"


RAW_CASES = [
    # (id, statements, refresh vintage_periods, suite, failing column)
    ("extra column", ["alter table raw.customs_flows add column extra integer"], False, "raw_flows_schema", "column_spec"),
    ("wrong type", ["alter table raw.customs_flows alter masse type double"], False, "raw_flows_schema", "column_spec"),
    ("negative value", [f"update raw.customs_flows set valeur = -5 where {_dp('line_number = 1')}"], True, "raw_flows_periods", "min_valeur"),
    ("negative mass", [f"update raw.customs_flows set masse = -1 where {_dp('line_number = 2')}"], True, "raw_flows_periods", "min_masse"),
    ("bad flux", [f"update raw.customs_flows set flux = 'X' where {_dp('line_number = 1')}"], True, "raw_flows_periods", "flux"),
    ("bad quarter", [f"update raw.customs_flows set trimestre = 5 where {_dp('annee = 2024 and trimestre = 4')}"], True, "raw_flows_periods", "trimestre"),
    ("bad year", [f"update raw.customs_flows set annee = 1900 where {_dp('annee = 2024 and trimestre = 1')}"], True, "raw_flows_periods", "annee"),
    ("registry out of step", [f"update raw.customs_flows set valeur = valeur + 1 where {_dp('line_number = 1')}"], False, "raw_flows_periods", "registry_gap"),
    ("gap inside a vintage", [f"delete from raw.customs_flows where {_dp('annee = 2024 and trimestre = 2')}"], True, "raw_flows_periods", "vintage_gaps"),
    (
        "dernière publication of 6 quarters",
        ["insert into raw.customs_flows select vintage_id, line_number + 1000, flux, 3, annee, code_departement, code_region, "
         "code_a129, code_cpf4, code_pays, valeur, masse from raw.customs_flows where vintage_id = 2 and annee = 2023"],
        True, "raw_flows_periods", "quarters_outside_rule",
    ),
    ("annual file of 3 quarters", ["delete from raw.customs_flows where vintage_id = 1 and trimestre = 4"], True, "raw_flows_periods_all", "quarters_outside_rule"),
    ("complete year missing a quarter", ["delete from raw.customs_flows where vintage_id = 1 and trimestre = 2"], True, "raw_flows_coverage", "missing_quarters"),
    ("département in the wrong région", ["update raw.customs_flows set code_region = '18' where " + _dp("code_departement = '88'")], False, "raw_flows_codes", "departement"),
    ("unknown A129", [f"update raw.customs_flows set code_a129 = 'Z99Z' where {_dp('line_number = 1')}"], False, "raw_flows_codes", "a129"),
    ("unknown CPF4", [f"update raw.customs_flows set code_cpf4 = '9999' where {_dp('line_number = 1')}"], False, "raw_flows_codes", "cpf4"),
    ("CPF4 outside its A129", [f"update raw.customs_flows set code_a129 = 'A02Z' where {_dp('line_number = 1')}"], False, "raw_flows_codes", "cpf4_a129"),
    ("unknown country", [f"update raw.customs_flows set code_pays = 'ZZ' where {_dp('line_number = 1')}"], False, "raw_flows_codes", "pays"),
    (
        "too many rejected rows",
        ["update raw.vintages set rejected_count = 10 where vintage_id = 2",
         "insert into raw.rejected_rows select 2, 'REGIONAL_CPF4PAYSE.txt', range, 'unknown country code', 'x' from range(10)"],
        False, "raw_rejected_rows", "rejected_rate",
    ),
    (
        "rejected rows not kept",
        ["insert into raw.rejected_rows values (2, 'REGIONAL_CPF4PAYSE.txt', 99, 'bad', 'x')"],
        False, "raw_rejected_rows", "rejected_count,rejected_stored",
    ),
    (
        "revised by more than 5 %",
        ["update raw.customs_flows set valeur = valeur * 1.2 where " + _dp("annee = 2023 and code_departement = '01'")],
        True, "raw_revisions", "relative_change",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("statements", "refresh", "suite", "column"), [pytest.param(*c[1:], id=c[0]) for c in RAW_CASES]
)
def test_raw_rule_fails_on_bad_input(
    gx: QualityContext, warehouse: tuple, statements: list[str], refresh: bool, suite: str, column: str
) -> None:
    con, exports = warehouse
    for statement in statements:
        con.execute(statement)
    if refresh:
        refresh_periods(con)
    outcome = _run(gx, con, exports, suite)
    assert not outcome.success
    assert column in {f.column for f in outcome.failures}, [f.as_dict() for f in outcome.failures]


def test_partial_years_of_a_last_publication_alone_are_fine(gx: QualityContext, warehouse: tuple) -> None:
    con, exports = warehouse
    con.execute("delete from raw.customs_flows where vintage_id = 1")
    refresh_periods(con)
    assert _run(gx, con, exports, "raw_flows_coverage").success  # 2023 = Q4 only, 2024 complete


def test_revision_report_names_territories_with_before_and_after(gx: QualityContext, warehouse: tuple) -> None:
    con, exports = warehouse
    con.execute(
        "update raw.customs_flows set valeur = valeur * 1.2 where " + _dp("annee = 2023 and code_departement = '01'")
    )
    refresh_periods(con)
    frame = revisions.revisions_frame(con, SINCE)
    moved = frame[frame["relative_change"].abs() > 0]
    assert set(zip(moved["level"], moved["territory_code"], strict=True)) == {
        ("departement", "01"),
        ("region", "18"),
        ("france", "FR"),
    }
    row = moved[moved["level"] == "departement"].iloc[0]
    assert (row["year"], row["quarter"], row["before_eur"], row["after_eur"]) == (2023, 4, 1600, 1920)
    sample = _run(gx, con, exports, "raw_revisions").failures[0].sample
    assert {"territory_code": "01", "before_eur": 1600, "after_eur": 1920}.items() <= sample[0].items() or any(
        r.get("territory_code") == "01" and r.get("after_eur") == 1920 for r in sample
    )
    small = QualitySettings(revision_threshold=0.5, top_n=2, highlight_n=2)
    assert gx.validate(revisions.revisions_suite(con, SINCE, small)).success


def _tt(where: str) -> str:
    return f"year = 2024 and flow = 'export' and {where}"


MART_CASES = [
    ("duplicate key", ["insert into marts.territory_totals select * from marts.territory_totals where level = 'france'"], "marts_territory_totals", "year,level,territory_code,flow"),
    ("null key", ["update marts.territory_totals set territory_code = null where " + _tt("territory_code = '01'")], "marts_territory_totals", "null_keys"),
    ("share of France above 1", ["update marts.territory_totals set share_of_france = 1.5 where " + _tt("territory_code = '01'")], "marts_territory_totals", "share_of_france"),
    ("negative share of région", ["update marts.territory_totals set share_of_region = -0.1 where " + _tt("territory_code = '01'")], "marts_territory_totals", "share_of_region"),
    ("région ≠ its départements", ["update marts.territory_totals set value_eur = value_eur + 1 where " + _tt("level = 'region' and territory_code = '18'")], "marts_territory_totals", "children_gap"),
    ("France ≠ its départements", ["update marts.territory_totals set value_eur = value_eur + 1 where " + _tt("level = 'france'")], "marts_territory_totals", "departements_gap"),
    ("shares of France not summing to 1", ["update marts.territory_totals set share_of_france = share_of_france + 0.01 where " + _tt("territory_code = '88'")], "marts_territory_totals", "level_share_error"),
    ("shares of région not summing to 1", ["update marts.territory_totals set share_of_region = share_of_region + 0.01 where " + _tt("territory_code = '88'")], "marts_territory_totals", "region_share_error"),
    ("year ≠ its quarters", ["update marts.territory_quarterly_totals set value_eur = value_eur + 1 where quarter = 2 and flow = 'export' and territory_code = '88'"], "marts_territory_totals", "quarters_gap"),
    ("quarters covered wrong", ["update marts.territory_totals set quarters_covered = 3 where level = 'france'"], "marts_territory_totals", "quarters_covered_gap"),
    ("complete-year flag wrong", ["update marts.territory_totals set is_complete_year = false where level = 'france'"], "marts_territory_totals", "complete_flag_error"),
    ("quarterly share above 1", ["update marts.territory_quarterly_totals set share_of_france = 2 where quarter = 1 and territory_code = '01'"], "marts_territory_quarterly_totals", "share_of_france"),
    ("quarterly région ≠ its départements", ["update marts.territory_quarterly_totals set value_eur = value_eur - 1 where quarter = 3 and level = 'region' and territory_code = '13'"], "marts_territory_quarterly_totals", "children_gap"),
    ("products ≠ total", ["update marts.product_activity set value_eur = value_eur + 1 where " + _tt("territory_code = '88' and rank = 3")], "marts_product_activity", "total_gap"),
    ("duplicate product", ["insert into marts.product_activity select * from marts.product_activity where " + _tt("territory_code = '88' and rank = 1")], "marts_product_activity", "key_errors"),
    ("tied ranks", ["update marts.product_activity set rank = 1 where " + _tt("territory_code = '88' and rank = 2")], "marts_product_activity", "rank_errors"),
    ("zero share", ["update marts.product_activity set share_of_flow = 0 where " + _tt("territory_code = '88' and rank = 4")], "marts_product_activity", "min_share"),
    ("shares not summing to 1", ["update marts.product_activity set share_of_flow = share_of_flow + 0.1 where " + _tt("territory_code = '88' and rank = 4")], "marts_product_activity", "share_sum_error"),
    ("zero-value row", ["update marts.product_activity set value_eur = 0 where " + _tt("territory_code = '88' and rank = 4")], "marts_product_activity", "min_value_eur"),
    ("partner missing", ["delete from marts.partner_ranking where " + _tt("territory_code = '10' and rank = 4")], "marts_partner_ranking", "total_gap"),
    ("balance ≠ export − import", ["update marts.partner_balance set balance_eur = balance_eur + 1 where territory_code = '88' and export_rank = 1"], "marts_partner_balance", "balance_errors"),
    ("balance values ≠ rankings", ["update marts.partner_balance set export_eur = export_eur + 1, balance_eur = balance_eur + 1 where territory_code = '88' and export_rank = 1"], "marts_partner_balance", "ranking_mismatches"),
    (
        "country outside the top N",
        ["insert into marts.partner_balance select year, level, territory_code, country_code, country_label, 0, value_eur, value_eur, rank, null "
         "from marts.partner_ranking where flow = 'export' and territory_code = 'FR' and country_code not in "
         "(select country_code from marts.partner_balance where territory_code = 'FR')"],
        "marts_partner_balance", "outside_top",
    ),
    ("top partner missing", ["delete from marts.partner_balance where territory_code = '01' and export_rank = 1"], "marts_partner_balance", "top_countries_gap"),
    ("links ≠ total", ["update marts.flow_links set value_eur = value_eur + 1 where " + _tt("territory_code = '88' and product_code = 'AUTRES' and country_code = 'AUTRES'")], "marts_flow_links", "total_gap"),
    ("highlighted AUTRES", ["update marts.flow_links set is_highlighted = true where " + _tt("territory_code = '88' and product_code = 'AUTRES'")], "marts_flow_links", "highlighted_autres"),
    ("too many highlighted", ["update marts.flow_links set is_highlighted = true where " + _tt("territory_code = '88' and product_code <> 'AUTRES' and country_code <> 'AUTRES'")], "marts_flow_links", "highlighted"),
    ("a product outside the top N named", ["update marts.flow_links set product_code = 'C99Z' where " + _tt("territory_code = '88' and product_code = 'AUTRES' and country_code = 'AUTRES'")], "marts_flow_links", "named_products_gap"),
    ("duplicate link", ["insert into marts.flow_links select * from marts.flow_links where " + _tt("territory_code = '10' and product_code = 'AUTRES' and country_code = 'AUTRES'")], "marts_flow_links", "key_errors"),
    ("zero-value link", ["update marts.flow_links set value_eur = 0 where " + _tt("territory_code = '10' and product_code = 'AUTRES' and country_code = 'AUTRES'")], "marts_flow_links", "min_value_eur"),
]  # fmt: skip


@pytest.mark.parametrize(("statements", "suite", "column"), [pytest.param(*c[1:], id=c[0]) for c in MART_CASES])
def test_mart_rule_fails_on_bad_input(
    gx: QualityContext, warehouse: tuple, statements: list[str], suite: str, column: str
) -> None:
    con, exports = warehouse
    for statement in statements:
        con.execute(statement)
    outcome = _run(gx, con, exports, suite)
    assert not outcome.success
    assert column in {f.column for f in outcome.failures}, [f.as_dict() for f in outcome.failures]
    failure = next(f for f in outcome.failures if f.column == column)
    assert failure.sample or failure.observed is not None, "a failure shows offending rows"


def _rewrite(exports: Path, con: duckdb.DuckDBPyConnection, name: str, query: str, fmt: str) -> None:
    target = exports / f"{name}.{fmt}"
    options = "format csv, header true" if fmt == "csv" else "format parquet"
    con.execute(f"copy ({query}) to '{target}' ({options})")


EXPORT_CASES = [
    ("column missing", "territory_totals", "csv", "select * exclude (share_of_region) from marts.territory_totals", "exports_columns", "column_spec"),
    ("columns out of order", "flow_links", "csv", "select value_eur, * exclude (value_eur) from marts.flow_links", "exports_columns", "column_spec"),
    ("wrong Parquet type", "product_activity", "parquet", "select * replace (cast(rank as bigint) as rank) from marts.product_activity", "exports_columns", "column_spec"),
    ("rows ≠ mart", "flow_links", "parquet", "select * from marts.flow_links where territory_code <> '88'", "exports_files", "rows_gap"),
    ("null key", "partner_balance", "csv", "select * replace (case when export_rank = 1 then null else country_code end as country_code) from marts.partner_balance", "exports_files", "key_errors"),
    ("duplicate key", "territory_totals", "parquet", "select * replace ('FR' as territory_code) from marts.territory_totals", "exports_files", "key_errors"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "fmt", "query", "suite", "column"), [pytest.param(*c[1:], id=c[0]) for c in EXPORT_CASES]
)
def test_export_rule_fails_on_bad_file(
    gx: QualityContext, warehouse: tuple, name: str, fmt: str, query: str, suite: str, column: str
) -> None:
    con, exports = warehouse
    _rewrite(exports, con, name, query, fmt)
    outcome = _run(gx, con, exports, suite)
    assert column in {f.column for f in outcome.failures}, [f.as_dict() for f in outcome.failures]


def test_missing_export_file_fails(gx: QualityContext, warehouse: tuple) -> None:
    con, exports = warehouse
    (exports / "partner_balance.csv").unlink()
    assert "row_count" in {f.column for f in _run(gx, con, exports, "exports_files").failures}
    assert "column_spec" in {f.column for f in _run(gx, con, exports, "exports_columns").failures}


def test_thresholds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMEX_MAX_REJECTED_RATE", "2%")
    monkeypatch.setenv("COMEX_REVISION_THRESHOLD", "0.1")
    settings = QualitySettings.from_env()
    assert (settings.max_rejected_rate, settings.revision_threshold) == (0.02, 0.1)
    monkeypatch.setenv("COMEX_MAX_REJECTED_RATE", "lots")
    with pytest.raises(ComexError, match="COMEX_MAX_REJECTED_RATE"):
        QualitySettings.from_env()
