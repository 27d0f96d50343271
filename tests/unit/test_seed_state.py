"""When a refresh may skip reloading the reference seeds: real DuckDB files, real seed folders."""

from pathlib import Path

import duckdb
import pytest

from orchestration.seed_state import (
    record_seeds,
    record_views,
    seed_relations,
    seeds_current,
    seeds_fingerprint,
    views_current,
    views_fingerprint,
)
from orchestration.settings import REPO_ROOT

RELATIONS = [("reference", "dgddi_a129"), ("reference", "dgddi_cpf4")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "seeds" / "dgddi").mkdir(parents=True)
    (root / "seeds" / "dgddi" / "dgddi_a129.csv").write_text("a129_code\nA01Z\n", encoding="utf-8")
    (root / "dbt_project.yml").write_text("name: x\n", encoding="utf-8")
    return root


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema reference")
        for schema, table in RELATIONS:
            con.execute(f"create table {schema}.{table} (code varchar)")
    return database


def test_fingerprint_follows_seed_files_project_file_and_dbt_version(project: Path) -> None:
    before = seeds_fingerprint("1.11.16", project)
    assert seeds_fingerprint("1.11.16", project) == before
    assert seeds_fingerprint("1.11.17", project) != before
    (project / "seeds" / "dgddi" / "dgddi_a129.csv").write_text("a129_code\nA02Z\n", encoding="utf-8")
    edited = seeds_fingerprint("1.11.16", project)
    assert edited != before
    (project / "dbt_project.yml").write_text("name: y\n", encoding="utf-8")
    assert seeds_fingerprint("1.11.16", project) != edited


def test_seeds_are_current_only_after_being_recorded_with_the_same_fingerprint(seeded: Path) -> None:
    assert not seeds_current(seeded, "f1", RELATIONS)  # never recorded
    record_seeds(seeded, "f1")
    assert seeds_current(seeded, "f1", RELATIONS)
    assert not seeds_current(seeded, "f2", RELATIONS)  # seeds or dbt changed since
    record_seeds(seeded, "f2")
    assert seeds_current(seeded, "f2", RELATIONS)


def test_a_dropped_seed_table_means_reload(seeded: Path) -> None:
    record_seeds(seeded, "f1")
    with duckdb.connect(str(seeded)) as con:
        con.execute("drop table reference.dgddi_cpf4")
    assert not seeds_current(seeded, "f1", RELATIONS)


def test_no_warehouse_or_no_seed_means_reload(tmp_path: Path, seeded: Path) -> None:
    assert not seeds_current(tmp_path / "missing.duckdb", "f1", RELATIONS)
    record_seeds(seeded, "f1")
    assert not seeds_current(seeded, "f1", [])


def test_seed_relations_of_the_project_manifest() -> None:
    from orchestration.dbt_project import prepare

    relations = seed_relations(prepare())  # the manifest a refresh runs
    assert len(relations) == len(list((REPO_ROOT / "seeds").rglob("*.csv")))
    assert ("reference", "dgddi_cpf4") in relations


def test_views_are_current_only_after_being_recorded_with_the_same_fingerprint(seeded: Path, tmp_path: Path) -> None:
    assert not views_current(tmp_path / "missing.duckdb", "v1")
    assert not views_current(seeded, "v1")  # never recorded
    record_views(seeded, "v1")
    assert views_current(seeded, "v1")
    assert not views_current(seeded, "v2")  # the project changed since
    assert not seeds_current(seeded, "v1", RELATIONS)  # two records, not one


def test_views_fingerprint_follows_models_macros_and_the_raw_schema(project: Path) -> None:
    before = views_fingerprint("1.11.16", project)
    (project / "models").mkdir()
    (project / "models" / "stg_x.sql").write_text("select 1", encoding="utf-8")
    with_model = views_fingerprint("1.11.16", project)
    assert with_model != before
    registry = project / "orchestration" / "ingestion" / "registry.py"
    registry.parent.mkdir(parents=True)
    registry.write_text("RAW_SCHEMA_VERSION = 3\n", encoding="utf-8")
    assert views_fingerprint("1.11.16", project) != with_model
    assert views_fingerprint("1.11.17", project) != views_fingerprint("1.11.16", project)
