"""Regenerate the reference seed CSVs in ``seeds/`` from the public reference files.

Maintenance script, not part of the pipeline run. Deterministic and re-runnable:

    python scripts/build_reference_seeds.py [--reference-dir DIR] [--seeds-dir DIR]

Input files keep their published bytes (mixed encodings, BOM, CRLF); every output is
UTF-8 without BOM, LF line endings, comma-separated, with a header row, rows sorted by key.
Project-defined choices (EU-27, zones, crosswalks) are documented in ``seeds/PROVENANCE.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The shared reference folder sits beside the repository (../shared/reference).
DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


def _codes(text: str) -> frozenset[str]:
    """Set of codes from a space-separated string."""
    return frozenset(text.split())


# --- project-defined choices (documented in seeds/PROVENANCE.md) --------------------------

# EU-27 since 2020-02-01. FR is deliberately absent: in the customs data FR means
# "goods returned", not a partner country.
EU27 = _codes("AT BE BG CY CZ DE DK EE ES FI GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK")

# DGDDI département code -> INSEE COG département code(s); every other code maps to itself.
DEPARTEMENT_OVERRIDES: dict[str, tuple[str, ...]] = {
    "20": ("2A", "2B"),
    "9A": ("971",),
    "9B": ("972",),
    "9C": ("973",),
    "9D": ("974",),
    "9E": ("976",),
    "99": ("",),  # Monaco: no INSEE département (counted by DGDDI in PACA)
}

ZONE_EU = "Union européenne"
ZONE_EUROPE = "Europe hors UE"
ZONE_AFRICA = "Afrique"
ZONE_AMERICA = "Amérique"
ZONE_ASIA = "Asie"
ZONE_MIDDLE_EAST = "Proche et Moyen-Orient"
ZONE_OCEANIA = "Océanie"
ZONE_UNALLOCATED = "Non ventilé"
ZONES = (
    ZONE_EU,
    ZONE_EUROPE,
    ZONE_AFRICA,
    ZONE_AMERICA,
    ZONE_ASIA,
    ZONE_MIDDLE_EAST,
    ZONE_OCEANIA,
    ZONE_UNALLOCATED,
)

# INSEE country code 99XYY: X (3rd digit) gives the continent.
INSEE_CONTINENTS = {"1": "Europe", "2": "Asie", "3": "Afrique", "4": "Amérique", "5": "Océanie"}
CONTINENT_TO_ZONE = {
    "Europe": ZONE_EUROPE,
    "Asie": ZONE_ASIA,
    "Afrique": ZONE_AFRICA,
    "Amérique": ZONE_AMERICA,
    "Océanie": ZONE_OCEANIA,
}

# Explicit list: Gulf states, Mashriq, Iran, Israel/Palestine, Yemen (incl. former codes).
# Egypt stays in Afrique, Turkey in Europe hors UE, Afghanistan and the Caucasus in Asie.
MIDDLE_EAST = _codes("AE BH IL IQ IR JO KW LB OM PS QA SA SY YE XP XY YD")

# Codes that are not a partner territory: FR (goods returned), EU (aggregate) and the
# Q* special codes (QA is Qatar, a country).
NON_GEOGRAPHIC = _codes("FR EU QP QQ QR QS QT QU QV QW QY QZ")

# Zone overrides for codes whose INSEE continent is not the DGDDI-style zone.
ZONE_OVERRIDES = {"TR": ZONE_EUROPE}

# Geonomenclature codes absent from the INSEE list (no ISO2 match): explicit zone, chosen from
# the territory's location (UN M49 region where one exists). Current and former codes.
NON_INSEE_ZONES = {
    # French overseas départements and collectivities
    "GF": ZONE_AMERICA,
    "GP": ZONE_AMERICA,
    "MQ": ZONE_AMERICA,
    "PM": ZONE_AMERICA,
    "BL": ZONE_AMERICA,
    "RE": ZONE_AFRICA,
    "YT": ZONE_AFRICA,
    "TF": ZONE_AFRICA,
    "NC": ZONE_OCEANIA,
    "PF": ZONE_OCEANIA,
    "WF": ZONE_OCEANIA,
    # British, US, Australian, New Zealand and Norwegian territories
    "AI": ZONE_AMERICA,
    "BM": ZONE_AMERICA,
    "KY": ZONE_AMERICA,
    "MS": ZONE_AMERICA,
    "TC": ZONE_AMERICA,
    "VG": ZONE_AMERICA,
    "VI": ZONE_AMERICA,
    "FK": ZONE_AMERICA,
    "GS": ZONE_AMERICA,
    "BV": ZONE_AMERICA,
    "AS": ZONE_OCEANIA,
    "GU": ZONE_OCEANIA,
    "MP": ZONE_OCEANIA,
    "UM": ZONE_OCEANIA,
    "CC": ZONE_OCEANIA,
    "CX": ZONE_OCEANIA,
    "HM": ZONE_OCEANIA,
    "NF": ZONE_OCEANIA,
    "TK": ZONE_OCEANIA,
    "SJ": ZONE_EUROPE,
    # Geonomenclature-only codes still current
    "XC": ZONE_AFRICA,  # Ceuta
    "XL": ZONE_AFRICA,  # Melilla
    "XK": ZONE_EUROPE,  # Kosovo (199206-199212: Yougoslavie)
    "XS": ZONE_EUROPE,  # Serbie (until 200505: Saba)
    # Former codes (all closed before 2015)
    "AN": ZONE_AMERICA,
    "CS": ZONE_EUROPE,
    "DD": ZONE_EUROPE,
    "FA": ZONE_EUROPE,
    "SU": ZONE_EUROPE,
    "TP": ZONE_ASIA,
    "XA": ZONE_OCEANIA,
    "XB": ZONE_AMERICA,
    "XD": ZONE_EUROPE,
    "XE": ZONE_AMERICA,
    "XF": ZONE_AFRICA,
    "XG": ZONE_AFRICA,
    "XH": ZONE_EUROPE,
    "XI": ZONE_AMERICA,
    "XJ": ZONE_EUROPE,
    "XM": ZONE_EUROPE,
    "XN": ZONE_AMERICA,
    "XO": ZONE_OCEANIA,
    "XP": ZONE_MIDDLE_EAST,
    "XQ": ZONE_AFRICA,
    "XR": ZONE_OCEANIA,
    "XT": ZONE_AMERICA,
    "XU": ZONE_EUROPE,
    "XV": ZONE_AMERICA,
    "XW": ZONE_AMERICA,
    "XX": ZONE_OCEANIA,
    "XY": ZONE_MIDDLE_EAST,
    "XZ": ZONE_OCEANIA,
    "YD": ZONE_MIDDLE_EAST,
    "YU": ZONE_EUROPE,
}
# INSEE has Antarctica (99699, continent digit 6): no zone of its own, Océanie by convention.
INSEE_EXTRA_ZONES = {"AQ": ZONE_OCEANIA}

Row = list[str]


def read_text(path: Path) -> str:
    """Decode a reference file: UTF-8 (BOM stripped), else Windows-1252 (a Latin-1 superset)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Libelle_CPF4_rev2.1.txt is announced as Latin-1 but holds 0x9C ("œ"): cp1252.
        return raw.decode("cp1252")


