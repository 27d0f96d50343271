"""fct_territory_flows aggregates its years in blocks (macros/years_to_load.sql): the same rows
whatever the blocks, one block for a warehouse as small as the sample, one a year when each year
is as large as var rows_per_block."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from orchestration.dbt_invocation import run_dbt

_ROWS = "select year, quarter, level, territory_code, flow, product_code, country_code, value_eur, mass_kg, vintage_id"


def _rebuilt(sample_warehouse: Path, tmp_path: Path, name: str, *options: str) -> tuple[list[tuple], str]:
    """fct_territory_flows rebuilt on a copy of the sample warehouse: its rows and its SQL as run."""
    (tmp_path / name).mkdir()
    copy = Path(shutil.copy(sample_warehouse, tmp_path / name / "comex.duckdb"))
    target = tmp_path / name / "dbt"
    run = run_dbt(["run", "--select", "fct_territory_flows", "--full-refresh", *options], copy, target)
    assert run.success, run.failures
    with duckdb.connect(str(copy), read_only=True) as con:
        rows = con.execute(f"{_ROWS} from marts.fct_territory_flows order by all").fetchall()
    [sql] = target.glob("run/**/fct_territory_flows.sql")
    return rows, sql.read_text(encoding="utf-8")


def _blocks(sql: str) -> list[str]:
    return re.findall(r"where trade\.year in \(([\d, ]+)\)", sql)


def test_blocks_of_years_give_the_same_rows(sample_warehouse: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        built = con.execute(f"{_ROWS} from marts.fct_territory_flows order by all").fetchall()
        found = con.execute("select distinct year from marts.fct_trade_flows order by 1").fetchall()
        years = [str(year) for (year,) in found]
        [(smallest_year,)] = con.execute(
            "select min(rows) from (select sum(row_count) as rows from intermediate.int_periods__current_vintage "
            "group by year)"
        ).fetchall()

    one_block, one_block_sql = _rebuilt(sample_warehouse, tmp_path, "default")
    assert _blocks(one_block_sql) == [", ".join(years)]  # the sample is far below a full-scale year
    assert one_block == built

    per_year, per_year_sql = _rebuilt(
        sample_warehouse, tmp_path, "per_year", "--vars", f"{{rows_per_block: {smallest_year}}}"
    )
    assert _blocks(per_year_sql) == years  # no two years fit together (a larger year alone): a block a year
    assert per_year == built
