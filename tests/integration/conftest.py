"""Shared integration fixtures: one real refresh (Dagster job + dbt build) of the bundled sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.quality.settings import quality_dir
from orchestration.runner import RunOutcome, run_refresh
from orchestration.settings import SAMPLE_DIR, Paths

_FIRST_DATA_DOCS = "data_docs_of_the_first_refresh"


@pytest.fixture(scope="session")
def sample_refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, RunOutcome]:
    """The refresh job run in process on data/sample, into a private warehouse and exports dir."""
    root = tmp_path_factory.mktemp("sample-refresh")
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    outcome = run_refresh(paths, sample=True)
    assert outcome.success, f"sample refresh failed at {outcome.failed_step}: {outcome.error_message}"
    # a later refresh of this warehouse (test_refresh_job) replaces the Data Docs with its own run's
    shutil.copytree(quality_dir(paths.warehouse) / "data_docs", root / _FIRST_DATA_DOCS)
    return paths, outcome


@pytest.fixture(scope="session")
def sample_warehouse(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    """Path of the DuckDB warehouse built from the sample (open it read-only)."""
    return sample_refresh[0].warehouse


@pytest.fixture(scope="session")
def sample_data_docs(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    """The Data Docs folder as the sample refresh wrote it (a copy, whatever later runs do)."""
    return sample_refresh[0].warehouse.parent.parent / _FIRST_DATA_DOCS
