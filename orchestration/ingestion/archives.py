"""Open zip archives safely: no path traversal, no links, no encryption, bounded uncompressed size.

Every member is checked before anything is extracted; a member is then streamed out with its
size bound enforced on the bytes actually produced (an archive can lie about its sizes) and its
sha256 computed on the way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from orchestration.errors import StructuralError

#: Uncompressed size above which a member is refused (a DGDDI year of one flow is ~200 MB,
#: a last publication of both flows ~250 MB).
MAX_MEMBER_BYTES = 1024**3
#: Uncompressed size above which a whole archive is refused.
MAX_ARCHIVE_BYTES = 4 * 1024**3
_CHUNK = 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first bytes (a member, or an empty archive)


@dataclass(frozen=True)
class Member:
    """One file inside an archive."""

    name: str
    size: int  # uncompressed, as the archive declares it
    modified_at: dt.datetime  # the timestamp written in the archive
    info: zipfile.ZipInfo


def _unsafe(member: zipfile.ZipInfo) -> str | None:
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or member.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
        return f"member '{member.filename}' has an absolute path"
    if ".." in path.parts:
        return f"member '{member.filename}' escapes the archive (path traversal)"
    if stat.S_ISLNK(member.external_attr >> 16):
        return f"member '{member.filename}' is a symbolic link"
    if member.flag_bits & 0x1:
        return f"member '{member.filename}' is encrypted (password-protected archives cannot be read)"
    return None


def _not_a_zip(archive: Path, display: str) -> StructuralError:
    with archive.open("rb") as fh:
        head = fh.read(512).lstrip().lower()
    if not head:
        return StructuralError(display, "empty file: no customs rows (an interrupted download?)")
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in head:
        return StructuralError(display, "not a zip archive: it is an HTML page (an error page saved by a download?)")
    return StructuralError(display, "not a zip archive (corrupt, truncated, or another format)")


def members(archive: Path, display: str | None = None) -> list[Member]:
    """The files of an archive, every one checked before anything is extracted."""
    display = display or archive.name
    with archive.open("rb") as fh:
        if fh.read(4) not in _ZIP_MAGIC:
            raise _not_a_zip(archive, display)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise StructuralError(display, f"corrupt zip archive ({exc})") from exc
    files: list[Member] = []
    for info in infos:
        if reason := _unsafe(info):
            raise StructuralError(display, f"refused: {reason}")
        if info.is_dir():
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise StructuralError(
                display,
                f"refused: member '{info.filename}' would expand to {info.file_size:,} bytes "
                f"(limit {MAX_MEMBER_BYTES:,})",
            )
        files.append(Member(info.filename, info.file_size, _timestamp(info), info))
    total = sum(m.size for m in files)
    if total > MAX_ARCHIVE_BYTES:
        raise StructuralError(
            display, f"refused: the archive would expand to {total:,} bytes (limit {MAX_ARCHIVE_BYTES:,})"
        )
    return files


def _timestamp(info: zipfile.ZipInfo) -> dt.datetime:
    try:
        return dt.datetime(*info.date_time)
    except ValueError:  # a zero or garbled date
        return dt.datetime(1980, 1, 1)


def read_head(archive: Path, member: Member, size: int, display: str | None = None) -> bytes:
    """The first `size` bytes of a member (nothing is written to disk)."""
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(member.info) as src:
            return src.read(size)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise StructuralError(display or archive.name, f"unreadable zip member ({exc})", member=member.name) from exc


def read_member(archive: Path, member: Member, display: str | None = None) -> bytes:
    """A small member's bytes (label lists), in memory."""
    return read_head(archive, member, member.size + 1, display)


def extract(archive: Path, member: Member, dest: Path, display: str | None = None) -> str:
    """Stream `member` to `dest` under the size bound; its sha256."""
    digest = hashlib.sha256()
    written = 0
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(member.info) as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > MAX_MEMBER_BYTES:
                    raise StructuralError(
                        display or archive.name, f"refused: member expands beyond {MAX_MEMBER_BYTES:,} bytes",
                        member=member.name,
                    )  # fmt: skip
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise StructuralError(display or archive.name, f"unreadable zip member ({exc})", member=member.name) from exc
    return digest.hexdigest()


def member_sha256(archive: Path, member: Member) -> str:
    """sha256 of a member's bytes, streamed without writing anything."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(archive) as zf, zf.open(member.info) as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
