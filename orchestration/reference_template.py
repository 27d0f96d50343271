"""What every new warehouse starts from: the reference seeds and the views, made and tested once.

The first refresh of a warehouse would load the 13 reference seeds, make the 23 staging and intermediate views and run
the tests of both (~90 dbt nodes, seconds), although they change only when the project does.
`comex prepare` (`make setup`; again when the project changed) builds them once into
`target/comex/reference/comex.duckdb`, over an empty raw schema (the staging views read it),
and records their fingerprints there (`seed_state`). A refresh with no warehouse yet starts its
working copy from that file: its build then skips what is current (seeds and their tests; views
and theirs), as every later refresh of a warehouse already does. That run reports the
template's own dbt results for those nodes (kept beside it, `dbt_events.json`), so Dagster shows
them materialized and their tests evaluated as if the run had built them. A template whose
seeds are not current is never used; one whose views are not, only for its seeds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from orchestration.dbt_invocation import failure_message, run_dbt
from orchestration.dbt_project import MANIFEST_JSON, PARSE_DATABASE, TARGET_DIR
from orchestration.dbt_selection import VIEW_FOLDERS
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
#: Seeds, the staging and intermediate views and the tests of nothing else (cautious: a test
#: whose parents are all built here). Not the check views: they read marts, which a template has not.
TEMPLATE_BUILD = [
    "build", "--select", "resource_type:seed", *VIEW_FOLDERS, "--exclude", "resource_type:unit_test",
    "--indirect-selection", "cautious", "--quiet",
]  # fmt: skip


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
    (building / EVENTS.name).write_text(json.dumps(run.events), encoding="utf-8")
    shutil.rmtree(building / "dbt", ignore_errors=True)
    shutil.rmtree(TEMPLATE.parent, ignore_errors=True)
    building.rename(TEMPLATE.parent)
    return f"reference seeds and views made and tested ({len(run.seconds_by_node)} dbt nodes): {TEMPLATE}"


def template_events() -> list[dict[str, Any]]:
    """dbt's result events of the seed build that made the template (none if it has none)."""
    try:
        return json.loads(EVENTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
