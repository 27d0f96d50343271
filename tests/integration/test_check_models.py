"""Each check model finds the rule it checks broken, with real dbt, on a copy of the sample warehouse.

The marts of the sample refresh are broken in one place per rule (each in its own territory,
year or quarter), then dbt builds the check models and runs their tests: every blocking check
fails and names the group it found, the two warning checks warn. A second invocation runs the
marts' row-rule tests on broken rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.check_models import CHECK_MODELS, describe_failed_node, failing_rows
from orchestration.dbt_invocation import failure_message, node_name, run_dbt

pytestmark = pytest.mark.integration

#: (check model, what is broken, the group it must report: column -> value)
BROKEN = [
    (
        "chk_vintage_reconciliation",
        "update raw.vintage_reconciliation set rejected_eur = rejected_eur + 3 where annee = 2023 and trimestre = 1 "
        "and vintage_id = (select min(vintage_id) from raw.vintage_reconciliation where annee = 2023)",
        {"year": 2023, "quarter": 1, "gap_eur": -3},
    ),
    (
        "chk_marts_reconcile_with_raw",
        "update marts.fct_territory_flows set value_eur = value_eur + 7 where rowid = (select min(rowid) "
        "from marts.fct_territory_flows where level = 'france' and year = 2024 and quarter = 3 and flow = 'export')",
        {"flow": "export", "year": 2024, "quarter": 3, "gap": 7},
    ),
    (
        "chk_territory_levels_add_up",
        "update marts.territory_totals set value_eur = value_eur + 1 "
        "where year = 2024 and level = 'region' and territory_code = '13' and flow = 'export'",
        {"year": 2024, "quarter": 0, "flow": "export", "territory_code": "13"},
    ),
    (
        "chk_shares_sum_to_one",
        "update marts.product_activity set share_of_flow = share_of_flow + 0.1 "
        "where year = 2024 and level = 'departement' and territory_code = '10' and flow = 'export' and rank = 1",
        {"share_name": "product_activity.share_of_flow", "year": 2024, "territory_code": "10"},
    ),
    (
        "chk_rankings_add_up",
        "delete from marts.partner_ranking "
        "where year = 2023 and level = 'departement' and territory_code = '01' and flow = 'import' and rank = 4",
        {"year": 2023, "territory_code": "01", "flow": "import"},
    ),
    (
        "chk_partner_balance_top_n_union",
        "delete from marts.partner_balance "
        "where year = 2024 and level = 'departement' and territory_code = '75' and export_rank = 1",
        {"year": 2024, "territory_code": "75"},
    ),
    (
        "chk_flow_links_nodes_and_highlights",
        "update marts.flow_links set is_highlighted = true where year = 2023 and level = 'departement' "
        "and territory_code = '59' and flow = 'export' and product_code = 'AUTRES'",
        {"year": 2023, "territory_code": "59", "flow": "export"},
    ),
    (
        "chk_national_revisions",
        "insert into marts.vintage_revisions values ('export', 2024, 2, 'france', 'FR', 3, 1, 1000, 1500, 500, 0.5)",
        {"flow": "export", "year": 2024, "quarter": 2},
    ),
    (
        "chk_code_anomalies",
        "insert into raw.vintage_codes values (3, 'pays', 'ZZ', null, 2, 1234)",
        {"code": "ZZ", "anomaly": "unknown code", "value_eur": 1234},
    ),
    (
        "chk_duplicate_lines",
        "insert into raw.customs_flows select * replace (line_number + 1000000 as line_number) "
        "from raw.customs_flows where rowid = (select min(rowid) from raw.customs_flows "
        "where annee = 2023 and trimestre = 2 and flux = 'I'); "
        "update raw.vintage_grain set repeated_rows = 1 where vintage_id = "
        "(select max(vintage_id) from raw.customs_flows where annee = 2023 and trimestre = 2 and flux = 'I')",
        {"flow": "import", "year": 2023, "quarter": 2, "extra_lines": 1},
    ),
]


@pytest.fixture
def broken(sample_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the sample warehouse (named comex.duckdb, as dbt's manifest expects) with every rule broken."""
    copy = Path(shutil.copy(sample_warehouse, tmp_path / "comex.duckdb"))
    with duckdb.connect(str(copy)) as con:
        for _, statement, _ in BROKEN:
            con.execute(statement)
    return copy


def test_every_check_model_finds_its_rule_broken_and_says_where(broken: Path, tmp_path: Path) -> None:
    run = run_dbt(["build", "--select", "checks"], broken, tmp_path / "dbt")
    assert not run.success
    failed = {node_name(unique_id) for unique_id, _, _ in run.failures}
    blocking = {name for name, model in CHECK_MODELS.items() if model.blocking}
    assert failed == {f"gap_is_zero_{name}_" for name in blocking}
    warned = {e["data"]["node_info"]["node_name"] for e in run.events if e["data"].get("status") == "warn"}
    assert warned == {"gap_is_zero_chk_code_anomalies_", "gap_is_zero_chk_duplicate_lines_"}
    with duckdb.connect(str(broken), read_only=True) as con:
        for name, _, group in BROKEN:
            rows = failing_rows(con, name)
            assert any(group.items() <= row.items() for row in rows), (name, rows[:3])
        message = failure_message(run, lambda unique_id: describe_failed_node(con, unique_id))
    assert "moves France's export total of 2024Q2 by +50.0% (1,000 € → 1,500 €)" in message
    assert "COMEX_MAX_NATIONAL_REVISION" in message and "--accept-revisions" in message


def test_the_marts_row_rules_find_broken_rows(sample_warehouse: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copy(sample_warehouse, tmp_path / "comex.duckdb"))
    with duckdb.connect(str(copy)) as con:
        con.execute("insert into marts.territory_totals select * from marts.territory_totals where level = 'france'")
        con.execute("update marts.product_activity set share_of_flow = 1.5 where rank = 1 and territory_code = '88'")
        con.execute("update marts.partner_balance set balance_eur = balance_eur + 1 where territory_code = '10'")
        con.execute("update marts.flow_links set is_highlighted = true where product_code = 'AUTRES'")
    marts = ["territory_totals", "product_activity", "partner_balance", "flow_links", "partner_ranking"]
    run = run_dbt(["test", "--select", *marts, "--exclude", "resource_type:unit_test"], copy, tmp_path / "dbt")
    assert not run.success
    messages = {node_name(unique_id): message for unique_id, _, message in run.failures}
    assert set(messages) == {f"{m}_row_rules" for m in marts if m != "partner_ranking"}
    with duckdb.connect(str(copy), read_only=True) as con:
        rules = {}
        for mart in ("territory_totals", "product_activity", "partner_balance", "flow_links"):
            sql = (
                (Path(tmp_path / "dbt").glob(f"compiled/**/{mart}_row_rules.sql"))
                .__next__()
                .read_text(encoding="utf-8")
            )
            rules[mart] = {row[0] for row in con.execute(sql).fetchall()}
    assert rules["territory_totals"] == {"unique (year, level, territory_code, flow)"}
    assert rules["product_activity"] == {"ranked_with_trade"}
    assert rules["partner_balance"] == {"balance_is_export_minus_import"}
    assert rules["flow_links"] == {"highlights_are_named"}
