"""Errors that end a run with one clear line (file, line, reason) instead of a traceback."""

from __future__ import annotations

from pathlib import Path


class ComexError(Exception):
    """An expected failure: the message is what the operator reads."""


class StructuralError(ComexError):
    """A raw file that cannot be ingested at all (unreadable, empty, wrong shape, unsafe)."""

    def __init__(self, file: Path | str, reason: str, line: int | None = None) -> None:
        self.file = Path(file)
        self.line = line
        self.reason = reason
        where = f"{self.file.name}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {reason}")


class WarehouseBusyError(ComexError):
    """Another refresh holds the writer lock."""
