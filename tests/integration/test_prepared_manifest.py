"""The manifest a refresh runs is comex's own parse: dbt run by hand does not change it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.dbt_project import MANIFEST_JSON, is_prepared, prepare, project_args
from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def test_dbt_parse_by_hand_on_another_target_leaves_the_refresh_manifest() -> None:
    prepare()
    before = MANIFEST_JSON.read_bytes()
    dbt = str(Path(sys.executable).with_name("dbt"))
    done = subprocess.run(
        [dbt, "parse", "--target", "spark", *project_args()], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert (REPO_ROOT / "target" / "manifest.json").is_file()  # dbt's own target/, as a user expects
    assert MANIFEST_JSON.read_bytes() == before and is_prepared()
