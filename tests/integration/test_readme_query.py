"""The README's DuckDB query (the 10 départements most exposed to the US) runs on the sample
warehouse and answers what it says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.integration

MARKER = "-- README: the 10 départements most exposed to the US"


def readme_query() -> str:
    """The SQL block of the README that starts with MARKER."""
    blocks = re.findall(r"```sql\n(.*?)```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return next(block for block in blocks if block.startswith(MARKER))


def test_readme_query_lists_the_10_departements_most_exposed_to_the_us(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        rows = con.execute(readme_query()).fetchall()
        expected = con.execute(
            """
            select territory_code from marts.territory_exposure
            where level = 'departement' and flow = 'export' and year = 2024
            order by us_share desc limit 10
            """
        ).fetchall()
        top_product = con.execute(
            """
            select product_label, us_value_eur from marts.product_specialisation
            where level = 'departement' and flow = 'export' and year = 2024 and territory_code = ?
            order by us_value_eur desc limit 1
            """,
            [rows[0][0]],
        ).fetchone()
    assert [row[0] for row in rows] == [row[0] for row in expected]
    shares = [row[2] for row in rows]
    assert shares == sorted(shares, reverse=True) and 0 < shares[-1] <= shares[0] <= 100
    assert all(row[3] == rows[0][3] for row in rows)  # France's share, the same reference on every row
    assert (rows[0][4], rows[0][5]) == top_product
