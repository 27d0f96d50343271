"""One HTTP GET streamed to a file, with every way it can go wrong turned into one line."""

from __future__ import annotations

import hashlib
import http.client
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.errors import ComexError
from orchestration.fetch.config import Kind, Source

CHUNK = 256 * 1024
MAX_PAGE_BYTES = 10 * 1024 * 1024  # a download page, not a data file
USER_AGENT = "comex-territoires/0.1 (+https://github.com/; comex fetch)"

#: (bytes in this chunk, total expected or None) → None
ProgressHook = Callable[[int, int | None], None]


class FetchError(ComexError):
    """A download that failed, as `subject: reason (url)`; `retryable` when trying again later may help."""

    def __init__(self, subject: str, url: str, reason: str, *, retryable: bool) -> None:
        self.subject = subject
        self.url = url
        self.reason = reason
        self.retryable = retryable
        super().__init__(f"{subject}: {reason} ({url})")

    def final(self, suffix: str = "") -> FetchError:
        """The same failure, not to be retried any more, its reason extended by `suffix`."""
        return FetchError(self.subject, self.url, self.reason + suffix, retryable=False)


class _NotModifiedError(Exception):
    """The server answered 304 Not Modified to a conditional GET."""


@dataclass(frozen=True)
class Downloaded:
    """A body written to `path` (None when the server said 304 Not Modified)."""

    path: Path | None
    sha256: str | None
    size: int
    etag: str | None
    last_modified: str | None


def download(
    source: Source,
    dest: Path,
    *,
    timeout: float,
    etag: str | None = None,
    last_modified: str | None = None,
    on_progress: ProgressHook | None = None,
) -> Downloaded:
    """GET `source.url` into `dest`, checking status, length and content kind."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with get(source.url, subject=source.file, timeout=timeout, headers=headers) as response:
            return _stream(source, response, dest, on_progress)
    except _NotModifiedError:
        return Downloaded(None, None, 0, etag, last_modified)


@dataclass(frozen=True)
class Page:
    """An HTML page as read: `url` is where it was served from (after redirects)."""

    url: str
    text: str


def read_page(url: str, *, subject: str, timeout: float) -> Page:
    """GET the HTML page at `url`, complete and decoded (charset from Content-Type, else UTF-8)."""
    with get(url, subject=subject, timeout=timeout) as response:
        expected = content_length(response)
        body = response.read(MAX_PAGE_BYTES + 1)
        final_url = response.geturl()
        charset = response.headers.get_content_charset() or "utf-8"
    if len(body) > MAX_PAGE_BYTES:
        raise FetchError(subject, url, f"page larger than {MAX_PAGE_BYTES // 2**20} MB", retryable=False)
    if expected is not None and len(body) != expected:
        raise FetchError(subject, url, f"truncated page: got {len(body):,} of {expected:,} bytes", retryable=True)
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        text = body.decode("utf-8", errors="replace")
    return Page(final_url, text)


@contextmanager
def get(
    url: str, *, subject: str, timeout: float, headers: dict[str, str] | None = None
) -> Iterator[http.client.HTTPResponse]:
    """An open response to GET `url`; any network failure, while opening or reading, is a `FetchError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            yield response
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            raise _NotModifiedError from None
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise FetchError(subject, url, f"HTTP {exc.code} {exc.reason}", retryable=retryable) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
        raise FetchError(subject, url, f"cannot connect: {text}", retryable=True) from None
    except TimeoutError:
        raise FetchError(subject, url, f"timed out after {timeout:g} s", retryable=True) from None
    except (http.client.IncompleteRead, ConnectionError) as exc:
        reason = f"connection broken mid-download: {type(exc).__name__}"
        raise FetchError(subject, url, reason, retryable=True) from None


def _stream(
    source: Source, response: http.client.HTTPResponse, dest: Path, on_progress: ProgressHook | None
) -> Downloaded:
    expected = content_length(response)
    content_type = (response.headers.get("Content-Type") or "").lower()
    _refuse_html_content_type(source, content_type)
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        while chunk := response.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            if on_progress:
                on_progress(len(chunk), expected)
    if expected is not None and size != expected:
        raise _refused(source, f"truncated download: got {size:,} of {expected:,} bytes", retryable=True)
    _check_content(source, dest, size)
    return Downloaded(
        dest, digest.hexdigest(), size, response.headers.get("ETag"), response.headers.get("Last-Modified")
    )


def _refused(source: Source, reason: str, *, retryable: bool) -> FetchError:
    return FetchError(source.file, source.url, reason, retryable=retryable)


def content_length(response: http.client.HTTPResponse) -> int | None:
    """The announced body size, if the server gave a usable one."""
    header = response.headers.get("Content-Length")
    return int(header) if header and header.isdigit() else None


def _refuse_html_content_type(source: Source, content_type: str) -> None:
    if "text/html" in content_type or "application/xhtml" in content_type:
        raise _refused(source, f"the server sent an HTML page ({content_type}), not the data file", retryable=False)


def _check_content(source: Source, path: Path, size: int) -> None:
    """The body is what the source's kind promises: a zip, or non-HTML text."""
    if size == 0:
        raise _refused(source, "the server sent an empty body", retryable=False)
    with path.open("rb") as fh:
        head = fh.read(512)
    if _looks_like_html(head):
        raise _refused(source, "the server sent an HTML page, not the data file", retryable=False)
    if source.kind is Kind.ZIP:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except zipfile.BadZipFile:
            raise _refused(source, "not a zip archive (corrupt or wrong file)", retryable=False) from None


def _looks_like_html(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))
