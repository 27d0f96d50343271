"""Detect a text file's encoding (UTF-8 with or without BOM, or Windows-1252/Latin-1) and transcode."""

from __future__ import annotations

import codecs
from pathlib import Path

_CHUNK = 4 * 1024 * 1024
UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP1252 = "cp1252"
LATIN1 = "latin-1"


def detect_encoding(path: Path) -> str:
    """`utf-8`, `utf-8-sig` (BOM), `cp1252` (Windows Latin-1, has ’ and œ) or `latin-1`."""
    with path.open("rb") as fh:
        head = fh.read(3)
    if head == codecs.BOM_UTF8:
        return UTF8_BOM if _decodes(path, UTF8_BOM) else CP1252
    for encoding in (UTF8, CP1252):
        if _decodes(path, encoding):
            return encoding
    return LATIN1  # every byte sequence is valid Latin-1


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def transcode_to_utf8(src: Path, dest: Path, encoding: str) -> Path:
    """Rewrite `src` as UTF-8 without BOM (line endings untouched)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with src.open("rb") as fin, dest.open("w", encoding=UTF8, newline="") as fout:
        while chunk := fin.read(_CHUNK):
            fout.write(decoder.decode(chunk))
        fout.write(decoder.decode(b"", final=True))
    return dest


def needs_transcoding(encoding: str) -> bool:
    """DuckDB reads plain UTF-8 in place; anything else is rewritten first."""
    return encoding != UTF8


def has_blank_lines(path: Path) -> bool:
    """Does the file have an empty line (CSV readers skip those, which would shift line numbers)?"""
    previous = b"\n"  # a file starting with a newline starts with a blank line
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            window = previous + chunk
            if b"\n\n" in window or b"\n\r\n" in window:
                return True
            previous = window[-2:]
    return False
