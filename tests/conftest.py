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


#: The longest integration modules, longest first (a six-year scenario, a browser, several CLI
#: refreshes). `make test` runs pytest-xdist with `--dist loadfile --no-loadscope-reorder`: modules
#: are handed out in collection order, first one to each worker, then a second one each (1 and 3
#: to one worker, 2 and 4 to the other), then one at a time to the worker that is free. The two
#: modules that share the six-year scenario (a session fixture) are 1 and 3: one worker, one
#: scenario.
SLOWEST_MODULES_FIRST = (
    "test_unattended_refresh.py",
    "test_fiches_browser.py",
    "test_indicators_match_pandas.py",
    "test_cli.py",
    "test_real_packages.py",
    "test_exports_atomic.py",
    "test_killed_refresh.py",
    "test_refresh_job.py",
)
#: The Spark modules (two to three minutes each, both cores of a JVM) run after the other
#: integration modules, beside the unit tests (light): run beside a refresh-heavy module, both took
#: twice as long. The local session's first, then the Thrift server's.
SPARK_MODULES = ("test_spark_parity.py", "test_spark_thrift.py")


def _module_order(item: pytest.Item) -> tuple[int, int]:
    name = item.path.name
    if name in SLOWEST_MODULES_FIRST:
        return 0, SLOWEST_MODULES_FIRST.index(name)
    if name in SPARK_MODULES:
        return 2, SPARK_MODULES.index(name)
    return (1 if item.path.parent.name == "integration" else 3), 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow integration modules first, the Spark modules beside the unit tests; otherwise the order stays."""
    items.sort(key=_module_order)
