"""INSEE territory codes read as DGDDI's: `2A`/`2B` → `20`, `971`…`976` → `9A`…`9E`, INSEE
région `44` → DGDDI `13`. The mapping is the project's crosswalk seeds
(`seeds/comex/departement_crosswalk.csv`, `region_crosswalk.csv`); a code that is already a
DGDDI code is never translated (INSEE région 24 is not DGDDI région 24).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orchestration.settings import REPO_ROOT

CROSSWALKS = REPO_ROOT / "seeds" / "comex"
#: The crosswalk seed of each level: (file, DGDDI column, INSEE column).
_SEEDS = {
    "departement": ("departement_crosswalk.csv", "departement_code", "insee_departement_code"),
    "region": ("region_crosswalk.csv", "region_code", "insee_region_code"),
}
_WHY = {"20": "DGDDI counts Corsica (2A and 2B) as 20"}


@dataclass(frozen=True)
class DgddiCode:
    """A territory code as DGDDI writes it, and how an INSEE code given for it was read."""

    code: str
    note: str | None = None


@cache
def _crosswalk(level: str, folder: Path = CROSSWALKS) -> tuple[frozenset[str], dict[str, str]]:
    """(every DGDDI code, INSEE code → DGDDI code for the INSEE codes that are not DGDDI codes)."""
    file_name, dgddi_column, insee_column = _SEEDS[level]
    with (folder / file_name).open(encoding="utf-8", newline="") as handle:
        pairs = [(row[dgddi_column], row[insee_column]) for row in csv.DictReader(handle)]
    dgddi = frozenset(code for code, _ in pairs)
    return dgddi, {insee: code for code, insee in pairs if insee and insee not in dgddi}


def to_dgddi(level: str, code: str) -> DgddiCode:
    """`code` (DGDDI or INSEE, any case; `1` for `01`) as DGDDI's code of that level."""
    text = code.strip().upper()
    if level == "departement" and text.isdigit() and len(text) == 1:
        text = text.zfill(2)  # `1` means Ain (01)
    if level not in _SEEDS:
        return DgddiCode(text)
    dgddi, from_insee = _crosswalk(level)
    if text in dgddi or text not in from_insee:
        return DgddiCode(text)
    translated = from_insee[text]
    level_name = "département" if level == "departement" else "région"
    why = f": {_WHY[translated]}" if translated in _WHY else ""
    return DgddiCode(translated, f"INSEE {level_name} {text} is DGDDI {level_name} {translated}{why}")


def insee_aliases(level: str, code: str) -> list[str]:
    """The INSEE codes read as DGDDI's `code` (for a search box): `20` → `2A`, `2B`."""
    if level not in _SEEDS:
        return []
    _, from_insee = _crosswalk(level)
    return sorted(insee for insee, dgddi in from_insee.items() if dgddi == code)
