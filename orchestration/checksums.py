"""File checksums: what vintages, fetched files and export files are recorded with."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 4 * 1024 * 1024


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(root: Path, names: Iterable[str], folders: Iterable[str] = ()) -> str:
    """sha256 over the relative names and bytes of the given files and of every file under the folders."""
    files = [root / name for name in names]
    for folder in folders:
        files.extend(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
