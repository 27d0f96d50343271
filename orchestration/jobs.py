"""The two jobs: `refresh` (drop zone → publication) and `fetch_and_refresh` (download first).

Both run in one process (`in_process_executor`): it holds the warehouse's writer lock from the
first step to the last. Both carry the writer tag (orchestration/run_guard.py), so the
schedule, the sensor and the run queue never start a second writer.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor

from orchestration.assets.fetch import FETCHED_FILES_KEY
from orchestration.run_guard import WRITER_TAGS

REFRESH_JOB_NAME = "refresh"
FETCH_AND_REFRESH_JOB_NAME = "fetch_and_refresh"

refresh_job = define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=AssetSelection.all() - AssetSelection.assets(FETCHED_FILES_KEY),
    executor_def=in_process_executor,
    tags=WRITER_TAGS,
    description="Ingest new customs files, build and test the marts, write and publish the exports.",
)

fetch_and_refresh_job = define_asset_job(
    name=FETCH_AND_REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    tags=WRITER_TAGS,
    description="Download the sources of sources.toml, then ingest, build, check and publish (the `refresh` job).",
)
