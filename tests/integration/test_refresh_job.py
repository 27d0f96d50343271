"""The refresh job for real: Dagster in process, dbt build, exports, publication."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration import warehouse
from orchestration.dagster_home import EXAMPLE_CONFIG, PENDING_DIR, import_pending_runs
from orchestration.definitions import defs
from orchestration.exports.contract import MART_TABLES
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.runner import RunOutcome, run_refresh
from orchestration.sample.bundle import SAMPLE_YEARS, sample_scale
from orchestration.settings import Paths

pytestmark = pytest.mark.integration


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_definitions_load_with_the_expected_graph() -> None:
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"customs_files", "export_tables", "published_refresh", "marts/fct_trade_flows"} <= keys
    staging = next(k for k in graph.get_all_asset_keys() if k.to_user_string() == "staging/stg_customs__flows")
    assert "customs_files" in {k.to_user_string() for k in graph.get(staging).parent_keys}
    exports = next(k for k in graph.get_all_asset_keys() if k.to_user_string() == "export_tables")
    assert {f"marts/{t.mart}" for t in MART_TABLES} <= {k.to_user_string() for k in graph.get(exports).parent_keys}
    dbt_checks = [c for c in graph.asset_check_keys if c.asset_key.to_user_string().startswith("marts/")]
    assert len(dbt_checks) >= 10, "dbt tests on the marts are Dagster asset checks"
    assert defs.resolve_job_def(REFRESH_JOB_NAME) is not None


def test_sample_refresh_publishes_warehouse_and_exports(sample_refresh: tuple[Paths, RunOutcome]) -> None:
    paths, outcome = sample_refresh
    assert outcome.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.vintages").fetchone() == (2 * len(SAMPLE_YEARS),)
        assert con.execute("select count(*) from raw.customs_flows").fetchone() == (
            sum(sample_scale(year) for year in SAMPLE_YEARS),
        )
        assert con.execute("select count(*) from marts.territory_totals where year = 2024").fetchone()[0] > 200
    for table in MART_TABLES:
        assert (paths.exports_dir / f"{table.name}.csv").stat().st_size > 0
        assert (paths.exports_dir / f"{table.name}.parquet").stat().st_size > 0
    manifest = json.loads((paths.exports_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [v["file_name"] for v in manifest["source_vintages"]] == sorted(p.name for p in paths.raw_dir.glob("*.zip"))
    assert not warehouse.working_copy_path(paths.warehouse).exists()
    assert not (paths.exports_dir / ".staging").exists()
    # dbt's artifacts of the run beside its warehouse, not in the repository's target/
    assert (paths.warehouse.parent / "dbt" / "run_results.json").is_file()


def test_the_refresh_is_in_the_persistent_dagster_instance_with_its_assets_and_checks(
    sample_refresh: tuple[Paths, RunOutcome],
) -> None:
    """What `make dagster` shows after `make run`: the run, every asset materialized, every check."""
    home = sample_refresh[0].warehouse.parent / "dagster_home"
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == EXAMPLE_CONFIG.read_text(encoding="utf-8")
    import_pending_runs(home)  # what the CLI starts in the background, and `make dagster` does first
    assert not list((home / PENDING_DIR).glob("*.json.gz"))
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    with DagsterInstance.from_config(str(home)) as instance:
        first = instance.get_runs(filters=RunsFilter(job_name=REFRESH_JOB_NAME), ascending=True)[0]
        assert first.status == DagsterRunStatus.SUCCESS and first.tags["comex/trigger"] == "cli"
        keys = job.asset_layer.executable_asset_keys
        assert len(keys) >= 40
        never = [k.to_user_string() for k in keys if instance.get_latest_materialization_event(k) is None]
        assert never == []
        checks = job.asset_layer.asset_graph.asset_check_keys
        evaluated = [c for c in checks if instance.event_log_storage.get_asset_check_execution_history(c, limit=1)]
        assert len(evaluated) == len(checks) > 0


def test_second_refresh_without_new_files_changes_nothing(sample_refresh: tuple[Paths, RunOutcome]) -> None:
    paths, _ = sample_refresh
    before = _digest(paths.exports_dir)
    outcome = run_refresh(paths, sample=True)
    assert outcome.success
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.vintages").fetchone() == (2 * len(SAMPLE_YEARS),)
    assert _digest(paths.exports_dir) == before
