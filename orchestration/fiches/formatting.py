"""French number formatting for the fiches: `2 906,7`, `4,3 %`, `0,50 %` (exact decimal rounding).

Thousands are separated by a narrow no-break space (U+202F, French typography; the published
text shows a plain space) and units by a no-break space (U+00A0), so a figure never wraps.
Rounding is half-up on the exact decimal value, never on a binary float.
"""

from __future__ import annotations

from collections.abc import Callable
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


MINUS = "\u2212"  # typographic minus of signed figures: `−2,1 %`
MISSING = "n.d."  # non disponible: a share or growth the exports leave null


def _signed(text: str, value: Decimal) -> str:
    """`text` (already rounded, unsigned) with `+` or `−`; no sign when it rounds to zero."""
    if set(text) <= set("0,"):
        return text
    return ("+" if value > 0 else MINUS) + text


def format_signed_number(value: int | float | Decimal | str, decimals: int = 0) -> str:
    """A difference → `+12`, `−0,07`, `0`."""
    number = _to_decimal(value)
    return _signed(format_number(abs(number), decimals), number)


def format_signed_percent(fraction: int | float | Decimal | str, decimals: int = 1) -> str:
    """A change as a fraction → `+3,4 %`, `−2,1 %`, `0,0 %`."""
    value = _to_decimal(fraction) * 100
    return f"{_signed(format_number(abs(value), decimals), value)}{UNIT_SEP}%"


def format_points(delta: int | float | Decimal | str, decimals: int = 1) -> str:
    """A difference of two shares (fractions) in percentage points → `+1,2 pt`, `−0,4 pt`."""
    value = _to_decimal(delta) * 100
    return f"{_signed(format_number(abs(value), decimals), value)}{UNIT_SEP}pt"


def format_hhi(value: int | float | Decimal | str) -> str:
    """A Herfindahl-Hirschman index (0–1) → `0,18`."""
    return format_number(value, 2)


def or_missing(value: float | None, formatter: Callable[[float], str]) -> str:
    """`formatter(value)`, or `n.d.` when the exports leave the figure null."""
    return MISSING if value is None else formatter(value)


FLOW_NOUNS = {"export": "exportations", "import": "importations"}
FLOW_SINGULAR = {"export": "exportation", "import": "importation"}
# verb (plural, singular) and where to / from, per flow and zone of the exposure table
FLOW_VERBS = {"export": ("vont", "va"), "import": ("proviennent", "provient")}
ZONE_PLACES = {
    "export": {
        "us": "aux États-Unis",
        "eu27": "vers l'Union européenne (UE à 27)",
        "extra_eu27": "hors de l'Union européenne",
        "cn": "en Chine",
    },
    "import": {
        "us": "des États-Unis",
        "eu27": "de l'Union européenne (UE à 27)",
        "extra_eu27": "de pays hors de l'Union européenne",
        "cn": "de Chine",
    },
}
PARTNER_WORDS = {"export": ("client", "clients"), "import": ("fournisseur", "fournisseurs")}
FRANCE = "la France"


def _versus(france_text: str | None) -> str:
    return f", contre {france_text} pour {FRANCE}" if france_text else ""


def zone_reading(flow: str, zone: str, share: float, france_share: float | None = None) -> str:
    """`12,4 % des exportations vont aux États-Unis, contre 8,1 % pour la France.` (no `contre` without France)."""
    plural, singular = FLOW_VERBS[flow]
    place = ZONE_PLACES[flow][zone]
    versus = _versus(format_percent(france_share) if france_share is not None else None)
    text = format_percent(share)
    if share <= 0:
        return f"Aucune {FLOW_SINGULAR[flow]} ne {singular} {place}{versus}."
    if share < 0.0005:  # shows as 0,0 %
        text = f"Moins de {format_percent(0.001)}"
    return f"{text[0].upper()}{text[1:]} des {FLOW_NOUNS[flow]} {plural} {place}{versus}."


def top_partner_reading(
    flow: str,
    label: str,
    share: float,
    france_label: str | None = None,
    france_share: float | None = None,
) -> str:
    """`Premier client : Royaume-Uni, avec 27,0 % des exportations (France : Allemagne, 15,8 %).`"""
    word = PARTNER_WORDS[flow][0]
    reference = ""
    if france_label and france_share is not None:
        reference = f" (France{UNIT_SEP}: {france_label}, {format_percent(france_share)})"
    return f"Premier {word}{UNIT_SEP}: {label}, avec {format_percent(share)} des {FLOW_NOUNS[flow]}{reference}."


