"""Load the code lists that validate raw rows, from the project's reference seeds."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import SEEDS_DIR

#: temp table name -> (seed file relative to seeds/, select list)
_REFERENCE_TABLES: dict[str, tuple[str, str]] = {
    "ref_departements": ("dgddi/dgddi_departements.csv", "departement_code as code, region_code"),
    "ref_a129": ("dgddi/dgddi_a129.csv", "a129_code as code, valid_from, valid_to"),
    "ref_cpf4": ("dgddi/dgddi_cpf4.csv", "cpf4_code as code, valid_from, valid_to"),
    "ref_countries": ("dgddi/dgddi_countries.csv", "country_code as code, valid_from, valid_to"),
    "ref_cpf4_a129": ("insee/insee_cpf4_na2008.csv", "cpf4_code, a129_code"),
}


def load_reference_codes(con: duckdb.DuckDBPyConnection, seeds_dir: Path = SEEDS_DIR) -> None:
    """Create temp tables ref_* used by the row validation."""
    for table, (relative, columns) in _REFERENCE_TABLES.items():
        path = seeds_dir / relative
        if not path.is_file():
            raise FileNotFoundError(f"reference seed missing: {path}")
        con.execute(
            f"create or replace temp table {table} as select {columns} "
            "from read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
    for table in ("ref_a129", "ref_cpf4", "ref_countries"):
        con.execute(
            f"create or replace temp table {table} as "
            f"select code, cast(valid_from as integer) as valid_from, cast(valid_to as integer) as valid_to "
            f"from {table}"
        )
