"""Shared integration fixtures: one real refresh (Dagster job + dbt build) of the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.runner import RunOutcome, run_refresh
from orchestration.settings import SAMPLE_DIR, Paths


@pytest.fixture(scope="session")
def sample_refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, RunOutcome]:
    """The refresh job run in process on data/sample, into a private warehouse and exports dir."""
    root = tmp_path_factory.mktemp("sample-refresh")
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    outcome = run_refresh(paths, sample=True)
    assert outcome.success, f"sample refresh failed at {outcome.failed_step}: {outcome.error_message}"
    return paths, outcome


@pytest.fixture(scope="session")
def sample_warehouse(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    """Path of the DuckDB warehouse built from the sample (open it read-only)."""
    return sample_refresh[0].warehouse
