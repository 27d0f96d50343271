"""Dagster definitions: the refresh job and everything it materialises.

Asset graph: customs_files → dbt seeds/models (dbt tests as asset checks) → export_tables →
published_refresh. The `comex` CLI runs the same `refresh` job in process.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.assets.dbt import comex_dbt_assets
from orchestration.assets.exports import export_tables
from orchestration.assets.ingestion import customs_files
from orchestration.assets.publication import published_refresh
from orchestration.console import comex_console
from orchestration.dbt_project import dbt_cli_resource
from orchestration.resources import ComexResource

REFRESH_JOB_NAME = "refresh"

refresh_job = define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    # One process for the whole run: it holds the warehouse's writer lock from start to end.
    executor_def=in_process_executor,
    description="Ingest new customs files, build and test the marts, write and publish the exports.",
)

defs = Definitions(
    assets=[customs_files, comex_dbt_assets, export_tables, published_refresh],
    jobs=[refresh_job],
    loggers={"comex_console": comex_console},
    resources={
        "comex": ComexResource(),
        "dbt": dbt_cli_resource(),
    },
)
