"""Open DGDDI zip archives safely: no path traversal, no links, bounded uncompressed size."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from orchestration.errors import StructuralError

#: Uncompressed size above which a member is refused (a full DGDDI year is ~200 MB).
MAX_MEMBER_BYTES = 4 * 1024**3
_CHUNK = 1024 * 1024


def _is_unsafe(member: zipfile.ZipInfo) -> str | None:
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or member.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
        return f"member '{member.filename}' has an absolute path"
    if ".." in path.parts:
        return f"member '{member.filename}' escapes the archive (path traversal)"
    if stat.S_ISLNK(member.external_attr >> 16):
        return f"member '{member.filename}' is a symbolic link"
    return None


def data_member(archive: Path, max_bytes: int | None = None) -> zipfile.ZipInfo:
    """The single `.txt` data member of a DGDDI archive, after safety checks on every member."""
    max_bytes = max_bytes or MAX_MEMBER_BYTES
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise StructuralError(archive, f"unreadable zip archive ({exc})") from exc
    for member in members:
        if reason := _is_unsafe(member):
            raise StructuralError(archive, f"refused: {reason}")
    texts = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".txt")]
    if len(texts) != 1:
        names = ", ".join(m.filename for m in texts) or "none"
        raise StructuralError(archive, f"expected exactly one .txt data file, found {names}")
    member = texts[0]
    if member.file_size > max_bytes:
        raise StructuralError(
            archive,
            f"refused: member '{member.filename}' would expand to {member.file_size:,} bytes (limit {max_bytes:,})",
        )
    return member


def extract_member(archive: Path, member: zipfile.ZipInfo, dest: Path, max_bytes: int | None = None) -> Path:
    """Stream `member` to `dest`, enforcing the size bound on the bytes actually produced."""
    max_bytes = max_bytes or MAX_MEMBER_BYTES
    written = 0
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(member) as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise StructuralError(
                        archive, f"refused: member '{member.filename}' expands beyond {max_bytes:,} bytes"
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise StructuralError(archive, f"unreadable zip member '{member.filename}' ({exc})") from exc
    return dest
