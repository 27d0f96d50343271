"""dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt)."""

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_dbt.compat import DBT_PYTHON_VERSION

from orchestration.assets.ingestion import CUSTOMS_FILES_KEY
from orchestration.dbt_project import comex_dbt_project, ensure_manifest
from orchestration.refresh_record import built_by_current_project
from orchestration.resources import ComexResource
from orchestration.seed_state import record_seeds, seed_relations, seeds_current, seeds_fingerprint

DBT_DATABASE_ENV = "COMEX_DBT_DATABASE"
PARTIAL_PARSE = "partial_parse.msgpack"
KEPT_RUN_TARGETS = 5  # dagster-dbt writes each run's artifacts to target/<op>-<ids>/ (~10 MB)


class ComexDbtTranslator(DagsterDbtTranslator):
    """Raw sources are the `customs_files` asset; models are grouped by their folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source" and dbt_resource_props["source_name"] == "raw":
            return AssetKey(CUSTOMS_FILES_KEY)
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


@contextmanager
def _dbt_database(path: str) -> Iterator[None]:
    previous = os.environ.get(DBT_DATABASE_ENV)
    os.environ[DBT_DATABASE_ENV] = path
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DBT_DATABASE_ENV, None)
        else:
            os.environ[DBT_DATABASE_ENV] = previous


@dbt_assets(
    manifest=ensure_manifest(),
    project=comex_dbt_project,
    dagster_dbt_translator=ComexDbtTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_duplicate_source_asset_keys=True)
    ),
)
def comex_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, comex: ComexResource) -> Iterator[Any]:
    """`dbt build` on the run's working copy of the warehouse; each dbt data test is an asset check.

    dbt unit tests check the models' logic, not the data: they run in the test suite, not here.
    Reference seeds already loaded, unchanged, into this warehouse are neither reloaded nor
    retested (`orchestration/seed_state.py`). Incremental models (fct_trade_flows by period;
    int_flows__territories, partner_ranking, product_activity and flow_links by year) are
    rebuilt from scratch unless the last successful refresh of this warehouse was built by the
    same dbt project.
    """
    database = comex.working_warehouse
    fingerprint = seeds_fingerprint(str(DBT_PYTHON_VERSION))
    seeds = seed_relations(comex_dbt_project.manifest_path)
    args = ["build", "--exclude-resource-type", "unit_test"]
    keep_seeds = not context.is_subset and seeds_current(database, fingerprint, seeds)
    if keep_seeds:
        args += ["--exclude", "resource_type:seed"]
        context.log.info(f"reference seeds unchanged since loaded: {len(seeds)} seeds and their tests not re-run")
    if not built_by_current_project(comex.paths.warehouse):
        args.append("--full-refresh")
        context.log.info("dbt project changed since the last successful refresh (or none yet): full rebuild")
    with _dbt_database(str(database)):
        invocation = dbt.cli(args, context=context)
        yield from invocation.stream()
    _keep_partial_parse(invocation.target_path)
    prune_run_targets(invocation.target_path, KEPT_RUN_TARGETS)
    if not keep_seeds and _loaded_every_seed(invocation.get_artifact("run_results.json"), len(seeds)):
        record_seeds(database, fingerprint)


def _loaded_every_seed(run_results: Mapping[str, Any], seed_count: int) -> bool:
    loaded = [r for r in run_results["results"] if r["unique_id"].startswith("seed.") and r["status"] == "success"]
    return seed_count > 0 and len(loaded) == seed_count


def _keep_partial_parse(run_target: Path) -> None:
    """Carry this run's parse cache to the project's target/, which the next run starts from.

    The working copy's path is part of the dbt profile; a cache made for another path makes dbt
    re-parse the whole project (~10 s). Refreshes of the same warehouse reuse each other's cache.
    """
    cache = run_target / PARTIAL_PARSE
    if cache.is_file():
        comex_dbt_project.target_path.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache, comex_dbt_project.target_path / PARTIAL_PARSE)


def prune_run_targets(run_target: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest run folders like `run_target` (same op) beside it.

    A monthly refresh would otherwise add one for ever. The newest ones stay for debugging
    (dbt.log, run_results.json); `run_target` itself is never removed. Returns the removed ones.
    """
    prefix = run_target.name.split("-")[0] + "-"
    runs = [p for p in run_target.parent.glob(prefix + "*") if p.is_dir() and p != run_target]
    runs.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    removed = runs[max(keep - 1, 0) :]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
