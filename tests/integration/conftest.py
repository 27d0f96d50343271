"""Shared integration fixtures: one real refresh (Dagster job + dbt build) of the bundled sample, and
the unattended scenario (annual files, a no-op, then a last publication picked up by the sensor)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
)
from dagster._core.utils import make_new_run_id

from orchestration.quality.settings import quality_dir
from orchestration.resources import paths_of_run
from orchestration.run_guard import WRITER_TAGS
from orchestration.runner import RunOutcome, refresh_log_path, run_refresh
from orchestration.sample.generator import write_annual_zips, write_last_publication
from orchestration.schedules import monthly_refresh
from orchestration.sensors import raw_dir_sensor
from orchestration.settings import ENV_EXPORTS_DIR, ENV_RAW_DIR, ENV_WAREHOUSE, SAMPLE_DIR, Paths

_FIRST_REPORT = "quality_report_of_the_first_refresh.html"
COMEX = str(Path(sys.executable).with_name("comex"))
#: Rows per year of the unattended scenario's synthetic files, both flows together.
SCALE = 20_000
#: Years of the scenario's annual files: six, so that the last has a value five years earlier.
ANNUAL_YEARS = tuple(range(2019, 2025))


@pytest.fixture(scope="session")
def sample_refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, RunOutcome]:
    """The refresh job run in process on data/sample, into a private warehouse and exports dir."""
    root = tmp_path_factory.mktemp("sample-refresh")
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    outcome = run_refresh(paths, sample=True)
    assert outcome.success, f"sample refresh failed at {outcome.failed_step}: {outcome.error_message}"
    # a later refresh of this warehouse (test_refresh_job) replaces the report with its own run's
    shutil.copy(quality_dir(paths.warehouse) / "report.html", root / _FIRST_REPORT)
    return paths, outcome


@pytest.fixture(scope="session")
def sample_warehouse(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    """Path of the DuckDB warehouse built from the sample (open it read-only)."""
    return sample_refresh[0].warehouse


@pytest.fixture(scope="session")
def sample_report(sample_refresh: tuple[Paths, RunOutcome]) -> Path:
    """The quality report (report.html) as the sample refresh wrote it (a copy, whatever later runs do)."""
    return sample_refresh[0].warehouse.parent.parent / _FIRST_REPORT


READER = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
query = "select count(*), sum(valeur), (select count(*) from raw.vintages) from raw.customs_flows"
print(json.dumps(con.execute(query).fetchone()), flush=True)
sys.stdin.readline()
print(json.dumps(con.execute(query).fetchone()), flush=True)
"""


@dataclass
class Scenario:
    """What the unattended scenario did and saw (its paths, the no-op, the sensor, the second refresh)."""

    paths: Paths
    env: dict[str, str]
    last_publication: list[Path]
    noop: subprocess.CompletedProcess[str]
    noop_seconds: float
    exports_unchanged_by_noop: bool
    log_untouched_by_noop: bool
    sensor_results: dict[str, RunRequest | SkipReason]
    request: RunRequest
    outcome: RunOutcome
    sensor_run_seconds: float
    reader_before: list
    reader_after: list
    instance: DagsterInstance


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def evaluate_sensor(instance: DagsterInstance, cursor: str | None) -> tuple[RunRequest | SkipReason, str | None]:
    context = build_sensor_context(instance=instance, cursor=cursor, sensor_name=raw_dir_sensor.name)
    result = raw_dir_sensor(context)
    return result, context.cursor


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Annual files 2019–2024 refreshed, a no-op `comex refresh`, the sensor's evaluations, then the
    refresh it requests for the last publication (2024Q2–2025Q2, 2024 revised) while a reader holds
    the warehouse. Session-scoped: test_unattended_refresh and test_indicators_match_pandas share this
    one run; other modules only read it (test_unattended_refresh ends by recording a failed refresh)."""
    root = tmp_path_factory.mktemp("unattended")
    paths = Paths(raw_dir=root / "raw", warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    env = {
        ENV_RAW_DIR: str(paths.raw_dir),
        ENV_WAREHOUSE: str(paths.warehouse),
        ENV_EXPORTS_DIR: str(paths.exports_dir),
    }
    write_annual_zips(paths.raw_dir, ANNUAL_YEARS, scale=SCALE)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        first = run_refresh(paths)
        assert first.success, f"{first.failed_step}: {first.error_message}"

        exports_before = _digest(paths.exports_dir)
        log_mtime = refresh_log_path(paths).stat().st_mtime_ns
        started = time.perf_counter()
        noop = subprocess.run(
            [COMEX, "refresh"], capture_output=True, text=True, env={**os.environ, **env}, timeout=300, check=False
        )
        noop_seconds = time.perf_counter() - started
        exports_unchanged_by_noop = _digest(paths.exports_dir) == exports_before
        log_untouched_by_noop = refresh_log_path(paths).stat().st_mtime_ns == log_mtime

        (root / "dagster_home").mkdir()
        instance = DagsterInstance.local_temp(tempdir=str(root / "dagster_home"))
        results: dict[str, RunRequest | SkipReason] = {}
        results["first sight"], cursor = evaluate_sensor(instance, None)
        results["settled, all ingested"], cursor = evaluate_sensor(instance, cursor)
        results["nothing changed"], cursor = evaluate_sensor(instance, cursor)

        last_publication = write_last_publication(paths.raw_dir, (2025, 2), scale=SCALE, revision=0.1)
        results["new files"], cursor = evaluate_sensor(instance, cursor)
        os.utime(last_publication[1], ns=(time.time_ns(), time.time_ns()))  # still being copied
        results["still changing"], cursor = evaluate_sensor(instance, cursor)
        busy = DagsterRun(
            job_name="refresh", run_id=make_new_run_id(), status=DagsterRunStatus.STARTED, tags=WRITER_TAGS
        )
        instance.add_run(busy)
        results["another run writing"], cursor = evaluate_sensor(instance, cursor)
        results["schedule while busy"] = monthly_refresh(build_schedule_context(instance=instance))
        instance.delete_run(busy.run_id)
        request, cursor = evaluate_sensor(instance, cursor)
        assert isinstance(request, RunRequest), request

        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(paths.warehouse)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert reader.stdout is not None and reader.stdin is not None
        reader_before = json.loads(reader.stdout.readline())
        started = time.perf_counter()
        outcome = run_refresh(
            paths_of_run(request.run_config),
            instance=instance,
            job_name=request.job_name or raw_dir_sensor.job_name,
            tags=request.tags,
        )
        sensor_run_seconds = time.perf_counter() - started
        reader_after = json.loads(reader.communicate("go\n", timeout=60)[0])
        results["after the run"], cursor = evaluate_sensor(instance, cursor)
        results["after the run, again"], cursor = evaluate_sensor(instance, cursor)

    print(f"\nno-op refresh: {noop_seconds:.2f} s; sensor-triggered refresh: {sensor_run_seconds:.1f} s")
    return Scenario(
        paths=paths,
        env=env,
        last_publication=last_publication,
        noop=noop,
        noop_seconds=noop_seconds,
        exports_unchanged_by_noop=exports_unchanged_by_noop,
        log_untouched_by_noop=log_untouched_by_noop,
        sensor_results=results,
        request=request,
        outcome=outcome,
        sensor_run_seconds=sensor_run_seconds,
        reader_before=reader_before,
        reader_after=reader_after,
        instance=instance,
    )
