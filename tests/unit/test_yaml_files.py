"""read_yaml reads the project's YAML as yaml.safe_load does, faster, and as safely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.settings import REPO_ROOT
from orchestration.yaml_files import dbt_project_vars, read_yaml


@pytest.mark.parametrize(
    "relative",
    ["dbt_project.yml", "models/marts/_marts__models.yml", "orchestration/exports/contract_v1.yml"],
)
def test_the_project_files_read_as_safe_load_reads_them(relative: str) -> None:
    path = REPO_ROOT / relative
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_python_tag_is_refused_not_run(tmp_path: Path) -> None:
    path = tmp_path / "evil.yml"
    path.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(yaml.constructor.ConstructorError):
        read_yaml(path)


def test_dbt_project_vars_are_those_of_dbt_project_yml_and_a_copy() -> None:
    declared = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    read = dbt_project_vars()
    assert read == declared
    read["top_n"] = -1  # a caller's change stays its own
    assert dbt_project_vars() == declared
