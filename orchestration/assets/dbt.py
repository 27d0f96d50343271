"""dbt models, seeds and tests as Dagster assets and asset checks, built by dbt in this process.

dagster-dbt defines the assets from the manifest (`@dbt_assets`); the step runs `dbt build`
through dbt's programmatic runner with the manifest parsed once (orchestration/dbt_invocation.py)
and turns each node's result into a Dagster materialisation or asset check with dagster-dbt's
own event conversion. What a refresh builds and leaves out, by what the warehouse already
holds (seeds, views, check views, full or incremental): orchestration/dbt_selection.py. The
check views it keeps are reported materialized, before their tests' results.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, MaterializeResult
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_dbt.asset_utils import get_subset_selection_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration.assets.ingestion import CUSTOMS_FILES_KEY
from orchestration.check_models import describe_failed_node
from orchestration.dbt_invocation import DbtBuildError, failure_message, run_dbt
from orchestration.dbt_project import comex_dbt_project, manifest_dict, manifest_path
from orchestration.dbt_selection import (
    CHECK_MODELS_PATH,
    CHECK_VIEWS,
    INDIRECT_SELECTION,
    build_arguments,
    views_built,
)
from orchestration.engine import DUCKDB
from orchestration.quality.settings import QualitySettings
from orchestration.reference_template import template_events
from orchestration.refresh_record import built_by_current_project
from orchestration.resources import ComexResource
from orchestration.seed_state import (
    record_seeds,
    record_views,
    seed_relations,
    seeds_current,
    seeds_fingerprint,
    views_current,
    views_fingerprint,
)
from orchestration.warehouse import connect_read_only, dbt_target_dir, last_ids


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


TRANSLATOR = ComexDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_duplicate_source_asset_keys=True)
)


@dbt_assets(
    manifest=manifest_path(),
    project=comex_dbt_project,
    dagster_dbt_translator=TRANSLATOR,
)
def comex_dbt_assets(context: AssetExecutionContext, comex: ComexResource) -> Iterator[Any]:
    """`dbt build` on the run's working copy of the warehouse, in process; dbt tests are asset checks."""
    database = comex.working_warehouse
    engine = comex.engine_name  # on Spark (orchestration/spark_engine.py): seeds and every model, always
    seeds = seed_relations(manifest_path())
    fingerprint, views_print = seeds_fingerprint(), views_fingerprint()
    seeds_loaded = engine == DUCKDB and not context.is_subset and seeds_current(database, fingerprint, seeds)
    views_made = engine == DUCKDB and not context.is_subset and views_current(database, views_print)
    published = last_ids(comex.paths.warehouse)
    exclude, options, notes = build_arguments(
        seeds_loaded=seeds_loaded,
        views_made=views_made,
        project_unchanged=engine == DUCKDB and built_by_current_project(comex.paths.warehouse),
        new_labels=_new_label_lists(comex, published),
        max_national_revision=QualitySettings.from_env().max_national_revision,
        last_vintage=published["vintages"],
    )
    selection, indirect = ["--exclude", *exclude], INDIRECT_SELECTION
    if context.is_subset:  # the assets and checks picked in the UI (a check view picked is made again)
        selection, indirect = get_subset_selection_for_context(
            context,
            manifest_dict(),
            None,
            " ".join(item for item in exclude if item != CHECK_VIEWS),
            None,
            TRANSLATOR,
            os.environ.get("DBT_INDIRECT_SELECTION"),
        )
    if context.is_subset:  # dagster-dbt's subset selection drops the exclusions: a model's unit tests share its name
        selection += ["--exclude", "resource_type:unit_test"]
    args = ["build", *selection, *(["--indirect-selection", indirect] if indirect else []), *options]
    for note in notes:
        context.log.info(note)
    if engine != DUCKDB:
        context.log.info(f"engine: {engine} (dbt-spark): every seed and model built on Spark, its tables loaded here")
    target_dir = dbt_target_dir(comex.paths.warehouse)
    run = run_dbt(args, database, target_dir, engine=engine, live_warehouse=comex.paths.warehouse)
    kept = _kept_check_views() if CHECK_VIEWS in exclude and not context.is_subset else {}
    replayed = _template_results(run.events) if seeds_loaded and not comex.paths.warehouse.exists() else []
    for raw_event in [*replayed, *run.events]:  # a new warehouse's seeds and views: the template's results
        for parent in _parents(raw_event) & kept.keys():  # a kept check view, before its first test's result
            yield kept.pop(parent)
        event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=manifest_dict(), dagster_dbt_translator=TRANSLATOR, context=context, project=comex_dbt_project
        )
    if not run.success:
        with connect_read_only(database) as con:
            raise DbtBuildError(failure_message(run, lambda unique_id: describe_failed_node(con, unique_id)))
    if engine == DUCKDB and not seeds_loaded and not context.is_subset:
        record_seeds(database, fingerprint)
    if engine == DUCKDB and views_built(exclude) and not context.is_subset:
        record_views(database, views_print)


def _kept_check_views() -> dict[str, MaterializeResult]:
    """The check views this run kept, by unique id: reported materialized, as what they show is
    new (they read the marts it built), and the exports downstream of them wait for their checks."""
    return {
        unique_id: MaterializeResult(
            asset_key=TRANSLATOR.get_asset_key(node),
            metadata={"dbt": "view kept (made by the warehouse's last full rebuild), over this run's marts"},
        )
        for unique_id, node in manifest_dict()["nodes"].items()
        if node["resource_type"] == "model" and node["original_file_path"].startswith(CHECK_MODELS_PATH)
    }


def _parents(event: dict[str, Any]) -> set[str]:
    """The nodes the node of a dbt result event depends on."""
    node = manifest_dict()["nodes"].get(_node_id(event) or "", {})
    return set(node.get("depends_on", {}).get("nodes", []))


def _template_results(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The template's dbt results for the nodes this run did not build itself (a node reported
    twice would be materialized twice by one step)."""
    built = {_node_id(event) for event in events}
    return [event for event in template_events() if _node_id(event) not in built]


def _node_id(event: dict[str, Any]) -> str | None:
    return event.get("data", {}).get("node_info", {}).get("unique_id")


def _new_label_lists(comex: ComexResource, published: dict[str, int]) -> bool:
    """Did this run's ingestion bring label lists the live warehouse did not have?"""
    with connect_read_only(comex.working_warehouse) as con:
        row = con.execute("select coalesce(max(label_file_id), 0) from raw.label_files").fetchone()
    return bool(row and row[0] > published["label_files"])
