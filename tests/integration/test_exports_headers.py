"""`comex export --headers fr`: French-header copies in fr/, the contract files and the default unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from orchestration.exports.contract import MART_TABLES
from orchestration.exports.dialects import FRENCH
from orchestration.exports.exporter import ExportOptions, reexport
from orchestration.exports.headers import header_names
from orchestration.exports.writer import ExportFilters
from orchestration.runner import RunOutcome
from orchestration.settings import REPO_ROOT, Paths

pytestmark = pytest.mark.integration

CODES = {"territory_code": str, "country_code": str, "product_code": str, "departement_code": str}


def read_csv(path: Path, french: bool = False, **kwargs) -> pd.DataFrame:
    """A CSV with the contract's column names (French headers renamed back), codes as text."""
    if not french:
        return pd.read_csv(path, dtype=CODES, keep_default_na=False, na_values=[""], **kwargs)
    [table] = [t for t in MART_TABLES if t.name == path.stem]
    names = dict(zip(header_names(table, "fr"), table.column_names, strict=True))
    dtype = {header: CODES[name] for header, name in names.items() if name in CODES}
    frame = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""], **kwargs)
    assert list(frame.columns) == list(names), path  # French headers, in column order
    return frame.rename(columns=names)


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every published file but the manifest (hidden files and folders left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json" and not any(s.startswith(".") for s in p.relative_to(folder).parts)
    }


def export(exports: Path, warehouse: Path, *args: str) -> str:
    command = [sys.executable, "-m", "orchestration.cli", "export", *args, "--warehouse", str(warehouse)]
    command += ["--exports-dir", str(exports), "--raw-dir", str(exports.parent)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return " ".join((done.stdout + done.stderr).split())


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_headers_fr_adds_french_copies_and_leaves_the_contract_files_alone(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """The published set keeps the contract's column names (the GX export suite, the fiches and
    programs read them); the French-header copies go to fr/, with the same values."""
    source = sample_refresh[0]
    exports = tmp_path / "exports"
    shutil.copytree(source.exports_dir, exports, ignore=shutil.ignore_patterns(".*"))
    published = digest(exports)

    output = export(exports, source.warehouse, "--headers", "fr")
    assert f"French-header CSVs in {exports / 'fr'}/" in output
    assert {k: v for k, v in digest(exports).items() if not k.startswith("fr/")} == published
    for table in MART_TABLES:
        french = exports / "fr" / f"{table.name}.csv"
        assert french.read_text(encoding="utf-8").splitlines()[0] == ",".join(header_names(table, "fr"))
        assert_frame_equal(read_csv(french, french=True), read_csv(exports / f"{table.name}.csv"), check_exact=True)
    manifest = manifest_of(exports)
    headers = {f["name"]: f.get("headers") for f in manifest["files"]}
    assert headers == {
        **{f"{t.name}.csv": "en" for t in MART_TABLES},
        **{f"{t.name}.parquet": None for t in MART_TABLES},
        **{f"fr/{t.name}.csv": "fr" for t in MART_TABLES},
    }
    assert "fr/LISEZ-MOI.md" in {d["name"] for d in manifest["documentation"]}
    readme = (exports / "fr" / "LISEZ-MOI.md").read_text(encoding="utf-8")
    assert "en-têtes `fr`" in readme and "| Valeur (€) | `value_eur` |" in readme

    export(exports, source.warehouse)  # the default again: column names only, the copies removed
    assert digest(exports) == published and not (exports / "fr").exists()
    assert {f.get("headers") for f in manifest_of(exports)["files"] if f["format"] == "csv"} == {"en"}


def test_headers_fr_with_the_french_dialect_in_a_partial_export(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """French headers with `;`, a decimal comma and a BOM (the dialect's), in the partial folder."""
    source = sample_refresh[0]
    paths = Paths(raw_dir=tmp_path, warehouse=source.warehouse, exports_dir=tmp_path / "partial")
    filters = ExportFilters(year=2024, level="departement", territory="88")
    export_set, _ = reexport(paths, ExportOptions(filters=filters, dialect=FRENCH, headers="fr"))
    french = paths.exports_dir / "fr" / "territory_totals.csv"
    assert french.read_bytes().startswith(b"\xef\xbb\xbf" + "Année;Niveau;Code territoire;".encode())
    frame = read_csv(french, french=True, sep=";", decimal=",", encoding="utf-8-sig")
    whole = read_csv(source.exports_dir / "territory_totals.csv")
    expected = whole.query("year == 2024 and level == 'departement' and territory_code == '88'")
    assert_frame_equal(frame, expected.reset_index(drop=True), check_exact=True)
    assert export_set.manifest["partial"] is True and export_set.manifest["csv_dialect"]["name"] == "fr"
    readme = (paths.exports_dir / "fr" / "LISEZ-MOI.md").read_text(encoding="utf-8")
    assert "séparateur `;`, virgule décimale, UTF-8 avec BOM" in readme
