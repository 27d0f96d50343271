"""The dbt project as Dagster sees it, and the manifest our own code prepares."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import REPO_ROOT

comex_dbt_project = DbtProject(project_dir=REPO_ROOT, profiles_dir=REPO_ROOT)

_VENV_DBT = Path(sys.executable).with_name("dbt")
#: The dbt installed beside this Python (the project's .venv), whatever PATH says.
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")

_SOURCES = ("models", "seeds", "macros", "tests/dbt")
_SOURCE_FILES = ("dbt_project.yml", "profiles.yml")


def dbt_cli_resource(project: DbtProject = comex_dbt_project) -> DbtCliResource:
    """The dbt CLI resource pointing at this project and this environment's dbt."""
    return DbtCliResource(project_dir=project, profiles_dir=str(project.project_dir), dbt_executable=DBT_EXECUTABLE)


def _newest_source_mtime(root: Path) -> float:
    paths = [root / name for name in _SOURCE_FILES]
    for folder in _SOURCES:
        paths.extend(p for p in (root / folder).rglob("*") if p.is_file())
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def ensure_manifest(project: DbtProject = comex_dbt_project) -> Path:
    """Run `dbt parse` when the manifest is missing or older than any dbt source file."""
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(project.project_dir):
        dbt_cli_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return manifest
