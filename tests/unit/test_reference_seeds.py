"""Pure file checks of the reference seeds in seeds/ (no database, no dbt)."""

from __future__ import annotations

import csv
import importlib.util
import io
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
REFERENCE_DIR = ROOT.parent / "shared" / "reference"  # beside the repository, as in CI

LEVELS = ("a129", "a88", "a64", "a38", "a17", "a21", "a10")
EXPECTED = {
    "dgddi/dgddi_departements.csv": (
        ["departement_code", "departement_label", "region_code", "region_label"],
        ["departement_code"],
    ),
    "dgddi/dgddi_cpf4.csv": (
        ["cpf4_code", "cpf4_label", "valid_from", "valid_to"],
        ["cpf4_code", "valid_from"],
    ),
    "dgddi/dgddi_a129.csv": (
        ["a129_code", "a129_label", "valid_from", "valid_to"],
        ["a129_code", "valid_from"],
    ),
    "dgddi/dgddi_countries.csv": (
        ["country_code", "country_label", "valid_from", "valid_to"],
        ["country_code", "valid_from"],
    ),
    "insee/insee_cpf4_na2008.csv": (
        ["cpf4_code", *(f"{level}_code" for level in LEVELS)],
        ["cpf4_code"],
    ),
    "insee/insee_a129_hierarchy.csv": (
        [f"{level}_{suffix}" for level in LEVELS for suffix in ("code", "label")],
        ["a129_code"],
    ),
    "insee/insee_na2008_labels.csv": (["level", "code", "label"], ["level", "code"]),
    "insee/insee_departements_2024.csv": (
        ["insee_departement_code", "insee_region_code", "departement_label"],
        ["insee_departement_code"],
    ),
    "insee/insee_regions_2024.csv": (["insee_region_code", "region_label"], ["insee_region_code"]),
    "insee/insee_countries_2025.csv": (
        ["insee_country_code", "iso2_code", "iso3_code", "country_name", "continent"],
        ["insee_country_code"],
    ),
    "comex/departement_crosswalk.csv": (
        ["departement_code", "insee_departement_code"],
        ["departement_code", "insee_departement_code"],
    ),
    "comex/region_crosswalk.csv": (
        ["region_code", "insee_region_code"],
        ["region_code", "insee_region_code"],
    ),
    "comex/country_groups.csv": (
        ["country_code", "is_eu27", "zone", "is_geographic"],
        ["country_code"],
    ),
}
EU27_TEXT = "AT BE BG CY CZ DE DK EE ES FI GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU27 = set(EU27_TEXT.split())
UNMAPPED_CPF4 = {"0300", "3100", "4100", "4700", "7200"}  # documented in seeds/PROVENANCE.md


