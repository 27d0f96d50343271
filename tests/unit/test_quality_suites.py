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

from orchestration.check_models import CHECK_MODELS
from orchestration.errors import ComexError
from orchestration.quality import checks_suite, exports_suite, raw_suite
from orchestration.quality.context import QualityContext, SuiteOutcome, SuiteSpec, quality_context
from orchestration.quality.settings import QualitySettings
from tests.unit.quality_data import SETTINGS, SINCE, build_warehouse, refresh_periods, write_exports

Builder = Callable[[duckdb.DuckDBPyConnection, Path], SuiteSpec]

SUITES: dict[str, Builder] = {
    "raw_flows_schema": lambda con, _: raw_suite.schema_suite(con),
    "raw_flows_periods": lambda con, _: raw_suite.periods_suite(con, SINCE),
    "raw_flows_periods_all": lambda con, _: raw_suite.periods_suite(con, 0),
    "raw_flows_coverage": lambda con, _: raw_suite.coverage_suite(con),
    "raw_rejected_rows": lambda con, _: raw_suite.rejected_suite(con, SINCE, SETTINGS),
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
        assert outcome.rows > 0, suite


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
    (
        "too many rejected lines",
        ["update raw.vintages set rejected_count = 10, line_count = line_count + 10 where vintage_id = 2",
         "insert into raw.rejected_rows select 2, 'REGIONAL_CPF4PAYSE.txt', range, 'bad', 'x', null, null, null, null from range(10)"],
        False, "raw_rejected_rows", "rejected_rate",
    ),
    (
        "too many rejected euros (few lines, the largest ones)",
        ["update raw.vintages set rejected_count = 1, line_count = line_count + 1, rejected_eur = 50000, value_eur = value_eur + 50000 where vintage_id = 2",
         "insert into raw.rejected_rows values (2, 'REGIONAL_CPF4PAYSE.txt', 99, 'mass ''x'' is not a non-negative integer', 'x', 'E', 2024, 1, 50000)"],
        False, "raw_rejected_rows", "rejected_eur_rate",
    ),
    (
        "rejected rows not kept",
        ["insert into raw.rejected_rows values (2, 'REGIONAL_CPF4PAYSE.txt', 99, 'bad', 'x', null, null, null, null)"],
        False, "raw_rejected_rows", "rejected_count,rejected_stored",
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


@pytest.mark.parametrize("name", sorted(CHECK_MODELS))
def test_a_check_model_with_a_gap_fails_its_suite_and_names_the_group(
    gx: QualityContext, tmp_path: Path, name: str
) -> None:
    """The GX suite of a check model expects every gap within the tolerance, and names the rows beyond it."""
    model = CHECK_MODELS[name]
    with duckdb.connect(str(tmp_path / "c.duckdb")) as con:
        con.execute("create schema checks")
        keys = ", ".join(f"'{key}-value' as {key}" for key in model.keys)
        con.execute(f"create table {model.relation} as select {keys}, 0.0 as gap union all select {keys}, 0.5")
        outcome = gx.validate(checks_suite.check_suite(con, model))
        assert not outcome.success
        [failure] = outcome.failures
        assert failure.unexpected_count == 1
        assert failure.sample[0]["gap"] == 0.5 and failure.sample[0][model.keys[0]] == f"{model.keys[0]}-value"
        con.execute(f"delete from {model.relation} where gap > 0")
        assert gx.validate(checks_suite.check_suite(con, model)).success


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
