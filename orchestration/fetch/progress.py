"""Fetch reporters: a rich progress bar for the terminal, plain log lines for Dagster runs."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from orchestration.fetch.config import Source
from orchestration.fetch.http import FetchError


class RichReporter:
    """One bar per file (bytes, speed, time left); use as a context manager."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichReporter:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def page(self, url: str, attempt: int) -> None:
        suffix = "" if attempt == 1 else f" (attempt {attempt})"
        self._progress.console.print(f"   [dim]reading link page {escape(url)}{suffix}[/dim]", soft_wrap=True)

    def start(self, source: Source, attempt: int) -> None:
        label = source.file if attempt == 1 else f"{source.file} (attempt {attempt})"
        if source.file in self._tasks:
            self._progress.reset(self._tasks[source.file], description=label, total=None)
        else:
            self._tasks[source.file] = self._progress.add_task(label, total=None)

    def advance(self, source: Source, nbytes: int, total: int | None) -> None:
        task = self._tasks[source.file]
        if total is not None and self._progress.tasks[task].total != total:
            self._progress.update(task, total=total)
        self._progress.advance(task, nbytes)

    def done(self, source: Source, status: str) -> None:
        task = self._tasks[source.file]
        done = self._progress.tasks[task].completed
        self._progress.update(
            task, description=f"{source.file} [dim]{status}[/dim]", total=done or 1, completed=done or 1
        )

    def retry(self, error: FetchError, wait_seconds: float) -> None:
        self._progress.console.print(f"   [yellow]{escape(error.reason)}; retrying in {wait_seconds:g} s[/yellow]")


class LogReporter:
    """One line per file start, retry and outcome (for Dagster run logs)."""

    def __init__(self, log: logging.Logger | logging.LoggerAdapter) -> None:
        self._log = log

    def page(self, url: str, attempt: int) -> None:
        self._log.info(f"reading link page {url} (attempt {attempt})")

    def start(self, source: Source, attempt: int) -> None:
        self._log.info(f"fetching {source.file} from {source.url} (attempt {attempt})")

    def advance(self, source: Source, nbytes: int, total: int | None) -> None:
        pass

    def done(self, source: Source, status: str) -> None:
        self._log.info(f"{source.file}: {status}")

    def retry(self, error: FetchError, wait_seconds: float) -> None:
        self._log.warning(f"{error}; retrying in {wait_seconds:g} s")
