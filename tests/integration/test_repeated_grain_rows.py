"""Rows a file repeats at the marts' grain are summed, every other file's rows taken as they are.

Ingestion counts, per vintage, the kept rows whose grain (flow, year, quarter, département, A129,
CPF4, country) an earlier row has (`raw.vintage_grain`); `fct_trade_flows` sums only the
vintages where that count is not 0, or unknown (a vintage ingested by an earlier comex). Real
refresh (Dagster, dbt in process), then dbt again on a copy that forgot the counts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_invocation import run_dbt
from orchestration.runner import run_refresh
from orchestration.sample import generate_year
from orchestration.settings import Paths
from tests.helpers import annual_package, row

pytestmark = pytest.mark.integration

SCALE = 4_000
#: The same grain as the first row below (Vosges, 2024Q1, C20A/2011, Germany) under another
#: région code, and an exact copy of it: three rows, one cell of fct_trade_flows.
REPEATS = [row(valeur="1000", masse="20"), row(reg="44", valeur="250", masse="5"), row(valeur="1000", masse="20")]
FACT = (
    "select year, quarter, flow, departement_code, a129_code, cpf4_code, country_code, region_code, vintage_id, "
    "value_eur, mass_kg, line_count from marts.fct_trade_flows order by all"
)


def _lines(flux: str) -> list[str]:
    frame = generate_year(2024, scale=SCALE)
    frame = frame[(frame["flux"] == flux) & ~((frame["code_departement"] == "88") & (frame["trimestre"] == 1))]
    return [";".join(str(v) for v in values) for values in frame.itertuples(index=False)]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("repeated-grain")
    raw = root / "raw"
    raw.mkdir()
    annual_package(raw, 2024, "export", _lines("E") + REPEATS)
    annual_package(raw, 2024, "import", _lines("I"))
    paths = Paths(raw_dir=raw, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    outcome = run_refresh(paths)
    assert outcome.success, f"{outcome.failed_step}: {outcome.error_message}"
    return paths


def test_ingestion_counts_the_rows_repeating_a_grain(refreshed: Paths) -> None:
    with duckdb.connect(str(refreshed.warehouse), read_only=True) as con:
        counts = con.execute(
            "select v.file_name, g.repeated_rows, v.duplicate_lines from raw.vintages as v "
            "join raw.vintage_grain as g using (vintage_id) order by v.file_name"
        ).fetchall()
    assert counts == [("Regional-2024-export.zip", 2, 1), ("Regional-2024-import.zip", 0, 0)]


def test_repeated_rows_are_one_cell_with_their_sum_and_every_euro_counts(refreshed: Paths) -> None:
    with duckdb.connect(str(refreshed.warehouse), read_only=True) as con:
        cell = con.execute(
            "select value_eur, mass_kg, line_count, region_code from marts.fct_trade_flows "
            "where flow = 'export' and year = 2024 and quarter = 1 and departement_code = '88' "
            "and cpf4_code = '2011' and country_code = 'DE'"
        ).fetchall()
        single = con.execute("select max(line_count) from marts.fct_trade_flows where flow = 'import'").fetchone()
        by_flow = con.execute(
            "select flow, sum(value_eur), sum(line_count) from marts.fct_trade_flows group by flow order by flow"
        ).fetchall()
        raw = con.execute(
            "select case flux when 'E' then 'export' else 'import' end, sum(valeur), count(*) "
            "from raw.customs_flows group by all order by 1"
        ).fetchall()
    assert cell == [(2250, 45, 3, "13")]  # one row whatever région its lines carry: the département's (DGDDI 13)
    assert single == (1,)
    assert by_flow == raw


def test_a_vintage_counted_by_no_one_is_summed_to_the_same_fact(refreshed: Paths, tmp_path: Path) -> None:
    """A warehouse whose vintages came before the counts: every vintage summed, the same rows."""
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(refreshed.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        before = con.execute(FACT).fetchall()
        con.execute("delete from raw.vintage_grain")
    run = run_dbt(["run", "--select", "fct_trade_flows", "--full-refresh"], warehouse, tmp_path / "dbt")
    assert run.success, run.failures
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(FACT).fetchall() == before
