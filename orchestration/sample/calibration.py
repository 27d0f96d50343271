"""Calibration targets and plausible shapes for the synthetic DGDDI sample.

Only ``CALIBRATION_2024`` is a published fact; every other number here is a rough,
hand-set order of magnitude that makes the synthetic data look plausible.
"""

from __future__ import annotations

from typing import Final

CALIBRATION_YEAR: Final = 2024

#: Published 2024 totals in euros, reproduced exactly by the generator for 2024.
#: Source: the "Les indicateurs clés : commerce extérieur — Territoires d'industrie" fiches
#: (ANCT with DGE, 2025, 2024 customs data) for the Vosges and the Aube, which print
#: France 580,354.5 / 684,776.3 M€, Grand Est 67,665.4 / 63,519.7 M€, Vosges 2,906.7 /
#: 2,277.2 M€ and Aube 1,822.3 / 1,697.2 M€ (exports / imports); see
#: /work/shared/spec/README.md. France = sum of every row of the DGDDI file (all
#: départements including DOM and Monaco, special country codes included).
#: Layout: level -> DGDDI territory code -> flux ("E" export, "I" import) -> euros.
CALIBRATION_2024: Final[dict[str, dict[str, dict[str, int]]]] = {
    "france": {"FR": {"E": 580_354_500_000, "I": 684_776_300_000}},
    "region": {"13": {"E": 67_665_400_000, "I": 63_519_700_000}},
    "departement": {
        "88": {"E": 2_906_700_000, "I": 2_277_200_000},
        "10": {"E": 1_822_300_000, "I": 1_697_200_000},
    },
}

#: Relative size of each département's trade (export, import), roughly in bn€.
#: Only shapes the split of the calibrated remainders; not published figures.
DEPARTMENT_WEIGHTS: Final[dict[str, tuple[float, float]]] = {
    # Hauts-de-France
    "02": (3.5, 3.5), "59": (30.0, 40.0), "60": (9.0, 10.0), "62": (9.0, 9.0),
    "80": (4.0, 3.5),
    # Ile-de-France (gas and electricity imports are attributed to Paris)
    "75": (22.0, 60.0), "77": (8.0, 14.0), "78": (17.0, 15.0), "91": (12.0, 16.0),
    "92": (28.0, 35.0), "93": (7.0, 14.0), "94": (9.0, 18.0), "95": (10.0, 17.0),
    # Centre-Val de Loire
    "18": (2.3, 1.5), "28": (5.0, 4.5), "36": (1.2, 1.0), "37": (3.0, 3.0),
    "41": (2.3, 2.0), "45": (6.5, 8.0),
    # Normandie
    "14": (3.0, 3.0), "27": (6.5, 5.5), "50": (1.6, 1.5), "61": (1.4, 1.2),
    "76": (16.0, 28.0),
    # Bretagne
    "22": (2.3, 2.0), "29": (3.0, 3.0), "35": (5.0, 6.0), "56": (2.0, 2.2),
    # Pays de la Loire
    "44": (11.0, 14.0), "49": (3.5, 3.0), "53": (1.8, 1.5), "72": (3.0, 3.5),
    "85": (3.0, 2.5),
    # Nouvelle-Aquitaine
    "16": (4.5, 1.5), "17": (2.2, 2.5), "19": (0.8, 0.6), "23": (0.15, 0.15),
    "24": (0.9, 0.8), "33": (11.0, 10.0), "40": (2.2, 1.8), "47": (1.5, 1.4),
    "64": (6.0, 4.5), "79": (1.7, 1.5), "86": (1.6, 1.5), "87": (1.7, 1.4),
    # Occitanie
    "09": (0.4, 0.3), "11": (0.9, 0.9), "12": (0.9, 0.7), "30": (2.2, 2.5),
    "31": (45.0, 26.0), "32": (0.7, 0.4), "34": (2.6, 4.0), "46": (0.4, 0.3),
    "48": (0.06, 0.05), "65": (1.3, 0.9), "66": (1.8, 3.5), "81": (1.5, 1.2),
    "82": (1.1, 1.2),
    # Grand Est (88 and 10 are calibrated)
    "08": (2.4, 2.0), "10": (1.8, 1.7), "51": (9.5, 5.0), "52": (1.8, 1.4),
    "54": (4.5, 6.0), "55": (1.2, 1.3), "57": (11.0, 15.0), "67": (16.0, 17.0),
    "68": (12.0, 12.0), "88": (2.9, 2.3),
    # Bourgogne - Franche-Comté
    "21": (3.5, 3.5), "25": (5.0, 4.5), "39": (1.5, 1.2), "58": (0.7, 0.6),
    "70": (1.6, 1.0), "71": (3.5, 3.5), "89": (1.3, 1.5), "90": (2.3, 1.5),
    # Auvergne - Rhône-Alpes
    "01": (5.5, 5.5), "03": (1.6, 1.3), "07": (1.3, 1.0), "15": (0.25, 0.2),
    "26": (3.0, 3.0), "38": (10.0, 10.0), "42": (3.2, 3.5), "43": (0.9, 0.8),
    "63": (6.0, 4.5), "69": (17.0, 22.0), "73": (2.5, 2.2), "74": (5.0, 5.0),
    # Provence-Alpes-Côte d'Azur (99 = Monaco)
    "04": (0.6, 0.4), "05": (0.15, 0.2), "06": (4.0, 5.0), "13": (20.0, 38.0),
    "83": (1.8, 2.5), "84": (3.0, 4.0), "99": (0.9, 1.2),
    # Corse
    "20": (0.1, 0.4),
    # DOM (trade with foreign countries only)
    "9A": (0.3, 2.8), "9B": (0.3, 2.8), "9C": (0.9, 1.5), "9D": (0.4, 5.0),
    "9E": (0.02, 0.6),
}  # fmt: skip
DEFAULT_DEPARTMENT_WEIGHT: Final = (1.0, 1.0)

