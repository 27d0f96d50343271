"""The files of the raw drop zone, and the pieces of text each one holds.

Every regular file under the drop zone counts, in subfolders too (a package unzipped there
makes a folder), except hidden ones (`.fetch-staging/`, `.fetch-log.jsonl`) and the files
another part of comex reads (the ANCT list). A zip is opened and each of its members is a
piece; any other file is one piece. Each piece is told data, labels or other by its content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.errors import StructuralError
from orchestration.ingestion import archives, names
from orchestration.ingestion.sniff import HEAD_BYTES, Kind, NotReadableError, Sniffed, sniff


@dataclass(frozen=True)
class ReceivedFile:
    """A file of the drop zone; `name` is its path relative to the drop zone."""

    path: Path
    name: str

    @property
    def is_archive(self) -> bool:
        return names.is_archive(self.name)


@dataclass(frozen=True)
class Piece:
    """A text to read: a loose file, or one member of an archive."""

    file: ReceivedFile
    member: archives.Member | None
    hint: names.NameHint
    sniffed: Sniffed

    @property
    def size(self) -> int:
        return self.member.size if self.member else self.file.path.stat().st_size

    @property
    def member_name(self) -> str | None:
        return self.member.name if self.member else None

    @property
    def label(self) -> str:
        """How messages name it: `file` or `file (member)`."""
        return f"{self.file.name} ({self.member.name})" if self.member else self.file.name

    def error(self, reason: str, line: int | None = None) -> StructuralError:
        return StructuralError(self.file.name, reason, line=line, member=self.member_name)


def received_files(raw_dir: Path) -> list[ReceivedFile]:
    """Every file of the drop zone that ingestion reads, by relative path."""
    if not raw_dir.is_dir():
        return []
    found = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if names.read_elsewhere(path.name):
            continue
        found.append(ReceivedFile(path, relative.as_posix()))
    return found


def pieces(file: ReceivedFile) -> Iterator[Piece]:
    """The texts a file holds, each told data, labels or other (errors name the file and member)."""
    if not file.is_archive:
        hint = names.hint(file.name)
        with file.path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        yield Piece(file, None, hint, _sniff(head, file.path.stat().st_size, hint, file.name, None))
        return
    for member in archives.members(file.path, file.name):
        hint = names.hint(member.name, file.name)
        if hint.documentation or names.is_archive(member.name):
            detail = "archive inside the archive" if names.is_archive(member.name) else "documentation"
            yield Piece(file, member, hint, Sniffed(Kind.OTHER, detail))
            continue
        head = archives.read_head(file.path, member, HEAD_BYTES, file.name)
        yield Piece(file, member, hint, _sniff(head, member.size, hint, file.name, member.name))


def _sniff(head: bytes, size: int, hint: names.NameHint, file_name: str, member: str | None) -> Sniffed:
    try:
        return sniff(head, size, hint)
    except NotReadableError as exc:
        raise StructuralError(file_name, str(exc), line=exc.line, member=member) from None
