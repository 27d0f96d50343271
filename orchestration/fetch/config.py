"""The sources file (`sources.toml`): what `comex fetch` downloads, and how patiently."""

from __future__ import annotations

import os
import tomllib
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


@dataclass(frozen=True)
class Source:
    """One file to download into the raw folder."""

    name: str
    url: str
    file: str
    kind: Kind
    description: str = ""

    @property
    def is_placeholder(self) -> bool:
        return (urlsplit(self.url).hostname or "").endswith(_PLACEHOLDER_HOST_SUFFIX)


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
    sources: tuple[Source, ...]


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
    names = [s.file for s in sources]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise ComexError(f"{path.name}: the same file is listed twice: {', '.join(duplicates)}")
    return SourcesConfig(path=path, settings=settings, sources=sources)


def _source(path: Path, index: int, entry: dict) -> Source:
    where = f"{path.name}, [[source]] #{index}"
    missing = [key for key in ("name", "url", "file") if not entry.get(key)]
    if missing:
        raise ComexError(f"{where}: missing {', '.join(missing)}")
    file_name = str(entry["file"])
    if Path(file_name).name != file_name or file_name.startswith("."):
        raise ComexError(f"{where}: file must be a plain file name, got {file_name!r}")
    if urlsplit(str(entry["url"])).scheme not in ("http", "https"):
        raise ComexError(f"{where}: url must be http(s), got {entry['url']!r}")
    kind_name = str(entry.get("kind", "zip" if file_name.lower().endswith(".zip") else "text"))
    try:
        kind = Kind(kind_name)
    except ValueError:
        raise ComexError(f"{where}: kind must be one of {', '.join(Kind)}, got {kind_name!r}") from None
    return Source(str(entry["name"]), str(entry["url"]), file_name, kind, str(entry.get("description", "")))
