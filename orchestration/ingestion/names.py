"""What a file's name says about it: packaging, flow, label list or documentation.

Names are hints, never proof: the content decides what a file is (`sniff.py`). A name only
announces what the content must then agree with (a file named for exports holding import rows
is an error) and which rules of coverage apply (an annual file holds one whole year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath


class Packaging(StrEnum):
    """How DGDDI ships regional data."""

    ANNUAL = "annual"  # Regional-YYYY-export.zip / Region_YYYY_Export.txt: one full year, one flow
    LAST_PUBLICATION = "last_publication"  # REGIONAL_CPF4PAYS[EI].txt: the last 5 quarters
    PLAIN = "plain"  # any other file of DGDDI regional rows


_ANNUAL = re.compile(r"(?:^|[/_-])Region(?:al)?[-_](?P<year>\d{4})[-_](?P<flow>export|import)", re.IGNORECASE)
_LAST_PUBLICATION = re.compile(r"REGIONAL_CPF4PAYS(?P<flux>[EI])(?![A-Z])", re.IGNORECASE)
_LAST_PUBLICATION_BOTH = re.compile(r"REGIONAL_CPF4PAYS(?![EI][^A-Z])", re.IGNORECASE)
_LABELS = re.compile(r"^(libelle_.*|departement.*region.*|departement)\.(txt|csv)$", re.IGNORECASE)
_DOCUMENTATION = re.compile(r"^(lisez[-_ ]?moi|readme|description).*", re.IGNORECASE)
_NOT_TEXT_SUFFIXES = frozenset(
    [
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".bmp",
        ".tif",
        ".tiff",
        ".doc",
        ".docx",
        ".odt",
        ".xls",
        ".xlsx",
        ".ods",
        ".ppt",
        ".pptx",
        ".html",
        ".htm",
        ".md",
        ".json",
        ".jsonl",
        ".xml",
        ".rtf",
        ".csv",
    ]
)
#: Files of the drop zone that other parts of comex read (the ANCT list: exports/industry.py).
_ELSEWHERE = re.compile(r"^liste-ti-com.*\.csv$", re.IGNORECASE)


@dataclass(frozen=True)
class NameHint:
    """What a name announces."""

    packaging: Packaging
    flux: str | None  # "E" or "I" when the name names one flow
    year: int | None  # the year of an annual file
    labels: bool  # Libelle_*.txt, Departement_region.txt
    documentation: bool  # LISEZ-MOI, README, PDF, images…: never data


def hint(name: str, archive_name: str | None = None) -> NameHint:
    """The hint of a file (or of an archive member, whose archive name also counts)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    flux, year, packaging = None, None, Packaging.PLAIN
    for text in (name, archive_name or ""):  # the member's own name first, then its archive's
        if flux is not None:
            break
        if match := _LAST_PUBLICATION.search(text):
            packaging, flux = Packaging.LAST_PUBLICATION, match["flux"].upper()
        elif match := _ANNUAL.search(text):
            packaging, year = Packaging.ANNUAL, int(match["year"])
            flux = "E" if match["flow"].lower() == "export" else "I"
        elif packaging is Packaging.PLAIN and _LAST_PUBLICATION_BOTH.search(text):
            packaging = Packaging.LAST_PUBLICATION  # an archive of both flows: each member says its own
    suffix = PurePosixPath(base).suffix.lower()
    documentation = bool(_DOCUMENTATION.match(base)) or suffix in _NOT_TEXT_SUFFIXES
    labels = bool(_LABELS.match(base))
    if labels or documentation:
        flux, year, packaging = None, None, Packaging.PLAIN
    return NameHint(packaging, flux, year, labels, documentation)


def read_elsewhere(name: str) -> bool:
    """Drop-zone files that ingestion leaves to another part of comex (the ANCT list)."""
    return bool(_ELSEWHERE.match(PurePosixPath(name).name))


def is_archive(name: str) -> bool:
    return name.lower().endswith(".zip")
