"""dbt's invocation and the garbage collector: `comex refresh` freezes its heap before the run
(orchestration/cli.py) and dbt's invocation leaves it frozen; any other caller gets its heap back
as it was (what the invocation froze is unfrozen after it)."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.dbt_invocation import run_dbt

pytestmark = pytest.mark.integration


@pytest.fixture
def warehouse(sample_warehouse: Path, tmp_path: Path) -> Iterator[Path]:
    copy = Path(shutil.copy(sample_warehouse, tmp_path / "comex.duckdb"))
    gc.unfreeze()
    yield copy
    gc.unfreeze()


def _view_built(warehouse: Path, target: Path) -> None:
    run = run_dbt(["run", "--select", "fct_trade_flows"], warehouse, target)
    assert run.success, run.failures


def test_a_heap_not_frozen_before_dbt_runs_is_not_frozen_after(warehouse: Path, tmp_path: Path) -> None:
    _view_built(warehouse, tmp_path / "dbt")
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_heap_frozen_before_dbt_runs_stays_frozen(warehouse: Path, tmp_path: Path) -> None:
    gc.freeze()
    assert gc.get_freeze_count() > 0
    _view_built(warehouse, tmp_path / "dbt")
    assert gc.get_freeze_count() > 0  # (a frozen object freed since is no longer counted)
    assert gc.isenabled()
