"""Small builders shared by the tests: DGDDI rows and files written the way DGDDI writes them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

from orchestration import raw_archive
from orchestration.ingestion.loader import IngestionReport, ingest_drop_zone

GOOD_ROW = ("E", "1", "2024", "88", "13", "C20A", "2011", "DE", "1000", "20")
FIXTURES = Path(__file__).parent / "fixtures"
DGDDI_FIXTURES = FIXTURES / "dgddi"
#: DGDDI's label files as a package ships them: name in the package -> fixture file
LABEL_FILES = {
    "Libelle_A129.txt": "Libelle_A129.txt",
    "Libelle_CPF4.txt": "Libelle_CPF4_rev2.1.txt",
    "Libelle_PAYS.txt": "Libelle_PAYS.txt",
    "Departement_region.txt": "Departement_region.txt",
}
PDF = "Description-des-jeux-de-donnees-derniere-publication_EMEBI.pdf"


def row(**changes: str) -> str:
    """A valid DGDDI regional row (Vosges, 2024Q1, export to Germany), with fields replaced."""
    names = ("flux", "trimestre", "annee", "dep", "reg", "a129", "cpf4", "pays", "valeur", "masse")
    values = dict(zip(names, GOOD_ROW, strict=True)) | changes
    return ";".join(values[n] for n in names)


def write_txt(
    path: Path, lines: list[str], *, encoding: str = "utf-8", newline: str = "\r\n", bom: bool = False
) -> Path:
    data = (newline.join(lines) + newline).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_zip(path: Path, member: str, lines: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "\r\n".join(lines) + "\r\n")
    return path


def rows_bytes(lines: list[str]) -> bytes:
    """Rows as DGDDI writes them: UTF-8 without BOM, CRLF."""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def write_package(path: Path, members: dict[str, bytes], when: tuple[int, ...] = (2025, 6, 5, 9, 0, 0)) -> Path:
    """A zip whose members all carry the timestamp `when` (DGDDI's publication date)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def label_members(folder: str = "", *, cpf4_name: str = "Libelle_CPF4.txt") -> dict[str, bytes]:
    """DGDDI's four label files, bytes as published, under `folder/`."""
    prefix = f"{folder}/" if folder else ""
    names = {**LABEL_FILES, cpf4_name: LABEL_FILES["Libelle_CPF4.txt"]}
    if cpf4_name != "Libelle_CPF4.txt":
        del names["Libelle_CPF4.txt"]
    return {prefix + name: (DGDDI_FIXTURES / fixture).read_bytes() for name, fixture in names.items()}


def annual_package(
    raw: Path, year: int, flow: str, lines: list[str], *, when: tuple[int, ...] | None = None, **labels: str
) -> Path:
    """`Regional-YYYY-<flow>.zip` as DGDDI ships it: a folder with the data, four label files and the PDF."""
    folder = f"Regional-{year}-{flow}"
    members = {
        f"{folder}/Region_{year}_{flow.capitalize()}.txt": rows_bytes(lines),
        **label_members(folder, **labels),
        f"{folder}/{PDF}": (DGDDI_FIXTURES / PDF).read_bytes(),
    }
    return write_package(raw / f"{folder}.zip", members, when or (year + 1, 6, 5, 9, 0, 0))


def last_publication_package(
    raw: Path,
    exports: list[str],
    imports: list[str],
    *,
    when: tuple[int, ...] = (2025, 6, 5, 9, 0, 0),
    name: str = "REGIONAL_CPF4PAYS.zip",
) -> Path:
    """The last publication as one download: both flows, the label files, the PDF and LISEZ-MOI."""
    flows = {"REGIONAL_CPF4PAYSE.txt": exports, "REGIONAL_CPF4PAYSI.txt": imports}
    members = {
        **{name: rows_bytes(lines) for name, lines in flows.items() if lines},
        **label_members(),
        "Description-des-jeux-de-donnees.pdf": (DGDDI_FIXTURES / PDF).read_bytes(),
        "LISEZ-MOI.txt": (DGDDI_FIXTURES / "LISEZ-MOI.txt").read_bytes(),
    }
    return write_package(raw / name, members, when)


def zip_bytes(member: str, text: str) -> bytes:
    """A zip of one member with a fixed timestamp: the same text always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member, date_time=(2025, 6, 5, 9, 0, 0)), text)
    return buffer.getvalue()


def ingest(raw_dir: Path, db: Path, **options: object) -> IngestionReport:
    with duckdb.connect(str(db)) as con:
        return ingest_drop_zone(con, raw_dir, raw_archive.archive_dir(db), **options)  # type: ignore[arg-type]


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def comex_fetch(sources: Path, raw: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`comex fetch --sources …` into `raw`, as a user runs it; also its `error:` lines."""
    comex = str(Path(sys.executable).with_name("comex"))
    env = {**os.environ, "COMEX_RAW_DIR": str(raw), "COLUMNS": "200"}
    run = subprocess.run(
        [comex, "fetch", "--sources", str(sources)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    return run, [line for line in run.stderr.splitlines() if line.startswith("error:")]
