"""French number formatting of the fiches (orchestration.fiches.formatting)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.fiches.formatting import (
    THOUSANDS_SEP,
    UNIT_SEP,
    format_date,
    format_meur,
    format_millions,
    format_number,
    format_percent,
    normalize_spaces,
    totals_sentence,
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
