"""Dagster definitions: the refresh job and everything it materialises.

Asset graph: customs_files → dbt seeds/models (dbt tests as asset checks) → export_tables →
published_refresh. The `comex` CLI runs the same `refresh` job in process.
Unattended: the `monthly_refresh` schedule runs `fetch_and_refresh` (fetched_files → the same
graph); `raw_dir_sensor` runs `refresh` when new files settle in the drop zone.
"""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets.checks import QUALITY_CHECKS
from orchestration.assets.dbt import comex_dbt_assets
from orchestration.assets.exports import export_tables
from orchestration.assets.fetch import fetched_files
from orchestration.assets.ingestion import customs_files
from orchestration.assets.publication import published_refresh
from orchestration.console import comex_console
from orchestration.jobs import fetch_and_refresh_job, refresh_job
from orchestration.resources import ComexResource
from orchestration.schedules import monthly_refresh
from orchestration.sensors import raw_dir_sensor, record_refresh_failure, record_refresh_success

defs = Definitions(
    assets=[fetched_files, customs_files, comex_dbt_assets, export_tables, published_refresh],
    asset_checks=QUALITY_CHECKS,  # GX suites: blocking checks on raw flows, marts, exports
    jobs=[refresh_job, fetch_and_refresh_job],
    schedules=[monthly_refresh],
    sensors=[raw_dir_sensor, record_refresh_success, record_refresh_failure],
    loggers={"comex_console": comex_console},
    resources={"comex": ComexResource()},
)
