"""dbt run for real: the `unit_tests:` (ranking, ties, AUTRES folding, highlights), the project's
generic data tests on a warehouse with bad rows planted, and `dbt docs generate`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_invocation import DbtRun, node_name, run_dbt
from orchestration.dbt_project import DBT_DATABASE_ENV, PARSE_DATABASE, dbt_database, prepare
from orchestration.errors import ComexError

pytestmark = pytest.mark.integration


def dbt_test(warehouse: Path, tmp_path: Path, *select: str) -> DbtRun:
    """`dbt test --select …` on `warehouse` (a copy: tests never write the shared one), in process."""
    return run_dbt(["test", "--select", *select], warehouse, tmp_path / "target")


def test_dbt_unit_tests_pass(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    run = dbt_test(warehouse, tmp_path, "test_type:unit")
    assert run.success, run.failures
    unit_tests = [unique_id for unique_id in run.seconds_by_node if unique_id.startswith("unit_test.")]
    assert len(unit_tests) >= 10


def test_generic_tests_find_planted_nulls_and_duplicates(sample_warehouse: Path, tmp_path: Path) -> None:
    """`not_null_columns` (one node per model) returns one row per column holding nulls;
    `unique_combination` (hash, then the real key) returns each repeated key."""
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update reference.dgddi_cpf4 set cpf4_label = null where cpf4_code in ('0111', '0112')")
        con.execute("update reference.dgddi_cpf4 set valid_to = null where cpf4_code = '0113'")
        con.execute("insert into reference.dgddi_cpf4 select * from reference.dgddi_cpf4 where cpf4_code = '0114'")
    selected = (
        "dgddi_cpf4,test_name:not_null_columns",
        "dgddi_cpf4,test_name:unique_combination",
        "dgddi_a129,test_name:not_null_columns",
    )
    run = dbt_test(warehouse, tmp_path, *selected)

    assert not run.success
    assert len(run.seconds_by_node) == 3  # dgddi_a129's passes
    assert sorted(node_name(unique_id).split("_dgddi")[0] for unique_id, _, _ in run.failures) == [
        "not_null_columns",
        "unique_combination",
    ]
    compiled = {
        p.name.split("_dgddi_cpf4")[0]: p.read_text()
        for p in (tmp_path / "target" / "compiled").rglob("*dgddi_cpf4*.sql")
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:  # the failing rows, as dbt's compiled tests find them
        assert sorted(con.execute(compiled["not_null_columns"]).fetchall()) == [("cpf4_label", 2), ("valid_to", 1)]
        assert [row[0] for row in con.execute(compiled["unique_combination"]).fetchall()] == ["0114"]


def test_row_rules_find_nulls_and_repeated_keys_in_one_node(sample_warehouse: Path, tmp_path: Path) -> None:
    """`row_rules` with `not_null` and `unique` (the staging models' one test each): one row per broken rule."""
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:  # stg_reference__cpf4 is a view over this seed
        con.execute("update reference.dgddi_cpf4 set cpf4_label = null where cpf4_code in ('0111', '0112')")
        con.execute("insert into reference.dgddi_cpf4 select * from reference.dgddi_cpf4 where cpf4_code = '0114'")
    run = dbt_test(warehouse, tmp_path, "stg_reference__cpf4,test_name:row_rules")

    assert not run.success and len(run.seconds_by_node) == 1
    (compiled,) = (tmp_path / "target" / "compiled").rglob("row_rules_stg_reference__cpf4*.sql")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = sorted(con.execute(compiled.read_text()).fetchall())
    assert found == [("cpf4_label_is_not_null", 2), ("unique (cpf4_code, valid_from)", 1)]


def test_dbt_docs_generate_documents_every_mart_and_column(sample_warehouse: Path, tmp_path: Path) -> None:
    """`make docs` works: the catalog lists every mart with its columns, each described in the manifest."""
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    run = run_dbt(["docs", "generate"], warehouse, tmp_path / "target")
    assert run.success, run.exception

    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    marts = {k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model" and n["schema"] == "marts"}
    assert len(marts) == 15
    for key, node in marts.items():
        assert node["description"], key
        built = {name.lower() for name in catalog["nodes"][key]["columns"]}
        documented = {name for name, column in node["columns"].items() if column["description"]}
        assert built == documented, key


def test_the_manifest_names_comex_whatever_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parse records the database file's stem as every node's catalog: the project is parsed as
    `comex` even when COMEX_WAREHOUSE or COMEX_DBT_DATABASE name another file, and dbt refuses
    at once, in one line, a warehouse file of another name (it would fail on a catalog error)."""
    monkeypatch.setenv("COMEX_WAREHOUSE", str(tmp_path / "other.duckdb"))
    monkeypatch.setenv(DBT_DATABASE_ENV, str(tmp_path / "ut.duckdb"))
    with dbt_database(PARSE_DATABASE):
        assert os.environ[DBT_DATABASE_ENV] == str(PARSE_DATABASE) and PARSE_DATABASE.stem == "comex"
    assert os.environ[DBT_DATABASE_ENV] == str(tmp_path / "ut.duckdb")
    nodes = json.loads(prepare().read_text(encoding="utf-8"))["nodes"].values()
    assert {node["database"] for node in nodes if node["resource_type"] in ("model", "seed")} == {"comex"}
    with pytest.raises(ComexError, match=r"ut\.duckdb: dbt runs on a warehouse file named comex\.duckdb"):
        run_dbt(["build"], tmp_path / "ut.duckdb", tmp_path / "target")
    assert not (tmp_path / "ut.duckdb").exists()
