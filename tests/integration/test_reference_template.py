"""A new warehouse starts with the reference seeds and the views made and tested at set-up: real dbt, real DuckDB."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import reference_template, seed_state, warehouse
from orchestration.dbt_project import MANIFEST_JSON
from orchestration.dbt_selection import VIEW_MODEL_PATHS
from orchestration.seed_state import seed_relations


def test_the_template_holds_every_seed_and_the_results_of_their_tests() -> None:
    template = reference_template.current_template()  # built by `comex prepare` (conftest, as make setup)
    assert template == reference_template.TEMPLATE
    with duckdb.connect(str(template), read_only=True) as con:
        tables = set(con.execute("select schema_name, table_name from duckdb_tables()").fetchall())
        rows = con.execute("select count(*) from reference.dgddi_departements").fetchone()
    assert set(seed_relations(MANIFEST_JSON)) <= tables
    assert rows == (101,)
    events = reference_template.template_events()
    names = {e["info"]["name"] for e in events}
    assert names == {"LogSeedResult", "LogModelResult", "LogTestResult"}
    assert sum(e["info"]["name"] == "LogSeedResult" for e in events) == len(seed_relations(MANIFEST_JSON))
    assert all(e["data"]["status"].lower() in ("success", "pass", "ok") for e in events)


def test_the_template_holds_every_staging_and_intermediate_view_over_an_empty_raw_schema() -> None:
    template = reference_template.current_template()
    assert template is not None
    manifest = json.loads(MANIFEST_JSON.read_text(encoding="utf-8"))
    views = {
        (node["schema"], node["alias"]): node["original_file_path"].startswith(VIEW_MODEL_PATHS)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "view"
    }
    with duckdb.connect(str(template), read_only=True) as con:
        made = set(con.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall())
        flows = con.execute("select count(*) from staging.stg_customs__flows").fetchone()
    # the views of the marts and checks (fct_trade_flows, chk_*) are a refresh's: checks read marts
    assert {view for view, staged in views.items() if staged} == made
    assert ("marts", "fct_trade_flows") in views and ("checks", "chk_rankings_add_up") in views
    views = made
    assert flows == (0,)  # the staging views read the raw schema, empty until a refresh ingests
    assert seed_state.views_current(template, seed_state.views_fingerprint())
    modelled = {e["data"]["node_info"]["unique_id"] for e in reference_template.template_events()}
    assert {f"model.comex_territoires.{alias}" for _, alias in views} <= modelled


def test_a_new_warehouse_starts_from_the_template_an_existing_one_from_itself(tmp_path: Path) -> None:
    live = tmp_path / "comex.duckdb"
    working = warehouse.start_working_copy(live, reference_template.current_template())
    with duckdb.connect(str(working), read_only=True) as con:
        assert con.execute("select count(*) from reference.seed_state").fetchone() == (1,)
    warehouse.discard(working)

    with duckdb.connect(str(live)) as con:
        con.execute("create table t as select 1 as x")
    working = warehouse.start_working_copy(live, reference_template.current_template())
    with duckdb.connect(str(working), read_only=True) as con:
        assert con.execute("select schema_name, table_name from duckdb_tables()").fetchall() == [("main", "t")]


def test_a_template_of_other_seeds_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds edited since `comex prepare`: the next refresh of a new warehouse loads them itself."""
    monkeypatch.setattr(reference_template, "seeds_fingerprint", lambda: "seeds edited since")
    assert reference_template.current_template() is None


def test_a_template_of_another_raw_schema_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """comex upgraded to a new raw schema since `comex prepare`: a copy of the template would be refused."""
    from orchestration.ingestion import registry

    monkeypatch.setattr(registry, "RAW_SCHEMA_VERSION", registry.RAW_SCHEMA_VERSION + 1)
    assert reference_template.current_template() is None


def test_a_template_made_before_it_held_the_raw_schema_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One `comex prepare` of an earlier comex left (seeds only): the next `prepare` makes it again."""
    template = reference_template.current_template()
    assert template is not None
    older = tmp_path / template.name
    shutil.copyfile(template, older)
    with duckdb.connect(str(older)) as con:
        con.execute("drop schema raw cascade")
    monkeypatch.setattr(reference_template, "TEMPLATE", older)
    assert reference_template.current_template() is None
