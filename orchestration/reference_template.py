"""What every new warehouse starts from: the reference seeds and the views, made and tested once.

The first refresh of a warehouse would load the 13 reference seeds, make the 23 staging and
intermediate views and the 10 check views and run the tests of the seeds and of the staging
and intermediate views (~100 dbt nodes, seconds), although they change only when the project
does. `comex prepare` (`make setup`; again when the project changed) builds them once into
`target/comex/reference/comex.duckdb`, over an empty raw schema (the staging views read it) and
empty marts (the check views read them), and records their fingerprints there (`seed_state`).
A refresh with no warehouse yet starts its working copy from that file: its build then skips
what is current (seeds and their tests; views and theirs; the check views, whose tests it runs
on its marts), as every later refresh of a warehouse already does. That run reports the
template's own dbt results for the seeds, the staging and intermediate views and their tests
(kept beside it, `dbt_events.json`), so Dagster shows them materialized and their tests
evaluated as if the run had built them; the check views are reported kept, as by any refresh
that keeps them. A template whose seeds are not current is never used; one whose views are
not, only for its seeds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from orchestration.dbt_invocation import failure_message, run_dbt
from orchestration.dbt_project import MANIFEST_JSON, PARSE_DATABASE, TARGET_DIR, manifest_dict
from orchestration.dbt_selection import CHECK_MODELS_PATH, CHECK_VIEWS, VIEW_FOLDERS
from orchestration.ingestion import registry
from orchestration.seed_state import (
    record_seeds,
    record_views,
    seed_relations,
    seeds_current,
    seeds_fingerprint,
    views_current,
    views_fingerprint,
)
from orchestration.warehouse import connect

TEMPLATE = TARGET_DIR / "reference" / PARSE_DATABASE.name
EVENTS = TEMPLATE.parent / "dbt_events.json"
MARTS_PATH = "models/marts"
#: Seeds, the staging and intermediate views and the tests of nothing else (cautious: a test
#: whose parents are all built here); then the marts, empty, and the check views over them,
#: without their tests (they test a refresh's rows).
TEMPLATE_BUILD = [
    "build", "--select", "resource_type:seed", *VIEW_FOLDERS, f"path:{MARTS_PATH},resource_type:model", CHECK_VIEWS,
    "--exclude", "resource_type:unit_test", f"path:{MARTS_PATH},resource_type:test",
    f"path:{CHECK_MODELS_PATH},resource_type:test", "--indirect-selection", "cautious", "--quiet",
]  # fmt: skip
#: The nodes whose template results a new warehouse's first refresh does not report as its own:
#: it builds the marts again, and reports the check views kept.
NOT_REPLAYED_PATHS = (f"{MARTS_PATH}/", f"{CHECK_MODELS_PATH}/")


def current_template() -> Path | None:
    """The template when it holds the seeds exactly as the project has them, over the raw schema
    this comex writes (a copy of an older one would be refused at ingestion), else None."""
    if not MANIFEST_JSON.is_file():
        return None
    if not seeds_current(TEMPLATE, seeds_fingerprint(), seed_relations(MANIFEST_JSON)):
        return None
    with connect(TEMPLATE, read_only=True) as con:
        try:
            version = con.execute("select max(version) from raw.schema_version").fetchone()
        except duckdb.CatalogException:  # a template made before it held the raw schema: seeds only
            return None
    return TEMPLATE if version == (registry.RAW_SCHEMA_VERSION,) else None


def build_template() -> str | None:
    """Load and test the seeds into the template unless it is current.

    Returns what was done in words, or None when the template was already current. A seed that
    fails its tests leaves no template (every refresh then loads and tests the seeds itself, and
    says what failed); the reason is returned.
    """
    if current_template() and views_current(TEMPLATE, views_fingerprint()):
        return None
    building = TEMPLATE.parent.with_name(TEMPLATE.parent.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    database = building / TEMPLATE.name
    with connect(database) as con:
        registry.ensure_raw_schema(con)  # empty: the staging views read it
    run = run_dbt(TEMPLATE_BUILD, database, building / "dbt")
    if not run.success:
        shutil.rmtree(building, ignore_errors=True)
        return f"reference seeds not pre-loaded ({failure_message(run)}); every new warehouse loads them itself"
    record_seeds(database, seeds_fingerprint())
    record_views(database, views_fingerprint())
    nodes = manifest_dict()["nodes"]
    replayed = [event for event in run.events if not _defined_in(event, nodes).startswith(NOT_REPLAYED_PATHS)]
    (building / EVENTS.name).write_text(json.dumps(replayed), encoding="utf-8")
    shutil.rmtree(building / "dbt", ignore_errors=True)
    shutil.rmtree(TEMPLATE.parent, ignore_errors=True)
    building.rename(TEMPLATE.parent)
    return f"reference seeds and views made and tested ({len(run.seconds_by_node)} dbt nodes): {TEMPLATE}"


def _defined_in(event: dict[str, Any], nodes: dict[str, Any]) -> str:
    """The project file that defines the node of a dbt result event (a test: its yml file)."""
    unique_id = event.get("data", {}).get("node_info", {}).get("unique_id", "")
    return str(nodes.get(unique_id, {}).get("original_file_path", ""))


def template_events() -> list[dict[str, Any]]:
    """dbt's result events of the seed build that made the template (none if it has none)."""
    try:
        return json.loads(EVENTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
