"""CSV dialects of the export files: the standard one and the one French Excel opens cleanly."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written (recorded in the manifest)."""

    name: str
    delimiter: str
    decimal: str
    encoding: str  # as Python names it: utf-8, or utf-8-sig (with a byte-order mark)

    @property
    def bom(self) -> bool:
        return self.encoding == "utf-8-sig"

    def describe(self) -> dict[str, str | bool]:
        return asdict(self) | {"bom": self.bom}


STANDARD = CsvDialect("standard", delimiter=",", decimal=".", encoding="utf-8")
#: `;` separator, decimal comma, UTF-8 with BOM: French Excel opens it with accents and numbers right.
FRENCH = CsvDialect("fr", delimiter=";", decimal=",", encoding="utf-8-sig")
DIALECTS = {d.name: d for d in (STANDARD, FRENCH)}


def dialect(name: str) -> CsvDialect:
    """The dialect called `name` (standard or fr)."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown CSV dialect {name!r}: use one of {', '.join(DIALECTS)}") from None
