"""industry_territories: ANCT's Territoires d'industrie commune list, per DGDDI département.

ANCT publishes one row per commune (`insee_com,lib_com,id_ti,lib_ti`, file
`liste-ti-com2023-20240704.csv`). A commune's INSEE département is the first 2 characters of
its code (3 for 97x overseas); the project's crosswalk seed maps it to the DGDDI code (2A/2B →
20, 971 → 9A...). One row per département × territory, `is_main` when ≥ 5 of its communes are
there. Communes that map to no DGDDI département (e.g. 975, 98x) are counted, never silently lost.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.checksums import sha256_of
from orchestration.text_decoding import detect_encoding

if TYPE_CHECKING:
    import pyarrow as pa

PATTERN = "liste-ti-com*.csv"
COLUMNS = ("insee_com", "lib_com", "id_ti", "lib_ti")
MAIN_THRESHOLD = 5
RELATION = "anct_ti_communes"  # name the commune list is registered under on the connection


class IndustryTerritoriesError(ValueError):
    """The ANCT file is there but unreadable as a commune list."""


@dataclass(frozen=True)
class IndustrySource:
    """The ANCT file used, as recorded in the manifest."""

    path: Path
    sha256: str
    encoding: str
    communes: int
    unmapped_communes: list[str] = field(default_factory=list)


def find_source(raw_dir: Path) -> Path | None:
    """The ANCT list in the raw folder: the last by name when there are several (names carry the date)."""
    found = sorted(raw_dir.glob(PATTERN)) if raw_dir.is_dir() else []
    return found[-1] if found else None


def read_communes(path: Path) -> tuple[pa.Table, str]:
    """The commune list as an Arrow table of strings, and the encoding it was read with."""
    encoding = detect_encoding(path)
    text = path.read_bytes().decode(encoding)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise IndustryTerritoriesError(f"{path.name}: line 1: missing column(s) {', '.join(missing)} (has {header})")
    reader.fieldnames = header
    rows: dict[str, list[str]] = {c: [] for c in COLUMNS}
    for line_number, record in enumerate(reader, start=2):
        if not any((v or "").strip() for v in record.values()):
            continue
        code = (record["insee_com"] or "").strip()
        if not code or not (record["id_ti"] or "").strip():
            raise IndustryTerritoriesError(f"{path.name}: line {line_number}: empty insee_com or id_ti")
        for name in COLUMNS:
            rows[name].append((record[name] or "").strip())
    rows["insee_com"] = [c.zfill(5) if c.isdigit() else c for c in rows["insee_com"]]  # "1010" saved by Excel
    import pyarrow as pa  # only when the list is read: a refresh with nothing new never is

    return pa.table(rows), encoding


def register(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> IndustrySource | None:
    """Register the commune list on `con` as RELATION (None when there is no ANCT file)."""
    path = find_source(raw_dir)
    if path is None:
        return None
    communes, encoding = read_communes(path)
    con.register(RELATION, communes)
    unmapped = [
        row[0]
        for row in con.execute(
            f"""
            select distinct communes.insee_com
            from {RELATION} as communes
            left join reference.departement_crosswalk as crosswalk
                on {_insee_departement("communes.insee_com")} = crosswalk.insee_departement_code
            where crosswalk.departement_code is null
            order by 1
            """
        ).fetchall()
    ]
    return IndustrySource(path, sha256_of(path), encoding, communes.num_rows, unmapped)


def _insee_departement(commune: str) -> str:
    return f"case when {commune} like '97%' then left({commune}, 3) else left({commune}, 2) end"


def query() -> str:
    """One row per DGDDI département × territory (needs RELATION registered on the connection)."""
    return f"""
        select
            crosswalk.departement_code,
            communes.id_ti as ti_id,
            min(communes.lib_ti) as ti_label,
            cast(count(distinct communes.insee_com) as integer) as communes_in_departement,
            count(distinct communes.insee_com) >= {MAIN_THRESHOLD} as is_main
        from {RELATION} as communes
        inner join reference.departement_crosswalk as crosswalk
            on {_insee_departement("communes.insee_com")} = crosswalk.insee_departement_code
        group by crosswalk.departement_code, communes.id_ti
    """
