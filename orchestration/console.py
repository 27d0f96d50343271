"""The `comex_console` Dagster logger: a short, live account of a run for the terminal."""

from __future__ import annotations

import logging
import sys

from dagster import DagsterEventType, InitLoggerContext, logger
from rich.console import Console
from rich.status import Status

console = Console(stderr=True, highlight=False, soft_wrap=True)

_STEP_TITLES = {
    "customs_files": "Ingesting customs files",
    "comex_dbt_assets": "Building and testing the marts (dbt build)",
    "export_tables": "Writing the export tables",
    "published_refresh": "Publishing the warehouse and exports",
    "customs_files_quality": "Checking the raw flows (Great Expectations)",
    "marts_quality": "Checking the marts (Great Expectations)",
    "export_tables_quality": "Checking the export files (Great Expectations)",
}


#: Steps whose INFO messages are ours (dagster-dbt's internals stay in the log file).
_OWN_STEPS = {"customs_files", "comex_dbt_assets", "export_tables", "published_refresh"}
#: Dagster's own lines about the steps a failure stopped (the failure itself says it all), and
#: about the dbt tests a refresh leaves out on purpose (those of unchanged seeds: the step says so).
_QUIET_PREFIXES = ("Dependencies for step", "op 'comex_dbt_assets' did not yield or return expected outputs")


class _LiveRunHandler(logging.Handler):
    """Prints step starts/ends and our assets' messages; a spinner runs while a step works."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)  # Dagster's own events come at DEBUG
        self._status: Status | None = None
        self._interactive = console.is_terminal and sys.stderr.isatty()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        title = _STEP_TITLES.get(step, step)
        if event is None:
            message = str(meta.get("orig_message", record.getMessage()))
            if message.startswith(_QUIET_PREFIXES):
                return
            if record.levelno >= logging.WARNING:
                console.print(f"   [yellow]{message}[/yellow]", markup=True)
            elif record.levelno >= logging.INFO and step in _OWN_STEPS:
                console.print(f"   {message}", markup=False)
            return
        if event.event_type == DagsterEventType.STEP_START:
            self._start(f"{title}…")
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self._stop()
            console.print(f"[green]✓[/green] {title}")
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            self._stop()
            console.print(f"[red]✗[/red] {title}")
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            if data is not None and not data.passed:
                console.print(
                    f"   [yellow]check failed:[/yellow] {data.asset_key.to_user_string()} · {data.check_name}"
                )

    def _start(self, text: str) -> None:
        self._stop()
        if self._interactive:
            self._status = console.status(text)
            self._status.start()
        else:
            console.print(f"… {text}")

    def _stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


@logger(description="Concise live progress for the comex CLI.")
def comex_console(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("comex.console")
    log.handlers.clear()
    log.addHandler(_LiveRunHandler())
    log.setLevel(logging.DEBUG)
    log.propagate = False
    return log
