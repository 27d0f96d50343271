"""`.fetch-log.jsonl` in the raw folder: one JSON line per file fetched (sha256, size, validators)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

FETCH_LOG_NAME = ".fetch-log.jsonl"


@dataclass(frozen=True)
class FetchRecord:
    """What one fetch of one file gave."""

    fetched_at: str
    source: str
    file: str
    url: str  # where the file was downloaded from
    status: str  # new | updated | unchanged
    sha256: str
    size: int
    etag: str | None = None
    last_modified: str | None = None
    page: str | None = None  # the page `url` was found on (sources with `page` + `link`)


def log_path(raw_dir: Path) -> Path:
    return raw_dir / FETCH_LOG_NAME


def latest_records(raw_dir: Path) -> dict[str, FetchRecord]:
    """The most recent record of each file name (a damaged line is skipped)."""
    path = log_path(raw_dir)
    latest: dict[str, FetchRecord] = {}
    if not path.is_file():
        return latest
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = FetchRecord(**json.loads(line))
        except (ValueError, TypeError):
            continue
        latest[record.file] = record
    return latest


def append(raw_dir: Path, records: list[FetchRecord]) -> None:
    """Add records at the end of the log."""
    with log_path(raw_dir).open("a", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
