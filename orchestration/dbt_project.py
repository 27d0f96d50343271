"""The dbt project as Dagster sees it, and the manifest our own code prepares."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.compat import DBT_PYTHON_VERSION

if TYPE_CHECKING:
    from packaging.version import Version

from orchestration.settings import REPO_ROOT

comex_dbt_project = DbtProject(project_dir=REPO_ROOT, profiles_dir=REPO_ROOT)

_VENV_DBT = Path(sys.executable).with_name("dbt")
#: The dbt installed beside this Python (the project's .venv), whatever PATH says.
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")

_SOURCES = ("models", "seeds", "macros", "tests/dbt")
_SOURCE_FILES = ("dbt_project.yml", "profiles.yml")


class ComexDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, without two start-up costs this project never uses.

    Before each `dbt` subprocess, `DbtCliResource.cli` runs `dbt --version` in another
    subprocess (~3 s) and loads a dbt adapter in process (~3 s) that only serves
    `fetch_column_metadata` / `fetch_row_counts`. The dbt it runs is the dbt-core installed in
    this environment (`DBT_EXECUTABLE`), whose version dagster-dbt already knows; and no asset
    here fetches column metadata or row counts through dagster-dbt.
    """

    @cached_property
    def _cli_version(self) -> Version:
        if DBT_PYTHON_VERSION is None or self.dbt_executable != DBT_EXECUTABLE:
            return super()._cli_version
        return DBT_PYTHON_VERSION

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_cli_resource(project: DbtProject = comex_dbt_project) -> DbtCliResource:
    """The dbt CLI resource pointing at this project and this environment's dbt."""
    return ComexDbtCliResource(
        project_dir=project, profiles_dir=str(project.project_dir), dbt_executable=DBT_EXECUTABLE
    )


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
