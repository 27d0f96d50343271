"""Whether a warehouse already holds the project's data-independent parts: seeds and views.

The 13 reference seeds and their tests cost several seconds of every `dbt build`, and the 23
views (a stored query each, with the tests of the reference views) another second, yet they
change only when the project changes. After a build that made them, a fingerprint of what they
depend on is written into the warehouse (`reference.seed_state`, `reference.view_state`); the
next refresh skips them when it matches (and every seed table is still there). Any change to a
seed, a model, a macro, the raw schema or dbt makes and tests them all again.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.checksums import tree_sha256
from orchestration.settings import REPO_ROOT
from orchestration.warehouse import connect

STATE_TABLE = "reference.seed_state"
VIEW_STATE_TABLE = "reference.view_state"
_FILES = ("dbt_project.yml", "profiles.yml")
_FOLDERS = ("seeds",)
_VIEW_FILES = (*_FILES, "orchestration/ingestion/registry.py")  # the raw tables the staging views read
_VIEW_FOLDERS = ("models", "macros", "seeds")


def seeds_fingerprint(dbt_version: str | None = None, root: Path = REPO_ROOT) -> str:
    """sha256 of what the loaded seeds depend on: their files, the dbt project files, dbt's version
    (the installed one unless given)."""
    return f"{tree_sha256(root, _FILES, _FOLDERS)}-dbt{dbt_version or _installed_dbt()}"


def views_fingerprint(dbt_version: str | None = None, root: Path = REPO_ROOT) -> str:
    """sha256 of what the views depend on: models, macros, seeds, the raw schema, dbt's version."""
    return f"{tree_sha256(root, _VIEW_FILES, _VIEW_FOLDERS)}-dbt{dbt_version or _installed_dbt()}"


def _installed_dbt() -> str:
    from dbt.version import __version__

    return __version__


def seed_relations(manifest_path: Path) -> list[tuple[str, str]]:
    """(schema, table) of every seed of the project, from the dbt manifest."""
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    return sorted((n["schema"], n["alias"]) for n in nodes if n["resource_type"] == "seed")


def seeds_current(database: Path, fingerprint: str, relations: list[tuple[str, str]]) -> bool:
    """True when `database` was last seeded with this fingerprint and still has every seed table."""
    if not database.exists() or not relations:
        return False
    with connect(database, read_only=True) as con:
        tables = set(con.execute("select schema_name, table_name from duckdb_tables()").fetchall())
        if not all(r in tables for r in relations):
            return False
    return _stored(database, STATE_TABLE) == fingerprint


def record_seeds(database: Path, fingerprint: str) -> None:
    """Note in `database` that its seed tables are those of `fingerprint`."""
    _record(database, STATE_TABLE, fingerprint)


def views_current(database: Path, fingerprint: str) -> bool:
    """True when `database`'s views were last made by the project of this fingerprint."""
    return database.exists() and _stored(database, VIEW_STATE_TABLE) == fingerprint


def record_views(database: Path, fingerprint: str) -> None:
    """Note in `database` that its views (and the tests of the reference views) are those of `fingerprint`."""
    _record(database, VIEW_STATE_TABLE, fingerprint)


def _stored(database: Path, table: str) -> str | None:
    with connect(database, read_only=True) as con:
        schema, name = table.split(".")
        found = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
        ).fetchone()
        if not (found and found[0]):
            return None
        stored = con.execute(f"select fingerprint from {table}").fetchall()
    return stored[0][0] if len(stored) == 1 else None


def _record(database: Path, table: str, fingerprint: str) -> None:
    with connect(database) as con:
        con.execute(f"create schema if not exists {table.split('.')[0]}")
        con.execute(
            f"create or replace table {table} as select ?::varchar as fingerprint, current_timestamp as loaded_at",
            [fingerprint],
        )
