"""read_yaml reads the project's YAML as yaml.safe_load does, faster, and as safely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.settings import REPO_ROOT
from orchestration.yaml_files import read_yaml


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
