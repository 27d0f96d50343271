"""Read the label lists DGDDI ships with its data (Libelle_*.txt, Departement_region.txt).

`code;label;YYYYMM;YYYYMM` (A129, CPF4, countries) or `département;label;région;label[;from;to]`;
labels in double quotes when they hold a `;`; with or without a header line; in UTF-8 (with or
without BOM) or Windows-1252; CRLF or LF.
Validity dates given as years (YYYY) are read as their first and last months.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.ingestion.sniff import label_fields
from orchestration.text_decoding import decode_bytes

OPEN_END = 999912  # DGDDI's "still valid"
OPEN_START = 190001


@dataclass(frozen=True)
class LabelRow:
    """One code of a label list, with its validity (YYYYMM) and, for départements, its région."""

    code: str
    label: str
    valid_from: int
    valid_to: int
    parent_code: str | None = None
    parent_label: str | None = None


def _month(text: str, *, end: bool) -> int:
    text = text.strip()
    if len(text) == 4:
        return int(text) * 100 + (12 if end else 1)
    return int(text)


def parse_labels(data: bytes, kind: str, header_lines: int) -> tuple[list[LabelRow], str]:
    """The rows of a label file, and the encoding it was read in; malformed lines are skipped."""
    text, encoding = decode_bytes(data)
    rows: list[LabelRow] = []
    lines = [line.rstrip("\r") for line in text.split("\n")]
    for line in lines[header_lines:]:
        fields = label_fields(line)
        try:
            if kind == "departements":
                if len(fields) < 4 or not fields[0] or not fields[2]:
                    continue
                dates = [f for f in fields[4:6] if f]
                start, end = (_month(dates[0], end=False), _month(dates[1], end=True)) if len(dates) == 2 else (
                    OPEN_START, OPEN_END
                )  # fmt: skip
                rows.append(LabelRow(fields[0], fields[1], start, end, fields[2], fields[3]))
            else:
                if len(fields) < 4 or not fields[0]:
                    continue
                rows.append(LabelRow(fields[0], fields[1], _month(fields[2], end=False), _month(fields[3], end=True)))
        except ValueError:
            continue
    return rows, encoding
