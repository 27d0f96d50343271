"""One HTTP GET streamed to a file, with every way it can go wrong turned into one line."""

from __future__ import annotations

import hashlib
import http.client
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orchestration.errors import ComexError
from orchestration.fetch.config import Kind, Source

CHUNK = 256 * 1024
USER_AGENT = "comex-territoires/0.1 (+https://github.com/; comex fetch)"

#: (bytes in this chunk, total expected or None) → None
ProgressHook = Callable[[int, int | None], None]


class FetchError(ComexError):
    """A download that failed; `retryable` when trying again later may help."""

    def __init__(self, source: Source, reason: str, *, retryable: bool) -> None:
        self.source = source
        self.reason = reason
        self.retryable = retryable
        super().__init__(f"{source.file}: {reason} ({source.url})")


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
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(source.url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _stream(source, response, dest, on_progress)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Downloaded(None, None, 0, etag, last_modified)
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise FetchError(source, f"HTTP {exc.code} {exc.reason}", retryable=retryable) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
        raise FetchError(source, f"cannot connect: {text}", retryable=True) from None
    except TimeoutError:
        raise FetchError(source, f"timed out after {timeout:g} s", retryable=True) from None
    except (http.client.IncompleteRead, ConnectionError) as exc:
        raise FetchError(source, f"connection broken mid-download: {type(exc).__name__}", retryable=True) from None


def _stream(
    source: Source, response: http.client.HTTPResponse, dest: Path, on_progress: ProgressHook | None
) -> Downloaded:
    length_header = response.headers.get("Content-Length")
    expected = int(length_header) if length_header and length_header.isdigit() else None
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
        raise FetchError(source, f"truncated download: got {size:,} of {expected:,} bytes", retryable=True)
    _check_content(source, dest, size)
    return Downloaded(
        dest, digest.hexdigest(), size, response.headers.get("ETag"), response.headers.get("Last-Modified")
    )


def _refuse_html_content_type(source: Source, content_type: str) -> None:
    if "text/html" in content_type or "application/xhtml" in content_type:
        raise FetchError(source, f"the server sent an HTML page ({content_type}), not the data file", retryable=False)


def _check_content(source: Source, path: Path, size: int) -> None:
    """The body is what the source's kind promises: a zip, or non-HTML text."""
    if size == 0:
        raise FetchError(source, "the server sent an empty body", retryable=False)
    with path.open("rb") as fh:
        head = fh.read(512)
    if _looks_like_html(head):
        raise FetchError(source, "the server sent an HTML page, not the data file", retryable=False)
    if source.kind is Kind.ZIP:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except zipfile.BadZipFile:
            raise FetchError(source, "not a zip archive (corrupt or wrong file)", retryable=False) from None


def _looks_like_html(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))
