"""Re-export without a refresh (dialects, filters, packs, ANCT list) and atomic publication under a kill."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from orchestration.exports.contract import EXPORT_TABLES, MART_TABLES
from orchestration.exports.dialects import FRENCH
from orchestration.exports.exporter import ExportOptions, reexport
from orchestration.runner import RunOutcome
from orchestration.settings import REPO_ROOT, SAMPLE_DIR, Paths

pytestmark = pytest.mark.integration

PREVIEW = REPO_ROOT / "tests" / "fixtures" / "anct" / "liste-ti-com2023-preview.csv"
CODES = {"territory_code": str, "country_code": str, "product_code": str, "departement_code": str}


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, dtype=CODES, keep_default_na=False, na_values=[""], **kwargs)


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every published file (hidden files and folders, e.g. .staging, left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def comex(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def test_fr_dialect_packs_and_industry_territories(sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path) -> None:
    standard = sample_refresh[0].exports_dir
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PREVIEW, raw / PREVIEW.name)
    paths = Paths(raw_dir=raw, warehouse=sample_refresh[0].warehouse, exports_dir=tmp_path / "exports")
    _, published = reexport(paths, ExportOptions(dialect=FRENCH, packs=True))
    exports = paths.exports_dir
    assert not published.unchanged
    for table in MART_TABLES:
        raw_bytes = (exports / f"{table.name}.csv").read_bytes()
        assert raw_bytes.startswith(b"\xef\xbb\xbf" + b"year;")
        french = read_csv(exports / f"{table.name}.csv", sep=";", decimal=",", encoding="utf-8-sig")
        assert_frame_equal(french, read_csv(standard / f"{table.name}.csv"), check_exact=True)
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["csv_dialect"] == {
        "name": "fr",
        "delimiter": ";",
        "decimal": ",",
        "encoding": "utf-8-sig",
        "bom": True,
    }
    assert manifest["industry_territories"]["status"] == "present"
    ti = read_csv(exports / "industry_territories.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert ti.to_dict("records")[0] == {
        "departement_code": "01",
        "ti_id": "ti-8402",
        "ti_label": "Bassin de Bourg-en-Bresse",
        "communes_in_departement": 10,
        "is_main": True,
    }
    pack = exports / "territories" / "departement-88"
    totals = read_csv(pack / "territory_totals.csv", sep=";", decimal=",", encoding="utf-8-sig")
    whole = read_csv(standard / "territory_totals.csv")
    assert_frame_equal(
        totals, whole[whole.territory_code.eq("88") & whole.level.eq("departement")].reset_index(drop=True)
    )
    assert len(list((exports / "territories").iterdir())) == len(whole[["level", "territory_code"]].drop_duplicates())
    assert len(read_csv(exports / "territories" / "departement-01" / "industry_territories.csv", sep=";")) == 4
    assert {f["name"] for f in manifest["pack_files"]} == {
        p.relative_to(exports).as_posix() for p in (exports / "territories").rglob("*.csv")
    }


def test_cli_partial_export_goes_to_its_own_folder_and_says_so(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """A partial export never replaces the published set (it once left territory_totals.csv with
    2 rows, and the fiches built from it lost sections): it goes to exports/partial/<filters>/."""
    exports = tmp_path / "exports"
    shutil.copytree(sample_refresh[0].exports_dir, exports, ignore=shutil.ignore_patterns(".*"))
    published = digest(exports)
    args = ["export", "--year", "2024", "--level", "departement", "--territory", "88"]
    args += ["--warehouse", str(sample_refresh[0].warehouse), "--exports-dir", str(exports), "--raw-dir", str(tmp_path)]
    done = subprocess.run(comex(*args), capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    after = {name: sha for name, sha in digest(exports).items() if not name.startswith("partial/")}
    assert after == published  # the published set, byte for byte
    partial = exports / "partial" / "departement-88-2024"
    assert str(partial) in " ".join((done.stdout + done.stderr).split())
    manifest = json.loads((partial / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["partial"] is True
    assert manifest["filters"] == {"year": 2024, "level": "departement", "territory_code": "88"}
    totals = read_csv(partial / "territory_totals.csv")
    assert sorted(totals.flow) == ["export", "import"] and set(totals.territory_code) == {"88"}
    assert "industry_territories" in done.stdout + done.stderr  # the absent-list note


def test_killed_refresh_leaves_previous_exports_byte_identical(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    source = sample_refresh[0]
    paths = Paths(raw_dir=SAMPLE_DIR, warehouse=tmp_path / "wh" / "comex.duckdb", exports_dir=tmp_path / "exports")
    paths.warehouse.parent.mkdir()
    shutil.copy(source.warehouse, paths.warehouse)
    shutil.copytree(source.exports_dir, paths.exports_dir, ignore=shutil.ignore_patterns(".*"))
    with (paths.exports_dir / "territory_totals.csv").open("ab") as fh:  # differs from what a refresh writes
        fh.write(b"previous,set\n")
    before = digest(paths.exports_dir)
    args = [
        "refresh",
        "--sample",
        "--force",
        "--warehouse",
        str(paths.warehouse),
        "--exports-dir",
        str(paths.exports_dir),
    ]
    log = tmp_path / "refresh.log"
    with log.open("w") as out:
        process = subprocess.Popen(comex(*args), cwd=REPO_ROOT, stdout=out, stderr=out, start_new_session=True)
    staged_file = paths.exports_dir / ".staging" / "territory_totals.csv"
    deadline = time.monotonic() + 600
    try:
        while not staged_file.exists():
            assert process.poll() is None, f"the refresh ended before it staged any export file:\n{log.read_text()}"
            assert time.monotonic() < deadline, "the refresh did not reach the export step in time"
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)  # midway through writing the exports
    finally:
        process.wait(timeout=60)
    assert digest(paths.exports_dir) == before
    # The next writer cleans up and publishes normally (the killed process's locks are gone).
    reexport(paths)
    assert digest(paths.exports_dir) != before
    assert not (paths.exports_dir / ".staging").exists()
    assert (paths.exports_dir / "territory_totals.csv").read_bytes() == (
        source.exports_dir / "territory_totals.csv"
    ).read_bytes()


def test_xlsx_workbook_keeps_codes_as_text_numbers_as_numbers_and_says_synthetic(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """French Excel turns a CSV's `01` into `1`: the workbook stores codes as text, figures as
    numbers, under French headers, with a « Lisez-moi » sheet (manifest, definitions)."""
    exports = tmp_path / "exports"
    args = ["export", "--xlsx", "--year", "2024", "--territory", "01", "--warehouse", str(sample_refresh[0].warehouse)]
    args += ["--exports-dir", str(exports), "--raw-dir", str(tmp_path)]
    done = subprocess.run(comex(*args), capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    folder = exports / "partial" / "01-2024"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [f for f in manifest["files"] if f["format"] == "xlsx"]
    assert entry["name"] == "comex-territoires.xlsx" and manifest["synthetic"] is True

    workbook = openpyxl.load_workbook(folder / entry["name"], read_only=True)
    assert workbook.sheetnames == ["Lisez-moi", *(t.name for t in EXPORT_TABLES if t.mart)]
    totals = list(workbook["territory_totals"].iter_rows(values_only=True))
    assert totals[0][:6] == ("Année", "Niveau", "Code territoire", "Territoire", "Flux", "Valeur (€)")
    ain = next(row for row in totals[1:] if row[2] == "01")
    assert ain[0] == 2024 and isinstance(ain[5], int) and isinstance(ain[7], float)  # numbers as numbers
    csv_rows = read_csv(folder / "territory_totals.csv")
    assert len(totals) - 1 == len(csv_rows)
    assert {row[2] for row in totals[1:]} == {"01"}  # codes as text, the zero kept (Ain; région 01)
    exposure = list(workbook["territory_exposure"].iter_rows(values_only=True))
    assert "Part des États-Unis" in exposure[0]
    readme = [row for row in workbook["Lisez-moi"].iter_rows(values_only=True) if row]
    assert any(str(row[0]).startswith("DONNÉES SYNTHÉTIQUES") for row in readme)
    assert ("territory_exposure", "us_share", "Part des États-Unis") in {row[:3] for row in readme if len(row) >= 3}
    assert sum(sum(1 for _ in workbook[name].iter_rows(min_row=2)) for name in workbook.sheetnames[1:]) == entry["rows"]
