"""A full disk said as one line: where the write failed, what is free there, what to do."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

_NO_SPACE = re.compile(r"No space left on device|\[Errno 28\]|ENOSPC|database or disk is full", re.IGNORECASE)
#: I/O errors that do not say why: a full disk when one of the folders written to has less than
#: `_NEARLY_FULL` bytes free.
_IO_ERROR = re.compile(r"disk I/O error|IO Error", re.IGNORECASE)
_NEARLY_FULL = 1024 * 1024
_QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")


def explain_disk_full(message: str, folders: Sequence[Path]) -> str | None:
    """One line for a failure that says the disk is full, else None.

    The path is the one the message names (DuckDB names its file; of a copy's source and target,
    the one on the fuller disk), or else the fullest of
    `folders` (the places the failed work writes to: an OSError from dbt names none). An I/O
    error that gives no reason counts as a full disk when one of `folders` is (nearly) full.
    """
    if not (_NO_SPACE.search(message) or _IO_ERROR.search(message)):
        return None
    fullest = min(folders, key=free_bytes)
    if not _NO_SPACE.search(message) and free_bytes(fullest) >= _NEARLY_FULL:
        return None
    named = [Path(quoted) for quoted in _QUOTED_PATH.findall(message)]  # a copy names its source, then its target
    path = min(named, key=free_bytes) if named else fullest
    return (
        f"disk full: no space left on device writing {path} ({_size(free_bytes(path))} free there); "
        "free some space on that disk, or point --warehouse / --exports-dir at a larger one, and run again"
    )


def free_bytes(path: Path) -> int:
    """Free bytes on the filesystem that holds `path` (or would hold it, for a path not made yet)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return 0


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    raise AssertionError  # unreachable
