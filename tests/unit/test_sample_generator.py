"""Tests of the synthetic DGDDI sample generator (orchestration.sample)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestration.sample import (
    CALIBRATION_2024,
    COLUMNS,
    generate_year,
    last_publication_quarters,
    write_annual_zips,
    write_last_publication,
)
from orchestration.sample.__main__ import main
from orchestration.sample.allocation import largest_remainder
from orchestration.sample.bundle import (
    SAMPLE_YEARS,
    actual_checksums,
    ensure_bundled_sample,
    expected_checksums,
    sample_zip_names,
)
from orchestration.sample.codes import DEFAULT_SEEDS_DIR

SCALE = 20_000
SEED = 2024
SORT_KEYS = ["flux", "trimestre", "annee", "code_departement", "code_a129", "code_cpf4", "code_pays"]
SPECIAL = {"FR", "QU", "QR", "QS", "QP", "QQ"}
ROW = re.compile(r"^[EI];[1-4];\d{4};(\d{2}|9[A-E]);\d{2};[A-Z]\d{2}[A-Z];\d{4};[A-Z]{2};\d+;\d+$")


def _seed(relative: str) -> pd.DataFrame:
    frame = pd.read_csv(DEFAULT_SEEDS_DIR / relative, dtype=str, keep_default_na=False)
    for column in ("valid_from", "valid_to"):
        if column in frame.columns:
            frame[column] = frame[column].astype("int64")
    return frame


def _valid_in(frame: pd.DataFrame, column: str, year: int) -> set[str]:
    covers = (frame["valid_from"] <= year * 100 + 1) & (frame["valid_to"] >= year * 100 + 12)
    return set(frame.loc[covers, column])


def _period(line: str) -> tuple[int, int]:
    fields = line.split(";")
    return int(fields[2]), int(fields[1])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _zip_text(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        (member,) = archive.namelist()
        return archive.read(member)


def _frame(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(raw),
        sep=";",
        header=None,
        names=list(COLUMNS),
        dtype=str,
        keep_default_na=False,  # "NA" is Namibia
        lineterminator="\n",
    ).assign(masse=lambda f: f["masse"].str.rstrip("\r"))


@pytest.fixture(scope="module")
def annual(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_annual_zips(tmp_path_factory.mktemp("annual"), [2024, 2025], scale=SCALE)


@pytest.fixture(scope="module")
def year_2024() -> pd.DataFrame:
    return generate_year(2024, scale=SCALE, seed=SEED)


def test_annual_zip_names_and_single_member(annual: list[Path]) -> None:
    assert [p.name for p in annual] == [
        "Regional-2024-export.zip",
        "Regional-2024-import.zip",
        "Regional-2025-export.zip",
        "Regional-2025-import.zip",
    ]
    with zipfile.ZipFile(annual[0]) as archive:
        assert archive.namelist() == ["Regional-2024-export/Region_2024_Export.txt"]
    with zipfile.ZipFile(annual[1]) as archive:
        assert archive.namelist() == ["Regional-2024-import/Region_2024_Import.txt"]


def test_same_arguments_give_identical_bytes(annual: list[Path], tmp_path: Path) -> None:
    again = write_annual_zips(tmp_path / "a", [2024, 2025], scale=SCALE)
    assert [_sha256(p) for p in again] == [_sha256(p) for p in annual]
    first = write_last_publication(tmp_path / "b", (2025, 1), scale=5_000, revision=0.05)
    second = write_last_publication(tmp_path / "c", (2025, 1), scale=5_000, revision=0.05)
    assert [_sha256(p) for p in first] == [_sha256(p) for p in second]


def test_other_seed_gives_other_data() -> None:
    assert not generate_year(2024, scale=5_000, seed=1).equals(generate_year(2024, scale=5_000, seed=2))


def test_text_is_crlf_utf8_without_bom_nor_header(annual: list[Path]) -> None:
    for path in annual:
        raw = _zip_text(path)
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw.endswith(b"\r\n")
        assert raw.count(b"\n") == raw.count(b"\r\n")
        raw.decode("utf-8")
        assert ROW.match(raw[: raw.index(b"\r\n")].decode())


def test_every_row_is_well_formed(annual: list[Path]) -> None:
    for path, flux in zip(annual, ["E", "I", "E", "I"], strict=True):
        lines = _zip_text(path).decode("utf-8").split("\r\n")
        assert lines[-1] == ""
        bad = [line for line in lines[:-1] if not ROW.match(line) or line[0] != flux]
        assert bad == []


def test_codes_come_from_the_seeds_and_are_valid(annual: list[Path]) -> None:
    departements = _seed("dgddi/dgddi_departements.csv")
    region_of = departements.set_index("departement_code")["region_code"].to_dict()
    a129_of = _seed("insee/insee_cpf4_na2008.csv").set_index("cpf4_code")["a129_code"].to_dict()
    cpf4, countries = _seed("dgddi/dgddi_cpf4.csv"), _seed("dgddi/dgddi_countries.csv")
    for path in annual:
        rows = _frame(_zip_text(path))
        year = int(rows["annee"].iloc[0])
        assert set(rows["annee"]) == {str(year)}
        assert set(rows["code_departement"]) == set(region_of)
        assert (rows["code_departement"].map(region_of) == rows["code_region"]).all()
        assert set(rows["code_cpf4"]) <= _valid_in(cpf4, "cpf4_code", year)
        assert (rows["code_cpf4"].map(a129_of) == rows["code_a129"]).all()
        assert set(rows["code_pays"]) <= _valid_in(countries, "country_code", year)
        assert set(rows["code_a129"]) <= set(_seed("dgddi/dgddi_a129.csv")["a129_code"])


def test_rows_sorted_like_dgddi_and_unique(year_2024: pd.DataFrame) -> None:
    assert not year_2024.duplicated(SORT_KEYS).any()
    assert year_2024.sort_values(SORT_KEYS).index.equals(year_2024.index)


def test_scale_is_rows_per_year_and_values_are_non_negative(year_2024: pd.DataFrame) -> None:
    assert len(year_2024) == SCALE
    assert list(year_2024.columns) == list(COLUMNS)
    assert (year_2024["valeur"] > 0).all()
    assert (year_2024["masse"] >= 0).all()
    assert year_2024["code_pays"].isin(SPECIAL).any()


def test_2024_totals_match_the_published_fiches(year_2024: pd.DataFrame) -> None:
    by_flux = year_2024.groupby("flux")["valeur"].sum()
    for flux, target in CALIBRATION_2024["france"]["FR"].items():
        assert by_flux[flux] == target
    for level, column in (("region", "code_region"), ("departement", "code_departement")):
        for code, targets in CALIBRATION_2024[level].items():
            sums = year_2024[year_2024[column] == code].groupby("flux")["valeur"].sum()
            assert sums.to_dict() == targets


def test_other_years_are_plausible_but_not_calibrated() -> None:
    rows = generate_year(2023, scale=5_000)
    exports = rows.loc[rows["flux"] == "E", "valeur"].sum()
    target = CALIBRATION_2024["france"]["FR"]["E"]
    assert exports != target
    assert 0.8 * target < exports < 1.2 * target


def test_every_departement_has_enough_products_and_partners(year_2024: pd.DataFrame) -> None:
    counts = year_2024.groupby(["code_departement", "flux"]).agg(
        cpf4=("code_cpf4", "nunique"), a129=("code_a129", "nunique"), pays=("code_pays", "nunique")
    )
    assert len(counts) == 101 * 2
    assert (counts >= 12).all().all()


def test_last_publication_quarters() -> None:
    assert last_publication_quarters((2025, 2)) == [
        (2024, 2),
        (2024, 3),
        (2024, 4),
        (2025, 1),
        (2025, 2),
    ]


@pytest.fixture(scope="module")
def last_publication(tmp_path_factory: pytest.TempPathFactory) -> dict[float, list[Path]]:
    root = tmp_path_factory.mktemp("last")
    return {
        revision: write_last_publication(root / str(revision), (2025, 1), scale=SCALE, **kwargs)
        for revision, kwargs in ((0.0, {}), (0.05, {"revision": 0.05, "zipped": True}))
    }


def test_last_publication_matches_annual_rows(last_publication: dict[float, list[Path]], annual: list[Path]) -> None:
    paths = last_publication[0.0]
    assert [p.name for p in paths] == ["REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSI.txt"]
    for path, flux in zip(paths, "EI", strict=True):
        raw = path.read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n")
        rows = _frame(raw)
        assert set(rows["flux"]) == {flux}
        periods = set(zip(rows["annee"].astype(int), rows["trimestre"].astype(int), strict=True))
        assert periods == set(last_publication_quarters((2025, 1)))
        assert rows.sort_values(SORT_KEYS).index.equals(rows.index)
        annual_lines = []
        for year_path in annual["EI".index(flux) :: 2]:  # 2024 then 2025, same flux
            annual_lines += _zip_text(year_path).decode().split("\r\n")[:-1]
        in_window = [line for line in annual_lines if _period(line) in periods]
        assert sorted(raw.decode().split("\r\n")[:-1]) == sorted(in_window)


def test_revision_changes_some_rows_of_earlier_years_only(
    last_publication: dict[float, list[Path]],
) -> None:
    for plain, revised in zip(last_publication[0.0], last_publication[0.05], strict=True):
        with zipfile.ZipFile(revised) as archive:
            assert archive.namelist() == [plain.name]
        before, after = _frame(plain.read_bytes()), _frame(_zip_text(revised))
        keys = list(COLUMNS[:8])
        assert before[keys].equals(after[keys])
        changed = before["valeur"] != after["valeur"]
        assert 0 < changed.mean() < 0.5
        assert (before.loc[changed, "annee"] == "2024").all()
        ratio = after["valeur"].astype(float) / before["valeur"].astype(float)
        assert ratio.between(0.94, 1.06).all()


def test_largest_remainder_is_exact() -> None:
    rng = np.random.default_rng(0)
    for total in (0, 1, 7, 580_354_500_000):
        weights = rng.pareto(1.2, 500)
        parts = largest_remainder(total, weights)
        assert parts.sum() == total
        assert (parts >= 0).all()


def test_cli_writes_annual_and_last_publication(tmp_path: Path) -> None:
    args = ["--out", str(tmp_path), "--years", "2024", "--scale", "5000"]
    assert main([*args, "--last-publication", "2025Q1", "--revision", "0.05", "--zipped"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "REGIONAL_CPF4PAYSE.zip",
        "REGIONAL_CPF4PAYSI.zip",
        "Regional-2024-export.zip",
        "Regional-2024-import.zip",
    ]
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--last-publication", "2025Q5"])


def test_bundled_sample_is_six_years_written_where_missing_and_byte_identical_to_its_checksums(
    tmp_path: Path,
) -> None:
    """The bundled sample is generated, not committed: what the generator writes today is
    byte for byte what SHA256SUMS records (so every machine ingests the same sample)."""
    expected = expected_checksums()
    assert list(expected) == sample_zip_names() and len(SAMPLE_YEARS) >= 6
    assert SAMPLE_YEARS[0] <= 2019 and SAMPLE_YEARS[-1] == 2024
    paths = ensure_bundled_sample()
    assert [p.name for p in paths] == sample_zip_names()
    assert actual_checksums() == expected

    folder = tmp_path / "sample"
    written = ensure_bundled_sample(folder)  # an empty folder: every year written there
    assert actual_checksums(folder) == expected
    written[0].unlink()  # one year missing a flow: that year only is written again
    times = {p.name: p.stat().st_mtime_ns for p in written[1:]}
    ensure_bundled_sample(folder)
    assert actual_checksums(folder) == expected
    assert {p.name: p.stat().st_mtime_ns for p in written[1:] if p.name not in sample_zip_names((2019,))} == {
        name: ns for name, ns in times.items() if name not in sample_zip_names((2019,))
    }
