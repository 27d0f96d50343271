"""Errors that end a run with one clear line (file, line, reason) instead of a traceback."""

from __future__ import annotations

from pathlib import Path


class ComexError(Exception):
    """An expected failure: the message is what the operator reads."""


def where(file: Path | str, member: str | None = None) -> str:
    """How a file is named in messages: its name, and the archive member when there is one."""
    name = Path(file).name if isinstance(file, Path) else str(file)
    return f"{name} ({member})" if member else name


class StructuralError(ComexError):
    """A raw file that cannot be ingested at all (unreadable, empty, wrong shape, unsafe).

    The message is `<file>[ (<member>)][, line N]: <reason>`. `file` is a Path (its name is
    shown) or the name to show, e.g. a path relative to the drop zone.
    """

    def __init__(self, file: Path | str, reason: str, line: int | None = None, member: str | None = None) -> None:
        self.file = Path(file)
        self.member = member
        self.line = line
        self.reason = reason
        super().__init__(f"{where(file, member)}" + (f", line {line:,}" if line is not None else "") + f": {reason}")


class WarehouseBusyError(ComexError):
    """Another refresh holds the writer lock."""
