"""Tell what a text is from its first bytes: DGDDI regional rows, a label list, or something else.

DGDDI packages mix data, label lists and documentation, and users unzip them into the drop
zone. Every file or archive member is read by content:
- **data**: lines of 10 `;`-separated fields, `Flux;Trimestre;Année;…` (`E;3;2018;01;18;…`),
  optionally after a header line;
- **labels**: `code;label;YYYYMM;YYYYMM` lists (A129, CPF4, countries) and
  `Departement_region.txt` (`02;Aisne;01;Hauts-de-France`, validity dates optional), with or
  without a header line;
- **other**: documentation, PDFs, images, any text that is neither. Listed, never an error.

A name that announces data (`Region_2024_Export.txt`, `REGIONAL_CPF4PAYSE.txt`) must hold data,
and text that DGDDI could not have written (UTF-16, no line break in the first 64 KiB, empty)
is an error when it could be data.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from enum import StrEnum

from orchestration.ingestion.names import NameHint

#: How much of a file is read to tell what it is.
HEAD_BYTES = 64 * 1024
_SAMPLED_LINES = 50

_DATA_ROW = re.compile(r"[EI];[^;]*;\d{4}(;[^;]*){7}")
_DATA_HEADER = re.compile(r"flux;trimestre;ann", re.IGNORECASE)
_VALIDITY = re.compile(r"\d{6}|\d{4}")
_DEPARTEMENT = re.compile(r"[0-9A-Z]{2,3}")
_REGION = re.compile(r"\d{2}")
_LABEL_CODES = {  # label kind -> the shape of its codes
    "a129": re.compile(r"[A-Z]\d{2}[A-Z]"),
    "cpf4": re.compile(r"\d{4}"),
    "pays": re.compile(r"[A-Z][A-Z0-9]"),
    "cpf6": re.compile(r"\d{6}"),
    "nc8": re.compile(r"\d{8}"),
}
#: Label lists the marts use; others (CPF6, NC8, of DGDDI's national data) are listed as other.
USED_LABEL_KINDS = ("a129", "cpf4", "pays", "departements")


class Kind(StrEnum):
    DATA = "data"
    LABELS = "labels"
    OTHER = "other"


@dataclass(frozen=True)
class Sniffed:
    """What a text is."""

    kind: Kind
    detail: str  # label kind (a129, cpf4, pays, departements) or what the other file is
    header_lines: int = 0  # lines to skip before the rows (a header line)


class NotReadableError(ValueError):
    """Text DGDDI could not have written; the message is the reason, `line` where it shows."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def sniff(head: bytes, size: int, hint: NameHint) -> Sniffed:
    """Data, labels or other, from the first `HEAD_BYTES` of a text of `size` bytes."""
    if hint.documentation:
        return Sniffed(Kind.OTHER, "documentation")
    expects_rows = hint.flux is not None or hint.labels
    if size == 0:
        raise NotReadableError("empty file: no customs rows (an interrupted download?)")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        if _classify(_lines(_decode_utf16(head), size > len(head)), hint).kind is Kind.OTHER and not expects_rows:
            return Sniffed(Kind.OTHER, "UTF-16 text")
        raise NotReadableError("UTF-16 text: DGDDI files are UTF-8 or Windows-1252; save it as UTF-8 and drop it again")
    if b"\0" in head:
        if expects_rows:
            raise NotReadableError("binary content, not text")
        return Sniffed(Kind.OTHER, "binary file")
    if b"\n" not in head and size > len(head):
        raise NotReadableError(
            f"line 1 is longer than {len(head):,} bytes (no line break): not a DGDDI text file", line=1
        )
    sniffed = _classify(_lines(_decode(head), size > len(head)), hint)
    if hint.flux is not None and sniffed.kind is not Kind.DATA:
        raise NotReadableError(
            "named like a DGDDI data file, but holds no regional rows (Flux;Trimestre;Année;…)", line=1
        )
    return sniffed


def _looks_utf16(head: bytes) -> bool:
    sample = head[:512]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _decode_utf16(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF16_BE) or (not head.startswith(codecs.BOM_UTF16_LE) and head[:1] == b"\0"):
        return head.decode("utf-16-be", errors="replace").lstrip("\ufeff")
    return head.decode("utf-16-le", errors="replace").lstrip("\ufeff")


def _decode(head: bytes) -> str:
    """The head as text: UTF-8 (a character cut at the end is fine), else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        return decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _lines(text: str, truncated: bool) -> list[str]:
    lines = text.split("\n")
    if truncated:
        lines = lines[:-1]  # cut in the middle
    return [line.rstrip("\r") for line in lines if line.strip()][:_SAMPLED_LINES]


def _classify(lines: list[str], hint: NameHint) -> Sniffed:
    if not lines:
        return Sniffed(Kind.OTHER, "blank text")
    header = 1 if _DATA_HEADER.match(lines[0]) else 0
    if any(_DATA_ROW.fullmatch(line) for line in lines[header:]):
        return Sniffed(Kind.DATA, "regional rows", header)
    for header in (0, 1):
        if kind := _label_kind(lines[header:]):
            return Sniffed(Kind.LABELS if kind in USED_LABEL_KINDS else Kind.OTHER, kind, header)
    return Sniffed(Kind.OTHER, "label-like list" if hint.labels else "text")


def label_fields(line: str) -> list[str]:
    """The fields of a label line: `;`-separated, labels quoted when they hold a `;`."""
    return [field.strip() for field in next(csv.reader([line], delimiter=";", quotechar='"'), [])]


def _is_departement_row(fields: list[str]) -> bool:
    filled = [f for f in fields if f]
    return (
        len(filled) in (4, 6)
        and bool(_DEPARTEMENT.fullmatch(fields[0]) and _REGION.fullmatch(fields[2]))
        and all(_VALIDITY.fullmatch(f) for f in filled[4:])
    )


def _is_label_row(fields: list[str]) -> bool:
    return len(fields) >= 4 and bool(fields[0]) and all(_VALIDITY.fullmatch(f) for f in fields[2:4])


def _label_kind(lines: list[str]) -> str | None:
    """The label kind every line agrees on, or None."""
    if not lines:
        return None
    rows = [label_fields(line) for line in lines]
    if all(_is_departement_row(fields) for fields in rows):
        return "departements"
    if not all(_is_label_row(fields) for fields in rows):
        return None
    for kind, shape in _LABEL_CODES.items():
        if all(shape.fullmatch(fields[0]) for fields in rows):
            return kind
    return None
