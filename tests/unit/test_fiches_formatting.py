"""French number formatting of the fiches (orchestration.fiches.formatting)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.fiches.formatting import (
    MINUS,
    THOUSANDS_SEP,
    UNIT_SEP,
    concentration_reading,
    concentration_word,
    format_date,
    format_hhi,
    format_meur,
    format_millions,
    format_number,
    format_percent,
    format_points,
    format_signed_number,
    format_signed_percent,
    growth_reading,
    normalize_spaces,
    or_missing,
    partial_period,
    specialisation_reading,
    top3_reading,
    top_partner_reading,
    totals_sentence,
    us_total_reading,
    zone_reading,
)

NN = THOUSANDS_SEP


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, f"1{NN}000"),
        (1234567.891, 1, f"1{NN}234{NN}567,9"),
        (-1234, 0, f"-1{NN}234"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (Decimal("0.05"), 1, "0,1"),  # half up, on the exact decimal
        (2.675, 2, "2,68"),  # binary 2.67499…: still half up on the written value
        ("580354.5", 1, f"580{NN}354,5"),
    ],
)
def test_format_number(value, decimals, expected) -> None:
    assert format_number(value, decimals) == expected


def test_published_figures() -> None:
    # the Vosges fiche: 2 906.7 M€, 4.3 % of Grand Est, 0.50 % of France
    assert format_millions(2_906_700_000) == f"2{NN}906,7"
    assert format_meur(580_354_500_000) == f"580{NN}354,5{UNIT_SEP}M€"
    assert format_percent(2_906_700_000 / 67_665_400_000) == f"4,3{UNIT_SEP}%"
    assert format_percent(2_906_700_000 / 580_354_500_000, 2) == f"0,50{UNIT_SEP}%"
    assert format_millions(49_950_000) == "50,0"  # 49.95 rounds half up
    assert format_millions(-1_089_294_203) == f"-1{NN}089,3"


def test_totals_sentence_matches_the_fiche() -> None:
    lines = totals_sentence(
        "export",
        2_906_700_000,
        region_label="Grand Est",
        share_of_region=0.042956961755934345,
        share_of_france=0.005008490500202893,
    )
    assert normalize_spaces(", ".join(lines)) == (
        "Total des exportations : 2 906,7 millions d'euros, soit 4,3 % de la valeur exportée par la région "
        "Grand Est, soit 0,50 % de la valeur exportée au niveau national"
    )
    imports = totals_sentence("import", 684_776_300_000)
    assert [normalize_spaces(x) for x in imports] == ["Total des importations : 684 776,3 millions d'euros"]
    region = totals_sentence("import", 63_519_700_000, share_of_france=0.09275978155201925)
    assert normalize_spaces(region[1]) == "soit 9,28 % de la valeur importée au niveau national"
    dom = totals_sentence("export", 1, region_label="DOM", share_of_region=0.196)
    assert normalize_spaces(dom[1]) == "soit 19,6 % de la valeur exportée par l'ensemble des DOM"


def test_no_wrapping_inside_a_figure() -> None:
    text = format_meur(12_345_678_901)
    assert " " not in text  # only no-break spaces


def test_format_date() -> None:
    assert format_date(2025, 6, 1) == "1er juin 2025"
    assert format_date(2026, 12, 24) == "24 décembre 2026"


# -- the Évolution, Exposition and Spécialisation sections --------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.034, "+3,4 %"),
        (-0.021, f"{MINUS}2,1 %"),
        (0, "0,0 %"),
        (-0.0004, "0,0 %"),  # rounds to zero: no sign
        (0.00049, "0,0 %"),
        (1.5, "+150,0 %"),
        (-12.3456, f"{MINUS}1 234,6 %"),
    ],
)
def test_format_signed_percent(fraction, expected) -> None:
    assert normalize_spaces(format_signed_percent(fraction)) == expected


def test_points_hhi_and_signed_numbers() -> None:
    assert normalize_spaces(format_points(0.012)) == "+1,2 pt"
    assert normalize_spaces(format_points(-0.0041)) == f"{MINUS}0,4 pt"
    assert normalize_spaces(format_points(0.0)) == "0,0 pt"
    assert format_hhi(0.1845) == "0,18"
    assert format_hhi(0.185) == "0,19"  # half up on the written decimal
    assert format_hhi(1) == "1,00"
    assert format_signed_number(-187) == f"{MINUS}187"
    assert format_signed_number(1234) == f"+1{NN}234"
    assert format_signed_number(0.071, 2) == "+0,07"
    assert format_signed_number(-0.001, 2) == "0,00"
    assert or_missing(None, format_hhi) == "n.d."
    assert or_missing(0.5, format_hhi) == "0,50"
    assert UNIT_SEP in format_signed_percent(0.1) and UNIT_SEP in format_points(0.1)  # never wrapped


def test_zone_readings() -> None:
    assert normalize_spaces(zone_reading("export", "us", 0.124, 0.081)) == (
        "12,4 % des exportations vont aux États-Unis, contre 8,1 % pour la France."
    )
    assert normalize_spaces(zone_reading("import", "us", 0.2, 0.0975)) == (
        "20,0 % des importations proviennent des États-Unis, contre 9,8 % pour la France."
    )
    assert normalize_spaces(zone_reading("export", "eu27", 0.643)) == (
        "64,3 % des exportations vont vers l'Union européenne (UE à 27)."  # France's own fiche: no « contre »
    )
    assert normalize_spaces(zone_reading("import", "extra_eu27", 0.434, 0.4)) == (
        "43,4 % des importations proviennent de pays hors de l'Union européenne, contre 40,0 % pour la France."
    )
    assert normalize_spaces(zone_reading("import", "us", 0.0, 0.0975)) == (
        "Aucune importation ne provient des États-Unis, contre 9,8 % pour la France."
    )
    assert normalize_spaces(zone_reading("export", "us", 0.0)) == "Aucune exportation ne va aux États-Unis."
    assert normalize_spaces(zone_reading("export", "us", 0.0003, 0.08)) == (
        "Moins de 0,1 % des exportations vont aux États-Unis, contre 8,0 % pour la France."
    )


def test_partner_and_concentration_readings() -> None:
    assert normalize_spaces(top_partner_reading("export", "Royaume-Uni", 0.2697, "Allemagne", 0.1583)) == (
        "Premier client : Royaume-Uni, avec 27,0 % des exportations (France : Allemagne, 15,8 %)."
    )
    assert normalize_spaces(top_partner_reading("import", "Allemagne", 0.151)) == (
        "Premier fournisseur : Allemagne, avec 15,1 % des importations."
    )
    assert normalize_spaces(top3_reading("import", 0.766, 0.367)) == (
        "Les trois premiers fournisseurs assurent 76,6 % des importations, contre 36,7 % pour la France."
    )
    assert [concentration_word(h) for h in (0.0, 0.1499, 0.15, 0.2499, 0.25, 1.0)] == [
        "peu concentrées",
        "peu concentrées",
        "moyennement concentrées",
        "moyennement concentrées",
        "fortement concentrées",
        "fortement concentrées",
    ]
    assert concentration_reading("export", "partner", 0.169, 0.097) == (
        "Les exportations sont moyennement concentrées par pays (indice de Herfindahl-Hirschman 0,17, "
        "contre 0,10 pour la France)."
    )
    assert concentration_reading("import", "product", 0.06) == (
        "Les importations sont peu concentrées par produit (indice de Herfindahl-Hirschman 0,06)."
    )


def test_growth_reading() -> None:
    text = growth_reading("export", 2024, 0.0063, 0.0508, france_growth_1y=-0.0048, france_cagr_5y=0.03)
    assert normalize_spaces(text) == (
        "Exportations 2024 : +0,6 % sur un an, contre −0,5 % pour la France ; +5,1 % par an en moyenne depuis 2019, "
        "contre +3,0 % pour la France."
    )
    partial = growth_reading("import", 2025, -0.031, None, quarters_covered=2)
    assert normalize_spaces(partial) == "Importations du 1er semestre 2025 : −3,1 % sur un an."
    assert growth_reading("export", 2023, None, None) is None  # first year: nothing to compare with
    assert partial_period(2025, 1) == "1er trimestre 2025"
    assert partial_period(2025, 3, article=True) == "des 3 premiers trimestres 2025"


def test_specialisation_and_us_readings() -> None:
    assert normalize_spaces(specialisation_reading("export", "Meubles", 0.1264, 0.0077, 16.43)) == (
        "Meubles : 12,6 % des exportations, contre 0,8 % pour la France (indice de spécialisation 16,4)."
    )
    assert normalize_spaces(us_total_reading("export", 575_700_000, 0.198, 0.0853)) == (
        "Exportations vers les États-Unis : 575,7 M€, soit 19,8 % des exportations, contre 8,5 % pour la France."
    )
    assert normalize_spaces(us_total_reading("import", 66_786_200_000, 0.0975)) == (
        "Importations en provenance des États-Unis : 66 786,2 M€, soit 9,8 % des importations."
    )
