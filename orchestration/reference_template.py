"""The reference seeds, loaded and tested once per version of them, for every new warehouse.

The first refresh of a warehouse would load the 13 reference seeds and run their tests (61
dbt nodes, a few seconds), although they change only when the project does. `comex prepare`
(`make setup`; a refresh, when the project changed) builds them once into
`target/comex/reference/comex.duckdb` and records their fingerprint there
(`seed_state.record_seeds`). A refresh with no warehouse yet starts its working copy from that
file: `seeds_current()` then holds and its build skips seeds and their tests, as every later
refresh of a warehouse already does. That run reports the template's own dbt results (kept
beside it, `dbt_events.json`), so Dagster shows the seeds materialized and their tests
evaluated as if the run had built them. Should the seeds change, the template is rebuilt by the
next `prepare`; a template that is not current is never used.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from orchestration.dbt_invocation import failure_message, run_dbt
from orchestration.dbt_project import MANIFEST_JSON, PARSE_DATABASE, TARGET_DIR
from orchestration.seed_state import record_seeds, seed_relations, seeds_current, seeds_fingerprint

TEMPLATE = TARGET_DIR / "reference" / PARSE_DATABASE.name
EVENTS = TEMPLATE.parent / "dbt_events.json"
SEED_BUILD = ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious", "--quiet"]


def _fingerprint() -> str:
    from dbt.version import __version__ as dbt_version

    return seeds_fingerprint(dbt_version)


def current_template() -> Path | None:
    """The template when it holds the seeds exactly as the project has them, else None."""
    if not MANIFEST_JSON.is_file():
        return None
    return TEMPLATE if seeds_current(TEMPLATE, _fingerprint(), seed_relations(MANIFEST_JSON)) else None


def build_template() -> str | None:
    """Load and test the seeds into the template unless it is current.

    Returns what was done in words, or None when the template was already current. A seed that
    fails its tests leaves no template (every refresh then loads and tests the seeds itself, and
    says what failed); the reason is returned.
    """
    if current_template():
        return None
    building = TEMPLATE.parent.with_name(TEMPLATE.parent.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    database = building / TEMPLATE.name
    run = run_dbt(SEED_BUILD, database, building / "dbt")
    if not run.success:
        shutil.rmtree(building, ignore_errors=True)
        return f"reference seeds not pre-loaded ({failure_message(run)}); every new warehouse loads them itself"
    record_seeds(database, _fingerprint())
    (building / EVENTS.name).write_text(json.dumps(run.events), encoding="utf-8")
    shutil.rmtree(building / "dbt", ignore_errors=True)
    shutil.rmtree(TEMPLATE.parent, ignore_errors=True)
    building.rename(TEMPLATE.parent)
    return f"reference seeds loaded and tested ({len(run.seconds_by_node)} dbt nodes): {TEMPLATE}"


def template_events() -> list[dict[str, Any]]:
    """dbt's result events of the seed build that made the template (none if it has none)."""
    try:
        return json.loads(EVENTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
