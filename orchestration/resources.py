"""The run-scoped resource of a refresh (paths, the writer lock, the working copies) and its run config."""

import contextlib
import shutil
import threading
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from orchestration import dbt_project, raw_archive, reference_template, warehouse
from orchestration.engine import DUCKDB
from orchestration.exports import publication
from orchestration.quality import worker as quality_worker
from orchestration.settings import Paths


class ComexResource(ConfigurableResource):
    """Where a refresh reads and writes. Empty strings mean: env var, then default.

    For the length of a run it holds the warehouse's writer lock and a working copy of the
    warehouse; exports are written to a staging folder. Nothing reaches the live warehouse or
    the published exports before the `published_refresh` asset swaps them in.
    """

    raw_dir: str = ""
    warehouse: str = ""
    exports_dir: str = ""
    sample: bool = False
    accept_revisions: bool = False  # the national revision gate lets this run's new vintages through
    engine: str = ""  # duckdb or spark (orchestration/engine.py): empty means COMEX_ENGINE, then duckdb

    _stack: contextlib.ExitStack | None = PrivateAttr(default=None)

    @property
    def paths(self) -> Paths:
        return Paths.resolve(self.raw_dir or None, self.warehouse or None, self.exports_dir or None, sample=self.sample)

    @property
    def engine_name(self) -> str:
        """The engine that builds the dbt project in this run: duckdb or spark."""
        from orchestration.engine import resolve_engine

        return resolve_engine(self.engine or None)

    @property
    def working_warehouse(self) -> Path:
        return warehouse.working_copy_path(self.paths.warehouse)

    @property
    def staging_exports_dir(self) -> Path:
        return self.paths.exports_dir / ".staging"

    def setup_for_execution(self, context: InitResourceContext) -> None:
        paths = self.paths
        stack = contextlib.ExitStack()
        stack.enter_context(warehouse.writer_lock(paths.warehouse))
        self._stack = stack
        try:
            stack.enter_context(publication.exports_lock(paths.exports_dir))
        except Exception:
            stack.close()
            raise
        publication.recover(paths.exports_dir)  # roll forward a publication a kill interrupted
        raw_archive.settle(paths.warehouse)  # the raw files a killed run left: kept if published, else dropped
        warehouse.start_working_copy(paths.warehouse, reference_template.current_template())
        self._reset_staging_exports()
        quality_worker.start()  # GX imports in its own process while the run ingests
        if self.engine_name == DUCKDB and dbt_project.is_prepared():  # (Spark parses the project for itself)
            threading.Thread(target=_warm_up, name="comex-warm-up", daemon=True).start()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        warehouse.discard(self.working_warehouse)
        raw_archive.settle(self.paths.warehouse)  # this run's raw files: kept if it published, else dropped
        shutil.rmtree(self.staging_exports_dir, ignore_errors=True)
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def _reset_staging_exports(self) -> None:
        exports_dir = self.paths.exports_dir
        exports_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.staging_exports_dir, ignore_errors=True)  # left over by a killed run
        self.staging_exports_dir.mkdir()


def resource_config(paths: Paths, *, sample: bool, accept_revisions: bool = False, engine: str = "") -> dict:
    """The `comex` resource's run config for these locations (and engine: empty means COMEX_ENGINE's)."""
    return {
        "comex": {
            "config": {
                "raw_dir": str(paths.raw_dir),
                "warehouse": str(paths.warehouse),
                "exports_dir": str(paths.exports_dir),
                "sample": sample,
                "accept_revisions": accept_revisions,
                "engine": engine,
            }
        }
    }


def paths_of_run(run_config: dict | None) -> Paths:
    """The locations a run used (its `comex` resource config, else env vars and defaults)."""
    config = ((run_config or {}).get("resources", {}).get("comex", {}) or {}).get("config", {}) or {}
    return Paths.resolve(
        config.get("raw_dir") or None,
        config.get("warehouse") or None,
        config.get("exports_dir") or None,
        sample=bool(config.get("sample", False)),
    )


def engine_of_run(run_config: dict | None) -> str:
    """The engine a run used (its `comex` resource config, else COMEX_ENGINE, else duckdb)."""
    from orchestration.engine import resolve_engine

    config = ((run_config or {}).get("resources", {}).get("comex", {}) or {}).get("config", {}) or {}
    return resolve_engine(config.get("engine") or None)


def _warm_up() -> None:
    """What the later steps need, loaded while the run ingests (DuckDB holds the cores then, not
    the GIL): pandas for the check steps' frames (DuckDB's `.df()`, ~0.2 s), dbt's manifest
    (~0.3 s), and dbt's runner and build task with the DuckDB adapter (~0.5 s)."""
    import pandas  # noqa: F401

    dbt_project.parsed_manifest()
    import dbt.adapters.duckdb.impl
    import dbt.cli.main
    import dbt.task.build  # noqa: F401
