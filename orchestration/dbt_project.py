"""The dbt project: parsed once (at set-up, or when its files change), then loaded in a blink.

`make setup` and `comex refresh` (before it loads the Dagster definitions) call `prepare()`:
dbt parses the project in this process, and only when its files changed since the last parse
(their fingerprint is kept beside the manifest). Loading the Dagster definitions never parses.
A refresh loads the parsed manifest (`parsed_manifest()`, ~0.1 s) and hands it to dbt's
programmatic runner (`orchestration/dbt_invocation.py`): no parse, no subprocess.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster_dbt import DbtProject

from orchestration.checksums import tree_sha256
from orchestration.errors import ComexError
from orchestration.settings import REPO_ROOT, environment

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from dbt.contracts.graph.manifest import Manifest

comex_dbt_project = DbtProject(project_dir=REPO_ROOT, profiles_dir=REPO_ROOT)

#: comex's own parse of the project, apart from target/: a `dbt build` run by hand (on any
#: target, e.g. `--target spark`) writes target/manifest.json and must not change what a refresh runs.
TARGET_DIR = REPO_ROOT / "target" / "comex"
MANIFEST_JSON = TARGET_DIR / "manifest.json"
_PARSED = TARGET_DIR / "partial_parse.msgpack"  # dbt's own serialisation of the parsed manifest
_FINGERPRINT = TARGET_DIR / "manifest.fingerprint"
DBT_DATABASE_ENV = "COMEX_DBT_DATABASE"  # profiles.yml reads the warehouse path from it
#: The catalog a parse records for every node is the database file's stem: the project is
#: always parsed as `comex`, the name of every warehouse dbt writes (a refresh's working copy).
PARSE_DATABASE = TARGET_DIR / "comex.duckdb"
#: What a parse depends on.
SOURCE_FILES = ("dbt_project.yml", "profiles.yml")
SOURCE_FOLDERS = ("models", "seeds", "macros")


def project_args() -> list[str]:
    """The arguments every dbt command of comex starts with."""
    return ["--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT)]


def source_fingerprint() -> str:
    """sha256 of the dbt project's files and dbt's version: a parse is current when it matches."""
    from dbt.version import __version__ as dbt_version

    return f"{tree_sha256(REPO_ROOT, SOURCE_FILES, SOURCE_FOLDERS)}-dbt{dbt_version}"


def is_prepared() -> bool:
    try:
        stored = _FINGERPRINT.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return False
    return MANIFEST_JSON.is_file() and _PARSED.is_file() and stored == source_fingerprint()


def prepare() -> Path:
    """Parse the dbt project in this process if its files changed since the last parse."""
    if is_prepared():
        return MANIFEST_JSON
    from dbt.cli.main import dbtRunner

    fingerprint = source_fingerprint()
    with dbt_database(PARSE_DATABASE):  # whatever COMEX_WAREHOUSE says: the manifest names `comex`
        result = dbtRunner().invoke(["parse", *project_args(), "--target-path", str(TARGET_DIR), "--quiet"])
    if not result.success:
        raise ComexError(f"dbt could not parse the project: {result.exception or 'see logs/dbt.log'}")
    _FINGERPRINT.write_text(fingerprint + "\n", encoding="utf-8")
    _loaded_manifest.cache_clear()
    manifest_dict.cache_clear()
    return MANIFEST_JSON


def dbt_database(path: Path) -> AbstractContextManager[None]:
    """dbt's profile points at `path` for the duration (COMEX_DBT_DATABASE), then as before."""
    return environment({DBT_DATABASE_ENV: str(path)})


def manifest_path() -> Path:
    """The manifest the Dagster definitions are built from (never parsed here: see prepare())."""
    if not MANIFEST_JSON.is_file():
        raise ComexError(
            f"the dbt manifest {MANIFEST_JSON} is missing: run `make setup` (or `.venv/bin/comex prepare`)"
        )
    return MANIFEST_JSON


def parsed_manifest() -> Manifest:
    """The parsed project as dbt's runner takes it (dbt's msgpack of the manifest, loaded once)."""
    with _MANIFEST_LOCK:  # a load begun in another thread (resources._warm_up) is waited for, not repeated
        return _loaded_manifest()


def forget_manifest() -> None:
    """Drop the loaded manifest (it holds a dbt lock)."""
    with _MANIFEST_LOCK:
        _loaded_manifest.cache_clear()


_MANIFEST_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _loaded_manifest() -> Manifest:
    from dbt.contracts.graph.manifest import Manifest

    prepare()
    return Manifest.from_msgpack(_PARSED.read_bytes())


@lru_cache(maxsize=1)
def manifest_dict() -> dict[str, Any]:
    """manifest.json, as dagster-dbt reads it to turn dbt results into Dagster events."""
    return json.loads(manifest_path().read_text(encoding="utf-8"))