def read_rows(path: Path, delimiter: str) -> list[Row]:
    """Parse a delimited reference file (quotes honoured, CRLF/LF, blank lines dropped)."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader if any(cell.strip() for cell in row)]


def read_dicts(path: Path) -> list[dict[str, str]]:
    """Parse a comma-separated reference file with a header row."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    return [{key: (value or "").strip() for key, value in row.items()} for row in reader]


def write_seed(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a seed as UTF-8 (no BOM), LF, comma-separated with a header; return row count."""
    rows = list(rows)
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"{path.name}: row {row!r} does not match header {header!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return len(rows)


def labelled_validity(path: Path) -> list[Row]:
    """Rows of a DGDDI ``Code;Libellé;Début;Fin`` file, checked and sorted by (code, start)."""
    rows = read_rows(path, ";")
    for row in rows:
        if len(row) != 4 or not (row[2].isdigit() and row[3].isdigit()):
            raise ValueError(f"{path.name}: malformed row {row!r}")
    return sorted(rows, key=lambda row: (row[0], int(row[2])))


def check_unique(name: str, keys: Iterable[tuple[str, ...]]) -> None:
    """Fail if a key appears twice."""
    seen: set[tuple[str, ...]] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{name}: duplicate key {key!r}")
        seen.add(key)


def build(reference_dir: Path, seeds_dir: Path) -> dict[str, int]:
    """Build every seed; return the row count per seed file."""
    dgddi, insee = reference_dir / "dgddi", reference_dir / "insee"
    counts: dict[str, int] = {}

    def emit(relative: str, header: Sequence[str], rows: list[Row]) -> None:
        counts[relative] = write_seed(seeds_dir / relative, header, rows)

    # DGDDI ------------------------------------------------------------------------------
    departements = sorted(read_rows(dgddi / "Departement_region.txt", ";"))
    check_unique("departements", ((row[0],) for row in departements))
    emit(
        "dgddi/dgddi_departements.csv",
        ("departement_code", "departement_label", "region_code", "region_label"),
        [row[:4] for row in departements],
    )
    cpf4 = labelled_validity(dgddi / "Libelle_CPF4_rev2.1.txt")
    check_unique("cpf4", ((row[0], row[2]) for row in cpf4))
    emit("dgddi/dgddi_cpf4.csv", ("cpf4_code", "cpf4_label", "valid_from", "valid_to"), cpf4)
    a129 = labelled_validity(dgddi / "Libelle_A129.txt")
    check_unique("a129", ((row[0], row[2]) for row in a129))
    emit("dgddi/dgddi_a129.csv", ("a129_code", "a129_label", "valid_from", "valid_to"), a129)
    countries = labelled_validity(dgddi / "Libelle_PAYS.txt")
    check_unique("countries", ((row[0], row[2]) for row in countries))
    emit(
        "dgddi/dgddi_countries.csv",
        ("country_code", "country_label", "valid_from", "valid_to"),
        countries,
    )

    # INSEE ------------------------------------------------------------------------------
    levels = ("a129", "a88", "a64", "a38", "a17", "a21", "a10")
    mapping = sorted(
        [row["cpf4"], *(row[level] for level in levels)] for row in read_dicts(insee / "naf2_class_cpf4_to_na2008.csv")
    )
    check_unique("insee_cpf4_na2008", ((row[0],) for row in mapping))
    emit(
        "insee/insee_cpf4_na2008.csv",
        ("cpf4_code", *(f"{level}_code" for level in levels)),
        mapping,
    )
    hierarchy_header = [f"{level}_{suffix}" for level in levels for suffix in ("code", "label")]
    hierarchy_source = [f"{level}{suffix}" for level in levels for suffix in ("", "_label")]
    hierarchy = sorted(
        [row[column] for column in hierarchy_source] for row in read_dicts(insee / "na2008_a129_hierarchy.csv")
    )
    check_unique("insee_a129_hierarchy", ((row[0],) for row in hierarchy))
    emit("insee/insee_a129_hierarchy.csv", hierarchy_header, hierarchy)
    labels = sorted(
        [row["level"], row["code"], row["label_fr"]] for row in read_dicts(insee / "na2008_levels_labels.csv")
    )
    check_unique("insee_na2008_labels", ((row[0], row[1]) for row in labels))
    emit("insee/insee_na2008_labels.csv", ("level", "code", "label"), labels)

    cog_departements = sorted(
        [row["DEP"], row["REG"], row["LIBELLE"]] for row in read_dicts(insee / "insee_cog2024_v_departement.csv")
    )
    emit(
        "insee/insee_departements_2024.csv",
        ("insee_departement_code", "insee_region_code", "departement_label"),
        cog_departements,
    )
    cog_regions = sorted([row["REG"], row["LIBELLE"]] for row in read_dicts(insee / "insee_cog2024_v_region.csv"))
    emit("insee/insee_regions_2024.csv", ("insee_region_code", "region_label"), cog_regions)

    insee_countries = []
    for row in read_dicts(insee / "insee_cog2025_pays.csv"):
        continent = INSEE_CONTINENTS.get(row["code"][2], "")
        insee_countries.append([row["code"], row["iso2_code"], row["iso3_code"], row["name"], continent])
    insee_countries.sort()
    check_unique("insee_countries", ((row[0],) for row in insee_countries))
    emit(
        "insee/insee_countries_2025.csv",
        ("insee_country_code", "iso2_code", "iso3_code", "country_name", "continent"),
        insee_countries,
    )

    # Project crosswalks and groups --------------------------------------------------------
    dep_crosswalk = sorted(
        [code, insee_code] for code, *_ in departements for insee_code in DEPARTEMENT_OVERRIDES.get(code, (code,))
    )
    insee_dep_region = {row[0]: row[1] for row in cog_departements}
    mapped = [insee_code for _, insee_code in dep_crosswalk if insee_code]
    if sorted(mapped) != sorted(insee_dep_region):
        raise ValueError("département crosswalk does not cover each INSEE département once")
    emit(
        "comex/departement_crosswalk.csv",
        ("departement_code", "insee_departement_code"),
        dep_crosswalk,
    )
    emit(
        "comex/region_crosswalk.csv",
        ("region_code", "insee_region_code"),
        region_crosswalk(departements, dep_crosswalk, insee_dep_region),
    )

    emit(
        "comex/country_groups.csv",
        ("country_code", "is_eu27", "zone", "is_geographic"),
        country_groups(countries, insee_countries),
    )
    return counts


def region_crosswalk(departements: list[Row], dep_crosswalk: list[Row], insee_dep_region: dict[str, str]) -> list[Row]:
    """Derive DGDDI région -> INSEE région pairs; only the DOM région may map to several."""
    dgddi_region = {row[0]: row[2] for row in departements}
    pairs: dict[str, set[str]] = defaultdict(set)
    for code, insee_code in dep_crosswalk:
        if insee_code:
            pairs[dgddi_region[code]].add(insee_dep_region[insee_code])
    missing = set(dgddi_region.values()) - set(pairs)
    many = {region: codes for region, codes in pairs.items() if len(codes) > 1 and region != "24"}
    if missing or many:
        raise ValueError(f"région crosswalk: unmapped {missing}, ambiguous {many}")
    return sorted([region, insee] for region, codes in pairs.items() for insee in codes)


def country_groups(countries: list[Row], insee_countries: list[Row]) -> list[Row]:
    """One row per DGDDI country code: EU-27 flag, zone and geographic flag."""
    continent_by_iso2: dict[str, str] = {}
    for _, iso2, _, _, continent in insee_countries:  # sorted: main country code first
        if iso2 and continent:
            continent_by_iso2.setdefault(iso2, continent)
    rows = []
    for code in sorted({row[0] for row in countries}):
        is_eu27 = code in EU27
        is_geographic = code not in NON_GEOGRAPHIC
        if not is_geographic:
            zone = ZONE_UNALLOCATED
        elif is_eu27:
            zone = ZONE_EU
        elif code in MIDDLE_EAST:
            zone = ZONE_MIDDLE_EAST
        elif code in ZONE_OVERRIDES:
            zone = ZONE_OVERRIDES[code]
        elif code in continent_by_iso2:
            zone = CONTINENT_TO_ZONE[continent_by_iso2[code]]
        elif code in NON_INSEE_ZONES:
            zone = NON_INSEE_ZONES[code]
        elif code in INSEE_EXTRA_ZONES:
            zone = INSEE_EXTRA_ZONES[code]
        else:
            raise ValueError(f"country {code}: no zone (add it to NON_INSEE_ZONES)")
        rows.append([code, str(is_eu27).lower(), zone, str(is_geographic).lower()])
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR)
    parser.add_argument("--seeds-dir", type=Path, default=ROOT / "seeds")
    args = parser.parse_args(argv)
    for name, count in build(args.reference_dir, args.seeds_dir).items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
