"""Session set-up shared by every test: the dbt project parsed once, as `make setup` does."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project if it changed since the last parse: the Dagster definitions read its manifest."""
    from orchestration.dbt_project import prepare

    prepare()