#: National level of each year relative to 2024, (export, import); rough shape of the
#: published series, not a calibration. Other years extrapolate at ``DEFAULT_GROWTH``.
YEAR_FACTORS: Final[dict[int, tuple[float, float]]] = {
    2019: (0.85, 0.81),
    2020: (0.72, 0.71),
    2021: (0.84, 0.84),
    2022: (0.99, 1.08),
    2023: (1.00, 1.01),
    2024: (1.00, 1.00),
    2025: (1.01, 0.99),
}
DEFAULT_GROWTH: Final = 0.02

#: Main partner countries' relative weight (export side), and import-side multipliers.
COUNTRY_WEIGHTS: Final[dict[str, float]] = {
    "DE": 14.0, "BE": 10.0, "IT": 9.0, "ES": 9.0, "US": 8.5, "GB": 6.0, "NL": 5.0,
    "CH": 4.5, "CN": 4.0, "PL": 2.5, "JP": 1.5, "SE": 1.2, "PT": 1.2, "SG": 1.2,
    "AT": 1.1, "AE": 1.0, "TR": 1.0, "CZ": 1.0, "MA": 1.0, "IE": 0.9, "HK": 0.9,
    "IN": 0.8, "KR": 0.8, "DZ": 0.8, "CA": 0.8, "BR": 0.7, "RO": 0.7, "DK": 0.7,
    "TN": 0.7, "SA": 0.6, "HU": 0.6, "LU": 0.6, "AU": 0.6, "NO": 0.5, "MX": 0.5,
    "GR": 0.5, "SK": 0.5, "FI": 0.4, "VN": 0.4, "TH": 0.4,
}  # fmt: skip
IMPORT_MULTIPLIERS: Final[dict[str, float]] = {
    "CN": 2.5, "NO": 3.0, "NL": 1.6, "IE": 1.8, "VN": 3.0, "TH": 2.0, "IN": 1.5,
    "KR": 1.3, "BD": 8.0, "KZ": 5.0, "NG": 4.0, "AE": 0.6, "SG": 0.5, "HK": 0.3,
}  # fmt: skip
OTHER_COUNTRY_WEIGHT: Final = 0.06

#: Special geonomenclature codes kept (with a small weight) like real data.
SPECIAL_COUNTRY_WEIGHTS: Final[dict[str, float]] = {
    "FR": 0.15,  # goods returned
    "QU": 0.10,  # undetermined
    "QR": 0.25,  # ship and aircraft supplies, intra-EU
    "QS": 0.25,  # ship and aircraft supplies, third countries
    "QP": 0.02,  # high seas
    "QQ": 0.05,  # autocorrections
}

#: Product popularity and €/kg medians by A129 section letter (first character).
SECTION_WEIGHTS: Final[dict[str, float]] = {"A": 0.6, "B": 0.5, "C": 1.0, "D": 0.4, "E": 0.3}
OTHER_SECTION_WEIGHT: Final = 0.1
SECTION_EUR_PER_KG: Final[dict[str, float]] = {"A": 1.2, "B": 0.4, "C": 6.0, "D": 0.2, "E": 0.3}
OTHER_SECTION_EUR_PER_KG: Final = 30.0
