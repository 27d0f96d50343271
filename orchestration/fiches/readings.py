"""One-line readings in plain French of the « Évolution », « Exposition et dépendance » and « Spécialisation »
sections, each beside France's figure (never on France's own fiche: it is the reference)."""

from __future__ import annotations

from orchestration.fiches.data import Exposure, ProductWeight, YearTrend
from orchestration.fiches.formatting import (
    concentration_reading,
    growth_reading,
    specialisation_reading,
    top_partner_reading,
    us_total_reading,
    zone_reading,
)

ZONES = ("us", "eu27", "extra_eu27")  # the readings' order: the United States first (the brief's question)


def evolution_reading(flow: str, trend: YearTrend | None, france: YearTrend | None = None) -> str | None:
    """`Exportations 2024 : +0,6 % sur un an, contre −0,5 % pour la France ; …`, None without growth figures."""
    if trend is None:
        return None
    return growth_reading(
        flow,
        trend.year,
        trend.growth_1y,
        trend.cagr_5y,
        quarters_covered=trend.quarters_covered,
        france_growth_1y=france.growth_1y if france else None,
        france_cagr_5y=france.cagr_5y if france else None,
    )


def exposure_readings(flow: str, own: Exposure, france: Exposure | None = None) -> list[str]:
    """The zones (United States, EU-27, outside the EU), the first partner, then concentration (country, product)."""
    lines = []
    for zone in ZONES:
        share = getattr(own, f"{zone}_share")
        if share is not None:
            reference = getattr(france, f"{zone}_share") if france else None
            lines.append(zone_reading(flow, zone, share, reference))
    if own.top_partner_label and own.top_partner_share is not None:
        lines.append(
            top_partner_reading(
                flow,
                own.top_partner_label,
                own.top_partner_share,
                france.top_partner_label if france else None,
                france.top_partner_share if france else None,
            )
        )
    for by in ("partner", "product"):
        hhi = getattr(own, f"{by}_hhi")
        if hhi is not None:
            lines.append(concentration_reading(flow, by, hhi, getattr(france, f"{by}_hhi") if france else None))
    return lines


def specialisation_lead(flow: str, products: list[ProductWeight]) -> str | None:
    """The reading of the most specialised product (the first of `products`), None when there is none above 1."""
    first = products[0] if products else None
    if first is None or first.rca is None or first.rca < 1:
        return None
    return specialisation_reading(flow, first.label, first.share_of_flow, first.france_share_of_flow, first.rca)


def us_reading(flow: str, own: Exposure | None, france: Exposure | None = None) -> str | None:
    """`Exportations vers les États-Unis : 575,7 M€, soit 19,8 % des exportations, contre 8,5 % pour la France.`

    `Aucune importation ne provient des États-Unis…` when there is none. None without the exposure table.
    """
    if own is None or own.us_share is None or own.us_value_eur is None:
        return None
    reference = france.us_share if france else None
    if own.us_share <= 0:
        return zone_reading(flow, "us", 0.0, reference)
    return us_total_reading(flow, own.us_value_eur, own.us_share, reference)
