"""INSEE territory codes are read as DGDDI's, from the project's crosswalk seeds."""

from __future__ import annotations

import pytest

from orchestration.territory_codes import DgddiCode, insee_aliases, to_dgddi


@pytest.mark.parametrize(
    ("level", "given", "code"),
    [
        ("departement", "2A", "20"),
        ("departement", "2b", "20"),
        ("departement", "971", "9A"),
        ("departement", "976", "9E"),
        ("region", "44", "13"),
        ("region", "11", "03"),
    ],
)
def test_insee_codes_become_dgddi_codes_and_say_so(level: str, given: str, code: str) -> None:
    read = to_dgddi(level, given)
    assert read.code == code
    assert read.note is not None and read.note.startswith(f"INSEE {'région' if level == 'region' else 'département'}")
    assert given.upper() in read.note and code in read.note


def test_corsica_says_why() -> None:
    assert to_dgddi("departement", "2A").note == (
        "INSEE département 2A is DGDDI département 20: DGDDI counts Corsica (2A and 2B) as 20"
    )


@pytest.mark.parametrize(
    ("level", "given", "expected"),
    [
        ("departement", "88", DgddiCode("88")),
        ("departement", "1", DgddiCode("01")),  # `1` means Ain
        ("departement", "9a", DgddiCode("9A")),
        ("region", "24", DgddiCode("24")),  # a DGDDI région code: never read as INSEE région 24
        ("region", "13", DgddiCode("13")),
        ("france", "fr", DgddiCode("FR")),
        ("departement", "2C", DgddiCode("2C")),  # unknown either way: left for the lookup to refuse
    ],
)
def test_dgddi_codes_are_kept(level: str, given: str, expected: DgddiCode) -> None:
    assert to_dgddi(level, given) == expected


def test_insee_aliases_for_a_search_box() -> None:
    assert insee_aliases("departement", "20") == ["2A", "2B"]
    assert insee_aliases("departement", "9E") == ["976"]
    assert insee_aliases("region", "13") == ["44"]
    assert insee_aliases("departement", "88") == []