def load(name: str) -> list[dict[str, str]]:
    """Rows of a seed as dicts (all values text)."""
    text = (SEEDS / name).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def text_of(name: str) -> str:
    return (SEEDS / name).read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_file_format(name):
    raw = (SEEDS / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
    assert b"\r" not in raw, "CRLF"
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")  # strict
    assert unicodedata.is_normalized("NFC", text)
    for bad in ("\ufffd", "Ã", "â€", "Å“"):  # replacement char / classic mojibake
        assert bad not in text, f"mojibake {bad!r}"
    header, key = EXPECTED[name]
    reader = csv.reader(io.StringIO(text, newline=""))
    assert next(reader) == header
    rows = list(reader)
    assert rows, "empty seed"
    assert all(len(row) == len(header) for row in rows)
    keys = Counter(tuple(row[header.index(column)] for column in key) for row in rows)
    assert [k for k, n in keys.items() if n > 1] == [], "duplicate keys"


def test_seed_files_are_all_declared():
    on_disk = {str(path.relative_to(SEEDS)) for path in SEEDS.rglob("*.csv")}
    assert on_disk == set(EXPECTED)
    yml = (SEEDS / "_seeds.yml").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f"- name: {Path(name).stem}\n" in yml


def test_accents_survive():
    cpf4 = {row["cpf4_code"]: row["cpf4_label"] for row in load("dgddi/dgddi_cpf4.csv")}
    assert cpf4["0111"].startswith("Céréales (à l'exclusion du riz)")
    assert cpf4["0147"] == "Volailles vivantes et œufs"  # 0x9C in the cp1252 source
    assert cpf4["7810"].endswith("main-d'œuvre")
    assert cpf4["0893"] == "Sel et chlorure de sodium pur ; eau de mer"  # quoted field
    a129 = {row["a129_code"]: row["a129_label"] for row in load("dgddi/dgddi_a129.csv")}
    # BOM gone, typographic apostrophe (U+2019) kept
    assert a129["A01Z"] == "Produits de la culture et de l\u2019élevage"
    # published with a no-break space before ";" (French typography), kept as published
    assert a129["C32C"] == "Articles de sport, jeux et jouets\u00a0; produits manufacturés divers"
    regions = {row["insee_region_code"]: row["region_label"] for row in load("insee/insee_regions_2024.csv")}
    assert regions["04"] == "La Réunion"
    labels = text_of("insee/insee_na2008_labels.csv")
    assert "AGRICULTURE, SYLVICULTURE ET PÊCHE" in labels
    for name in EXPECTED:  # wherever an oe ligature is present, it is a real one
        text = text_of(name)
        assert "\x9c" not in text and "\x8c" not in text


def test_codes_keep_leading_zeros():
    deps = {row["departement_code"] for row in load("dgddi/dgddi_departements.csv")}
    assert {"01", "02", "09", "20", "9A", "9B", "9C", "9D", "9E", "99"} <= deps
    assert len(deps) == 101
    assert all(len(row["cpf4_code"]) == 4 for row in load("dgddi/dgddi_cpf4.csv"))
    assert all(len(row["cpf4_code"]) == 4 for row in load("insee/insee_cpf4_na2008.csv"))
    for row in load("dgddi/dgddi_countries.csv"):
        assert len(row["valid_from"]) == 6 and len(row["valid_to"]) == 6
        assert int(row["valid_from"]) <= int(row["valid_to"])


def test_cpf4_a129_consistent_with_insee_mapping():
    mapping = {row["cpf4_code"]: row for row in load("insee/insee_cpf4_na2008.csv")}
    hierarchy = {row["a129_code"]: row for row in load("insee/insee_a129_hierarchy.csv")}
    for cpf4, row in mapping.items():
        assert row["a88_code"] == cpf4[:2]  # A88 = NAF division
        assert row["a129_code"][1:3] == cpf4[:2]  # A129 codes embed their division
        parent = hierarchy[row["a129_code"]]
        assert [row[f"{lv}_code"] for lv in LEVELS] == [parent[f"{lv}_code"] for lv in LEVELS]
    dgddi_cpf4 = {
        row["cpf4_code"]
        for row in load("dgddi/dgddi_cpf4.csv")
        if int(row["valid_from"]) <= 202412 and int(row["valid_to"]) >= 202401
    }
    assert dgddi_cpf4 - set(mapping) == UNMAPPED_CPF4
    dgddi_a129 = {row["a129_code"] for row in load("dgddi/dgddi_a129.csv")}
    assert dgddi_a129 <= set(hierarchy)
    # Every DGDDI goods A129 position is reached by a mapped DGDDI CPF4 code, except A03Z
    # whose only DGDDI CPF4 position (0300) has no INSEE NAF class.
    reached = {mapping[c]["a129_code"] for c in dgddi_cpf4 & set(mapping)}
    assert dgddi_a129 - reached == {"A03Z"}


def test_departement_crosswalk():
    pairs = {(r["departement_code"], r["insee_departement_code"]) for r in load("comex/departement_crosswalk.csv")}
    special = {("20", "2A"), ("20", "2B"), ("9A", "971"), ("9B", "972"), ("9C", "973"),
               ("9D", "974"), ("9E", "976"), ("99", "")}  # fmt: skip
    assert special <= pairs
    others = pairs - special
    assert all(dgddi == insee for dgddi, insee in others)
    insee = [insee for _, insee in pairs if insee]
    assert sorted(insee) == sorted(r["insee_departement_code"] for r in load("insee/insee_departements_2024.csv"))


def _norm(label: str) -> str:
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def test_region_crosswalk_matches_cog():
    dgddi = load("dgddi/dgddi_departements.csv")
    dgddi_label = {r["region_code"]: r["region_label"] for r in dgddi}
    insee_label = {r["insee_region_code"]: r["region_label"] for r in load("insee/insee_regions_2024.csv")}
    crosswalk: dict[str, set[str]] = {}
    for row in load("comex/region_crosswalk.csv"):
        crosswalk.setdefault(row["region_code"], set()).add(row["insee_region_code"])
    assert set(crosswalk) == set(dgddi_label)
    assert crosswalk["13"] == {"44"}
    assert crosswalk["24"] == {"01", "02", "03", "04", "06"}
    for region, codes in crosswalk.items():
        if region != "24":
            (code,) = codes
            assert _norm(dgddi_label[region]) == _norm(insee_label[code])
    # Derivation: DGDDI département -> INSEE département -> COG région.
    dep_region = {
        r["insee_departement_code"]: r["insee_region_code"] for r in load("insee/insee_departements_2024.csv")
    }
    dgddi_region = {r["departement_code"]: r["region_code"] for r in dgddi}
    for row in load("comex/departement_crosswalk.csv"):
        if row["insee_departement_code"]:
            assert dep_region[row["insee_departement_code"]] in crosswalk[dgddi_region[row["departement_code"]]]


def test_country_groups():
    countries = load("dgddi/dgddi_countries.csv")
    codes = Counter(row["country_code"] for row in countries)
    assert codes["QU"] == 2 and codes["XK"] == 2
    groups = {row["country_code"]: row for row in load("comex/country_groups.csv")}
    assert set(groups) == set(codes)
    assert {c for c, r in groups.items() if r["is_eu27"] == "true"} == EU27
    for code in ("FR", "QU", "QR", "QS", "QP", "QQ", "EU"):
        assert groups[code]["is_geographic"] == "false"
        assert groups[code]["zone"] == "Non ventilé"
        assert groups[code]["is_eu27"] == "false"
    assert {c for c, r in groups.items() if r["is_geographic"] == "false"} == {
        "FR", "EU", *(c for c in groups if c.startswith("Q") and c != "QA")
    }  # fmt: skip
    for row in groups.values():
        assert row["is_eu27"] in {"true", "false"} and row["is_geographic"] in {"true", "false"}
        assert (row["zone"] == "Union européenne") == (row["is_eu27"] == "true")
        assert (row["zone"] == "Non ventilé") == (row["is_geographic"] == "false")
    zone = {code: row["zone"] for code, row in groups.items()}
    assert zone["QA"] == zone["SA"] == zone["IL"] == "Proche et Moyen-Orient"
    assert zone["TR"] == zone["GB"] == zone["CH"] == zone["XK"] == zone["XS"] == "Europe hors UE"
    assert zone["EG"] == zone["XC"] == zone["XL"] == zone["MA"] == "Afrique"
    assert zone["CN"] == zone["AF"] == "Asie"
    assert zone["US"] == zone["BR"] == "Amérique"
    assert zone["AU"] == zone["NC"] == "Océanie"
    assert zone["CY"] == "Union européenne"


def test_insee_countries_continent():
    rows = load("insee/insee_countries_2025.csv")
    digit = {"1": "Europe", "2": "Asie", "3": "Afrique", "4": "Amérique", "5": "Océanie"}
    for row in rows:
        assert row["continent"] == digit.get(row["insee_country_code"][2], "")


@pytest.mark.skipif(not REFERENCE_DIR.is_dir(), reason="reference files not available")
def test_script_regenerates_identical_seeds(tmp_path):
    spec = importlib.util.spec_from_file_location("brs", ROOT / "scripts/build_reference_seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = module.build(REFERENCE_DIR, tmp_path)
    assert set(counts) == set(EXPECTED)
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), name