def top3_reading(flow: str, share: float, france_share: float | None = None) -> str:
    """`Les trois premiers clients reçoivent 66,6 % des exportations, contre 42,9 % pour la France.`

    For imports: `Les trois premiers fournisseurs assurent 76,6 % des importations…`.
    """
    verb = "reçoivent" if flow == "export" else "assurent"
    versus = _versus(format_percent(france_share) if france_share is not None else None)
    return f"Les trois premiers {PARTNER_WORDS[flow][1]} {verb} {format_percent(share)} des {FLOW_NOUNS[flow]}{versus}."


HHI_MODERATE = 0.15  # Herfindahl-Hirschman thresholds of the competition authorities (1 500 and 2 500 on 10 000)
HHI_HIGH = 0.25


def concentration_word(hhi: float) -> str:
    """`peu`, `moyennement` or `fortement` concentrées, by the usual HHI thresholds (0,15 and 0,25)."""
    if hhi >= HHI_HIGH:
        return "fortement concentrées"
    if hhi >= HHI_MODERATE:
        return "moyennement concentrées"
    return "peu concentrées"


def concentration_reading(flow: str, by: str, hhi: float, france_hhi: float | None = None) -> str:
    """`Les exportations sont moyennement concentrées par pays (indice 0,17, contre 0,10 pour la France).`"""
    versus = _versus(format_hhi(france_hhi) if france_hhi is not None else None)
    what = "pays" if by == "partner" else "produit"
    return (
        f"Les {FLOW_NOUNS[flow]} sont {concentration_word(hhi)} par {what} "
        f"(indice de Herfindahl-Hirschman {format_hhi(hhi)}{versus})."
    )


def growth_reading(
    flow: str,
    year: int,
    growth_1y: float | None,
    cagr_5y: float | None,
    *,
    quarters_covered: int = 4,
    france_growth_1y: float | None = None,
    france_cagr_5y: float | None = None,
) -> str | None:
    """`Exportations 2024 : +0,6 % sur un an, contre −0,5 % pour la France ; +5,1 % par an en moyenne depuis 2019…`

    A partial year reads `Exportations du 1er semestre 2025 : …` (its growth compares the same quarters).
    None when no growth is known.
    """
    clauses = []
    if growth_1y is not None:
        versus = _versus(format_signed_percent(france_growth_1y) if france_growth_1y is not None else None)
        clauses.append(f"{format_signed_percent(growth_1y)} sur un an{versus}")
    if cagr_5y is not None:
        versus = _versus(format_signed_percent(france_cagr_5y) if france_cagr_5y is not None else None)
        clauses.append(f"{format_signed_percent(cagr_5y)} par an en moyenne depuis {year - 5}{versus}")
    if not clauses:
        return None
    period = f"{year}" if quarters_covered >= 4 else partial_period(year, quarters_covered, article=True)
    return f"{FLOW_NOUNS[flow].capitalize()} {period}{UNIT_SEP}: {' ; '.join(clauses)}."


def partial_period(year: int, quarters: int, *, article: bool = False) -> str:
    """`1er trimestre 2025`, `1er semestre 2025`, `3 premiers trimestres 2025` (`du …`/`des …` with `article`)."""
    if quarters == 1:
        return f"{'du ' if article else ''}1er trimestre {year}"
    if quarters == 2:
        return f"{'du ' if article else ''}1er semestre {year}"
    return f"{'des ' if article else ''}{quarters} premiers trimestres {year}"


def specialisation_reading(flow: str, label: str, share: float, france_share: float | None, rca: float) -> str:
    """`Meubles : 12,3 % des exportations, contre 0,8 % pour la France (indice de spécialisation 16,4).`"""
    versus = _versus(format_percent(france_share) if france_share is not None else None)
    return (
        f"{label}{UNIT_SEP}: {format_percent(share)} des {FLOW_NOUNS[flow]}{versus} "
        f"(indice de spécialisation {format_number(rca, 1)})."
    )


def us_total_reading(flow: str, value_eur: int | float, share: float, france_share: float | None = None) -> str:
    """`Exportations vers les États-Unis : 575,7 M€, soit 19,8 % des exportations, contre 8,5 % pour la France.`"""
    direction = "vers les" if flow == "export" else "en provenance des"
    versus = _versus(format_percent(france_share) if france_share is not None else None)
    return (
        f"{FLOW_NOUNS[flow].capitalize()} {direction} États-Unis{UNIT_SEP}: {format_meur(value_eur)}, "
        f"soit {format_percent(share)} des {FLOW_NOUNS[flow]}{versus}."
    )
