"""Find the DGDDI customs files in the raw drop zone and tell their packaging."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Packaging(StrEnum):
    """How DGDDI ships regional data."""

    ANNUAL = "annual"  # Regional-YYYY-export.zip: one full year, one flow
    LAST_PUBLICATION = "last_publication"  # REGIONAL_CPF4PAYS[EI].txt: the last 5 quarters
    PLAIN = "plain"  # any other .txt in DGDDI's regional row format


_ANNUAL = re.compile(r"^Regional-(?P<year>\d{4})-(?P<flow>export|import)\.zip$", re.IGNORECASE)
_ANNUAL_TXT = re.compile(r"^Region_(?P<year>\d{4})_(?P<flow>Export|Import)\.txt$", re.IGNORECASE)
_LAST_PUBLICATION = re.compile(r"^REGIONAL_CPF4PAYS(?P<flux>[EI])\.(?P<ext>txt|zip)$", re.IGNORECASE)
_PLAIN = re.compile(r"\.(txt|zip)$", re.IGNORECASE)
_NOT_CUSTOMS = re.compile(r"^(liste-ti-com.*\.csv|README.*|.*\.md|\..*)$", re.IGNORECASE)


@dataclass(frozen=True)
class CustomsSource:
    """One file of the drop zone that carries customs rows."""

    path: Path
    packaging: Packaging
    expected_flux: str | None  # "E" or "I" when the file name says so

    @property
    def name(self) -> str:
        return self.path.name


def classify(path: Path) -> CustomsSource | None:
    """The customs source a file is, or None for files that are not customs data."""
    name = path.name
    if _NOT_CUSTOMS.match(name):
        return None
    if match := _ANNUAL.match(name) or _ANNUAL_TXT.match(name):
        flux = "E" if match["flow"].lower() == "export" else "I"
        return CustomsSource(path, Packaging.ANNUAL, flux)
    if match := _LAST_PUBLICATION.match(name):
        return CustomsSource(path, Packaging.LAST_PUBLICATION, match["flux"].upper())
    if _PLAIN.search(name):
        return CustomsSource(path, Packaging.PLAIN, None)
    return None


def discover(raw_dir: Path) -> list[CustomsSource]:
    """Customs files directly in `raw_dir`, sorted by name (subfolders are not scanned)."""
    if not raw_dir.is_dir():
        return []
    found = (classify(p) for p in sorted(raw_dir.iterdir()) if p.is_file())
    return [source for source in found if source is not None]
