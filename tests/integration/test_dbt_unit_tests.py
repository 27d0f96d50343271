"""dbt `unit_tests:` (ranking, ties, AUTRES folding, highlights) run for real with dbt test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def test_dbt_unit_tests_pass(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "comex.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    dbt = str(Path(sys.executable).with_name("dbt"))
    result = subprocess.run(
        [dbt, "test", "--select", "test_type:unit", "--project-dir", str(REPO_ROOT), "--profiles-dir",
         str(REPO_ROOT), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        capture_output=True, text=True, env={**os.environ, "COMEX_DBT_DATABASE": str(warehouse)},
        timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    done = next(line for line in result.stdout.splitlines() if "Done. PASS=" in line)
    passed = int(done.split("PASS=")[1].split()[0])
    assert passed >= 5, done
    assert "ERROR=0" in done
