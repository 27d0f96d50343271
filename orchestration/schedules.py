"""The monthly unattended refresh: fetch the configured sources, then the whole refresh.

Cron from $COMEX_REFRESH_CRON (default: the 5th of each month at 06:00), time zone from
$COMEX_REFRESH_TIMEZONE (default Europe/Paris). A tick is skipped while another
warehouse-writing run is queued or in progress.
"""

from __future__ import annotations

import os

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from orchestration.jobs import fetch_and_refresh_job
from orchestration.refresh_record import FINGERPRINT_TAG, dbt_fingerprint
from orchestration.run_guard import writer_run_in_progress

ENV_REFRESH_CRON = "COMEX_REFRESH_CRON"
ENV_REFRESH_TIMEZONE = "COMEX_REFRESH_TIMEZONE"
DEFAULT_REFRESH_CRON = "0 6 5 * *"
DEFAULT_REFRESH_TIMEZONE = "Europe/Paris"


@schedule(
    name="monthly_refresh",
    job=fetch_and_refresh_job,
    cron_schedule=os.environ.get(ENV_REFRESH_CRON, DEFAULT_REFRESH_CRON),
    execution_timezone=os.environ.get(ENV_REFRESH_TIMEZONE, DEFAULT_REFRESH_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="Monthly: fetch the DGDDI/ANCT sources and refresh the warehouse and exports.",
)
def monthly_refresh(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
    if run := writer_run_in_progress(context.instance):
        return SkipReason(f"run {run.run_id} ({run.job_name}) is still writing the warehouse")
    return RunRequest(tags={"comex/trigger": "schedule", FINGERPRINT_TAG: dbt_fingerprint()})
