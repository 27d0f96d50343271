"""Fetch every configured source into the raw folder, all or nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from orchestration.checksums import sha256_of
from orchestration.errors import ComexError
from orchestration.fetch import links, log
from orchestration.fetch.config import FetchSettings, LinkSource, Source, SourcesConfig, duplicate_files
from orchestration.fetch.http import Downloaded, FetchError, Page, download, read_page

STAGING_DIR_NAME = ".fetch-staging"

T = TypeVar("T")


class Reporter(Protocol):
    """Progress of a fetch, for a terminal bar or a log."""

    def page(self, url: str, attempt: int) -> None: ...
    def start(self, source: Source, attempt: int) -> None: ...
    def advance(self, source: Source, nbytes: int, total: int | None) -> None: ...
    def done(self, source: Source, status: str) -> None: ...
    def retry(self, error: FetchError, wait_seconds: float) -> None: ...


@dataclass
class FetchReport:
    """What a fetch changed in the raw folder."""

    records: list[log.FetchRecord] = field(default_factory=list)

    def files(self, *statuses: str) -> list[str]:
        return [r.file for r in self.records if r.status in statuses]

    @property
    def changed(self) -> list[str]:
        return self.files("new", "updated")


def fetch_all(
    config: SourcesConfig,
    raw_dir: Path,
    *,
    reporter: Reporter | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Download every source to a staging folder, then move the changed files into `raw_dir`.

    Sources given by `page` + `link` are first looked up on their page (each page read once).
    Any failure raises `FetchError` (one line) and leaves `raw_dir` exactly as it was: nothing
    is moved and the fetch log is not touched. A body whose sha256 equals the file already in
    place (or a 304 Not Modified) leaves that file alone.
    """
    if placeholders := ", ".join(s.label for s in config.sources if s.is_placeholder):
        raise ComexError(
            f"{config.path.name}: placeholder URL for {placeholders}: edit the url or page of these sources first"
        )
    if not config.sources:
        raise ComexError(f"{config.path.name}: no [[source]] to fetch")
    sources = _resolve_links(config, reporter, sleep)
    raw_dir.mkdir(parents=True, exist_ok=True)
    staging = raw_dir / STAGING_DIR_NAME
    shutil.rmtree(staging, ignore_errors=True)  # left over by a killed fetch
    staging.mkdir()
    try:
        previous = log.latest_records(raw_dir)
        fetched = [
            _fetch_one(source, raw_dir, staging, previous.get(source.file), config.settings, reporter, sleep)
            for source in sources
        ]
        report = FetchReport()
        for source, (downloaded, status) in zip(sources, fetched, strict=True):
            report.records.append(_record(source, downloaded, status, raw_dir))
        for source, (downloaded, status) in zip(sources, fetched, strict=True):
            if status in ("new", "updated") and downloaded.path is not None:
                downloaded.path.replace(raw_dir / source.file)
        log.append(raw_dir, report.records)
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _resolve_links(
    config: SourcesConfig, reporter: Reporter | None, sleep: Callable[[float], None]
) -> tuple[Source, ...]:
    """Every source with its url for today: `LinkSource`s looked up on their page, each page read once."""
    pages: dict[str, Page] = {}
    resolved: list[Source] = []
    for source in config.sources:
        if not isinstance(source, LinkSource):
            resolved.append(source)
            continue
        if source.page not in pages:
            users = [s.name for s in config.sources if isinstance(s, LinkSource) and s.page == source.page]
            pages[source.page] = _read_page(source.page, users, config.settings, reporter, sleep)
        resolved.extend(links.resolve(source, pages[source.page]))
    if duplicates := duplicate_files(s.file for s in resolved):
        raise ComexError(f"{config.path.name}: several sources resolve to the same file: {', '.join(duplicates)}")
    return tuple(resolved)


def _read_page(
    url: str, users: list[str], settings: FetchSettings, reporter: Reporter | None, sleep: Callable[[float], None]
) -> Page:
    """The link page `url` (used by the sources `users`), with the same patience as a file."""

    def attempt_read(attempt: int) -> Page:
        if reporter:
            reporter.page(url, attempt)
        return read_page(url, subject=f"link page of {', '.join(users)}", timeout=settings.timeout_seconds)

    return _with_retries(attempt_read, settings, reporter, sleep)


def _fetch_one(
    source: Source,
    raw_dir: Path,
    staging: Path,
    previous: log.FetchRecord | None,
    settings: FetchSettings,
    reporter: Reporter | None,
    sleep: Callable[[float], None],
) -> tuple[Downloaded, str]:
    """Download with retries; say whether the file is new, updated or unchanged."""
    target = raw_dir / source.file
    current_sha = sha256_of(target) if target.is_file() else None
    same_file = previous is not None and previous.sha256 == current_sha and previous.url == source.url
    validators = previous if same_file else None

    def attempt_download(attempt: int) -> Downloaded:
        if reporter:
            reporter.start(source, attempt)
        return download(
            source,
            staging / source.file,
            timeout=settings.timeout_seconds,
            etag=validators.etag if validators else None,
            last_modified=validators.last_modified if validators else None,
            on_progress=(lambda n, total: reporter.advance(source, n, total)) if reporter else None,
        )

    downloaded = _with_retries(attempt_download, settings, reporter, sleep)
    if downloaded.path is None:  # 304 Not Modified
        status = "unchanged"
    elif current_sha is None:
        status = "new"
    else:
        status = "unchanged" if downloaded.sha256 == current_sha else "updated"
    if reporter:
        reporter.done(source, status)
    return downloaded, status


def _with_retries(
    attempt_once: Callable[[int], T],
    settings: FetchSettings,
    reporter: Reporter | None,
    sleep: Callable[[float], None],
) -> T:
    """`attempt_once(attempt)`, tried again after a transient `FetchError` with exponential backoff."""
    attempts = settings.retries + 1
    for attempt in range(1, attempts):
        try:
            return attempt_once(attempt)
        except FetchError as error:
            if not error.retryable:
                raise error.final() from None
            wait = settings.backoff_seconds * 2 ** (attempt - 1)
            if reporter:
                reporter.retry(error, wait)
            sleep(wait)
    try:
        return attempt_once(attempts)
    except FetchError as error:
        raise error.final(f" after {attempts} attempts" if error.retryable and attempts > 1 else "") from None


def _record(source: Source, downloaded: Downloaded, status: str, raw_dir: Path) -> log.FetchRecord:
    target = raw_dir / source.file
    if downloaded.path is None:  # not modified: describe the file in place
        sha256, size = sha256_of(target), target.stat().st_size
    else:
        assert downloaded.sha256 is not None
        sha256, size = downloaded.sha256, downloaded.size
    return log.FetchRecord(
        fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        source=source.name,
        file=source.file,
        url=source.url,
        status=status,
        sha256=sha256,
        size=size,
        etag=downloaded.etag,
        last_modified=downloaded.last_modified,
        page=source.page,
    )
