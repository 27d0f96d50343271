"""Session set-up shared by every test: the dbt project parsed once and the bundled sample
written, as `make setup` does."""

from __future__ import annotations

import os

import pytest

# Each test's refreshes are recorded in a Dagster instance beside its own warehouse, never in
# the operator's instance.
os.environ.pop("DAGSTER_HOME", None)


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project if it changed since the last parse (the Dagster definitions read its
    manifest), pre-load the reference seeds for new warehouses and write the bundled sample if it
    is missing, as `make setup` does. Under
    pytest-xdist (`make test`), only the controller does it, before it starts the workers."""
    if hasattr(config, "workerinput"):
        return
    from orchestration.dbt_project import prepare
    from orchestration.reference_template import build_template
    from orchestration.sample.bundle import ensure_bundled_sample

    prepare()
    build_template()
    ensure_bundled_sample()
