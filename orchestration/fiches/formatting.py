"""French number formatting for the fiches: `2 906,7`, `4,3 %`, `0,50 %` (exact decimal rounding).

Thousands are separated by a narrow no-break space (U+202F, French typography; the published
text shows a plain space) and units by a no-break space (U+00A0), so a figure never wraps.
Rounding is half-up on the exact decimal value, never on a binary float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

THOUSANDS_SEP = "\u202f"
UNIT_SEP = "\u00a0"
MILLION = Decimal(1_000_000)


def _to_decimal(value: int | float | Decimal | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest decimal that round-trips, not the binary expansion
    return Decimal(value)


def format_number(value: int | float | Decimal | str, decimals: int = 0) -> str:
    """`1234567.891, 1` → `1 234 567,9` (thin no-break space between thousands, comma decimal)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    # Decimal formats exactly; "," groups thousands, then swap to French separators
    return f"{rounded:,.{decimals}f}".replace(",", THOUSANDS_SEP).replace(".", ",")


def format_millions(value_eur: int | float | Decimal | str, decimals: int = 1) -> str:
    """Euros → millions of euros, number only: `2906700000` → `2 906,7`."""
    return format_number(_to_decimal(value_eur) / MILLION, decimals)


def format_meur(value_eur: int | float | Decimal | str, decimals: int = 1) -> str:
    """Euros → `2 906,7 M€`."""
    return f"{format_millions(value_eur, decimals)}{UNIT_SEP}M€"


def format_percent(fraction: int | float | Decimal | str, decimals: int = 1) -> str:
    """A share 0–1 → `4,3 %` (`decimals` digits after the comma)."""
    return f"{format_number(_to_decimal(fraction) * 100, decimals)}{UNIT_SEP}%"


def normalize_spaces(text: str) -> str:
    """Every kind of space as a plain space (to compare with the published text)."""
    return text.replace(THOUSANDS_SEP, " ").replace(UNIT_SEP, " ")


FLOW_WORDS = {
    "export": ("Total des exportations", "exportée"),
    "import": ("Total des importations", "importée"),
}


def totals_sentence(
    flow: str,
    value_eur: int,
    *,
    region_label: str | None = None,
    share_of_region: float | None = None,
    share_of_france: float | None = None,
) -> list[str]:
    """The fiche's totals sentence, one clause per line, e.g. for the Vosges' exports:

    `Total des exportations : 2 906,7 millions d'euros`, `soit 4,3 % de la valeur exportée par la
    région Grand Est`, `soit 0,50 % de la valeur exportée au niveau national`. A clause whose
    share is unknown is left out (régions have no région share, France no national share).
    """
    title, participle = FLOW_WORDS[flow]
    clauses = [f"{title}{UNIT_SEP}: {format_millions(value_eur)} millions d'euros"]
    if share_of_region is not None and region_label:
        region = "l'ensemble des DOM" if region_label == "DOM" else f"la région {region_label}"
        clauses.append(f"soit {format_percent(share_of_region, 1)} de la valeur {participle} par {region}")
    if share_of_france is not None:
        clauses.append(f"soit {format_percent(share_of_france, 2)} de la valeur {participle} au niveau national")
    return clauses


FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date(year: int, month: int, day: int) -> str:
    """`2025, 6, 1` → `1er juin 2025`."""
    return f"{'1er' if day == 1 else day} {FRENCH_MONTHS[month - 1]} {year}"
