"""Whether a warehouse already holds the reference seeds exactly as `seeds/` has them.

The 13 reference seeds and their ~80 tests cost several seconds of every `dbt build`, yet
they change only when the project changes. After a build that loaded all of them, their
fingerprint (seed files, dbt project files, dbt version) is written into the warehouse; the
next refresh skips seeds and their tests when the fingerprint matches and every seed table is
still there. Any change to a seed, its configuration or dbt reloads and retests them all.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.checksums import tree_sha256
from orchestration.settings import REPO_ROOT
from orchestration.warehouse import connect

STATE_TABLE = "reference.seed_state"
_FILES = ("dbt_project.yml", "profiles.yml")
_FOLDERS = ("seeds",)


def seeds_fingerprint(dbt_version: str, root: Path = REPO_ROOT) -> str:
    """sha256 of what the loaded seeds depend on: their files, the dbt project files, dbt's version."""
    return f"{tree_sha256(root, _FILES, _FOLDERS)}-dbt{dbt_version}"


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
        schema, table = STATE_TABLE.split(".")
        if (schema, table) not in tables or not all(r in tables for r in relations):
            return False
        stored = con.execute(f"select fingerprint from {STATE_TABLE}").fetchall()
    return stored == [(fingerprint,)]


def record_seeds(database: Path, fingerprint: str) -> None:
    """Note in `database` that its seed tables are those of `fingerprint`."""
    with connect(database) as con:
        con.execute(f"create schema if not exists {STATE_TABLE.split('.')[0]}")
        con.execute(
            f"create or replace table {STATE_TABLE} as "
            "select ?::varchar as fingerprint, current_timestamp as loaded_at",
            [fingerprint],
        )
