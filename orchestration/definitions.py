"""Dagster definitions: the refresh job and everything it materialises.

Asset graph: customs_files → dbt seeds/models (dbt tests as asset checks) → export_tables →
published_refresh. The `comex` CLI runs the same `refresh` job in process.
Unattended: the `monthly_refresh` schedule runs `fetch_and_refresh` (fetched_files → the same
graph); `raw_dir_sensor` runs `refresh` when new files settle in the drop zone.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.assets.checks import QUALITY_CHECKS
from orchestration.assets.dbt import comex_dbt_assets
from orchestration.assets.exports import export_tables
from orchestration.assets.fetch import FETCHED_FILES_KEY, fetched_files
from orchestration.assets.ingestion import customs_files
from orchestration.assets.publication import published_refresh
from orchestration.console import comex_console
from orchestration.resources import ComexResource
from orchestration.run_guard import WRITER_TAGS
from orchestration.schedules import fetch_and_refresh_job, monthly_refresh
from orchestration.sensors import raw_dir_sensor, record_refresh_failure, record_refresh_success

REFRESH_JOB_NAME = "refresh"

refresh_job = define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=AssetSelection.all() - AssetSelection.assets(FETCHED_FILES_KEY),
    # One process for the whole run: it holds the warehouse's writer lock from start to end.
    executor_def=in_process_executor,
    tags=WRITER_TAGS,
    description="Ingest new customs files, build and test the marts, write and publish the exports.",
)

defs = Definitions(
    assets=[fetched_files, customs_files, comex_dbt_assets, export_tables, published_refresh],
    asset_checks=QUALITY_CHECKS,  # GX suites: blocking checks on raw flows, marts, exports
    jobs=[refresh_job, fetch_and_refresh_job],
    schedules=[monthly_refresh],
    sensors=[raw_dir_sensor, record_refresh_success, record_refresh_failure],
    loggers={"comex_console": comex_console},
    resources={"comex": ComexResource()},
)
