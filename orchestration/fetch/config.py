"""The sources file (`sources.toml`): what `comex fetch` downloads, and how patiently."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from orchestration.errors import ComexError
from orchestration.settings import REPO_ROOT

DEFAULT_SOURCES_FILE = REPO_ROOT / "sources.toml"
ENV_SOURCES_FILE = "COMEX_SOURCES"

#: URLs on these hosts are placeholders the user must replace (RFC 2606 reserves `.invalid`).
_PLACEHOLDER_HOST_SUFFIX = ".invalid"


class Kind(StrEnum):
    """What a downloaded body must look like to be accepted."""

    ZIP = "zip"  # a readable zip archive
    TEXT = "text"  # DGDDI rows: non-empty, not an HTML page
    CSV = "csv"  # a CSV file: non-empty, not an HTML page


def kind_for(file_name: str) -> Kind:
    """The kind a file name suggests: `.zip` → zip, `.csv` → csv, anything else → text."""
    suffix = Path(file_name).suffix.lower()
    return Kind.ZIP if suffix == ".zip" else Kind.CSV if suffix == ".csv" else Kind.TEXT


def is_placeholder_url(url: str) -> bool:
    return (urlsplit(url).hostname or "").endswith(_PLACEHOLDER_HOST_SUFFIX)


@dataclass(frozen=True)
class Source:
    """One file to download into the raw folder (`page`: where its url was found, for a `LinkSource`)."""

    name: str
    url: str
    file: str
    kind: Kind
    description: str = ""
    page: str | None = None

    @property
    def is_placeholder(self) -> bool:
        return is_placeholder_url(self.url)

    @property
    def label(self) -> str:
        return self.file


@dataclass(frozen=True)
class LinkSource:
    """A file whose url changes every publication: the link of `page` that `link` matches.

    `file` and `kind`, when not set, follow the matched link's file name. With `every`, each
    link the pattern matches is a file of its own, named by its link (e.g. every annual file,
    `Regional-\\d{4}-(export|import)`: a new year is found without editing the sources file).
    """

    name: str
    page: str
    link: re.Pattern[str]
    file: str | None = None
    kind: Kind | None = None
    description: str = ""
    every: bool = False

    @property
    def is_placeholder(self) -> bool:
        return is_placeholder_url(self.page)

    @property
    def label(self) -> str:
        return self.file or self.name


@dataclass(frozen=True)
class FetchSettings:
    """Network patience: per-request timeout, retries of transient failures, backoff base."""

    timeout_seconds: float = 60.0
    retries: int = 3
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class SourcesConfig:
    """The parsed sources file."""

    path: Path
    settings: FetchSettings
    sources: tuple[Source | LinkSource, ...]


def sources_file(explicit: Path | str | None = None) -> Path:
    """The sources file: explicit path, then $COMEX_SOURCES, then `sources.toml` at the repo root."""
    chosen = explicit or os.environ.get(ENV_SOURCES_FILE) or DEFAULT_SOURCES_FILE
    return Path(chosen).expanduser().resolve()


def load_sources(path: Path) -> SourcesConfig:
    """Parse and check the sources file; any mistake is one `ComexError` line naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ComexError(f"sources file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ComexError(f"{path.name}: not valid TOML: {exc}") from None
    raw_settings = data.get("settings", {})
    settings = FetchSettings(
        timeout_seconds=float(raw_settings.get("timeout_seconds", FetchSettings.timeout_seconds)),
        retries=int(raw_settings.get("retries", FetchSettings.retries)),
        backoff_seconds=float(raw_settings.get("backoff_seconds", FetchSettings.backoff_seconds)),
    )
    sources = tuple(_source(path, index, entry) for index, entry in enumerate(data.get("source", []), start=1))
    if duplicates := duplicate_files(s.file for s in sources if s.file):
        raise ComexError(f"{path.name}: the same file is listed twice: {', '.join(duplicates)}")
    return SourcesConfig(path=path, settings=settings, sources=sources)


def duplicate_files(files: Iterable[str]) -> list[str]:
    """The file names that occur more than once, sorted."""
    names = list(files)
    return sorted({n for n in names if names.count(n) > 1})


def _source(path: Path, index: int, entry: dict) -> Source | LinkSource:
    where = f"{path.name}, [[source]] #{index}" + (f" ({entry['name']})" if entry.get("name") else "")
    if not entry.get("name"):
        raise ComexError(f"{where}: missing name")
    has_url, has_page, has_link = (bool(entry.get(key)) for key in ("url", "page", "link"))
    if not (has_url or has_page or has_link):
        raise ComexError(f"{where}: missing url (or page and link, to find the file's link on a page)")
    if has_url and (has_page or has_link):
        raise ComexError(f"{where}: give either url, or page and link, not both")
    if has_page != has_link:
        raise ComexError(f"{where}: page and link go together, missing {'link' if has_page else 'page'}")
    if not has_url:
        return _link_source(where, entry)
    if not entry.get("file"):
        raise ComexError(f"{where}: missing file")
    file_name = _file_name(where, entry["file"])
    kind = _kind(where, entry.get("kind", kind_for(file_name)))
    url = _http_url(where, "url", entry["url"])
    return Source(str(entry["name"]), url, file_name, kind, str(entry.get("description", "")))


def _link_source(where: str, entry: dict) -> LinkSource:
    try:
        link = re.compile(str(entry["link"]), re.IGNORECASE)
    except re.error as exc:
        raise ComexError(f"{where}: link '{entry['link']}' is not a valid regular expression: {exc}") from None
    file_name = _file_name(where, entry["file"]) if entry.get("file") else None
    every = entry.get("every", False)
    if not isinstance(every, bool):
        raise ComexError(f"{where}: every must be true or false, not {every!r}")
    if every and file_name:
        raise ComexError(f"{where}: with every = true each matched link names its own file: remove file")
    kind_name = entry.get("kind", kind_for(file_name) if file_name else None)
    return LinkSource(
        name=str(entry["name"]),
        page=_http_url(where, "page", entry["page"]),
        link=link,
        file=file_name,
        kind=_kind(where, kind_name) if kind_name is not None else None,
        description=str(entry.get("description", "")),
        every=every,
    )


def is_plain_file_name(name: str) -> bool:
    """A name that stays directly in the raw folder and is not hidden."""
    return bool(name) and Path(name).name == name and not name.startswith(".") and "\\" not in name


def _file_name(where: str, value: object) -> str:
    file_name = str(value)
    if not is_plain_file_name(file_name):
        raise ComexError(f"{where}: file must be a plain file name, got {file_name!r}")
    return file_name


def _http_url(where: str, key: str, value: object) -> str:
    if urlsplit(str(value)).scheme not in ("http", "https"):
        raise ComexError(f"{where}: {key} must be http(s), got {value!r}")
    return str(value)


def _kind(where: str, value: object) -> Kind:
    try:
        return Kind(str(value))
    except ValueError:
        raise ComexError(f"{where}: kind must be one of {', '.join(Kind)}, got {str(value)!r}") from None
