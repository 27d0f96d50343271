"""`manifest.json`: what an export set is made of, and from what.

Contract version, generation time, the engine that built the marts (`duckdb` or `spark`), CSV
dialect, filters (partial export), the dbt vars the marts were built with (top_n, highlight_n,
product_level), every source vintage (file name, archive member, sha256 of its data text,
publication date, periods it holds and periods it is the current vintage of, and its
reconciliation: lines and euros read = kept + rejected), the periods covered, the
ANCT source (or a note that it is absent), and the row count and sha256 of every file, with
each CSV's `headers`: en (the contract's column names) or fr (`fr/`, see headers.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from orchestration.exports.dialects import CsvDialect
from orchestration.exports.industry import PATTERN, IndustrySource
from orchestration.exports.writer import MANIFEST_NAME, ExportFilters, WrittenFile
from orchestration.sample.checksums import is_synthetic
from orchestration.yaml_files import dbt_project_vars

DBT_VARS = ("top_n", "highlight_n", "product_level")


def dbt_vars() -> dict[str, Any]:
    """The vars the marts are built with: the refresh runs `dbt build` with the project's vars."""
    values = dbt_project_vars()
    return {name: values.get(name) for name in DBT_VARS}


def _period(flow: str, year: int, quarter: int) -> str:
    return f"{flow} {year}Q{quarter}"


def source_vintages(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every vintage of the warehouse, in publication order, with the periods it holds and serves."""
    vintages = con.execute(
        "select vintage_id, file_name, member_name, sha256, strftime(published_at, '%Y-%m-%dT%H:%M:%S'), "
        "line_count, row_count, rejected_count, value_eur, kept_eur, rejected_eur "
        "from raw.vintages order by publication_order, vintage_id"
    ).fetchall()
    held: dict[int, list[str]] = {}
    for vintage_id, flow, year, quarter in con.execute(
        "select vintage_id, flow, year, quarter from staging.stg_customs__vintage_periods order by all"
    ).fetchall():
        held.setdefault(vintage_id, []).append(_period(flow, year, quarter))
    used: dict[int, list[str]] = {}
    for vintage_id, flow, year, quarter in con.execute(
        "select distinct vintage_id, flow, year, quarter from marts.fct_territory_flows where level = 'france' "
        "order by all"
    ).fetchall():
        used.setdefault(vintage_id, []).append(_period(flow, year, quarter))
    return [
        {
            "file_name": name,
            "member_name": member,
            "sha256": sha,
            "published_at": published,
            "periods": held.get(vintage_id, []),
            "periods_used": used.get(vintage_id, []),
            "reconciliation": {
                "lines_read": lines,
                "rows_kept": kept_rows,
                "lines_rejected": rejected_rows,
                "euros_read": value_eur,
                "euros_kept": kept_eur,
                "euros_rejected": rejected_eur,
                "balanced": value_eur == kept_eur + rejected_eur and lines == kept_rows + rejected_rows,
            },
        }
        for (
            vintage_id,
            name,
            member,
            sha,
            published,
            lines,
            kept_rows,
            rejected_rows,
            value_eur,
            kept_eur,
            rejected_eur,
        ) in vintages
    ]


def periods_covered(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, list[int]]]:
    """Quarters present per flow and year (`{"export": {"2025": [1, 2]}}`): a year with fewer
    than 4 quarters is partial (territory_totals says so too: quarters_covered, is_complete_year)."""
    rows = con.execute(
        "select flow, year, list(distinct quarter order by quarter) from marts.territory_quarterly_totals "
        "where level = 'france' group by flow, year order by flow, year"
    ).fetchall()
    covered: dict[str, dict[str, list[int]]] = {}
    for flow, year, quarters in rows:
        covered.setdefault(flow, {})[str(year)] = list(quarters)
    return covered


def industry_note(source: IndustrySource | None, raw_dir: Path) -> dict[str, Any]:
    """Where industry_territories came from, or why it is not in this export set."""
    if source is None:
        return {
            "status": "absent",
            "note": (
                f"No ANCT Territoires d'industrie list ({PATTERN}) in the raw folder {raw_dir}: "
                "industry_territories.csv/.parquet are not part of this export set. Drop ANCT's "
                "liste-ti-com2023-20240704.csv (data.gouv.fr, programme-territoires-dindustrie) there "
                "and run `comex export` (or the next refresh)."
            ),
        }
    return {
        "status": "present",
        "source": {
            "file_name": source.path.name,
            "sha256": source.sha256,
            "encoding": source.encoding,
            "communes": source.communes,
            "unmapped_communes": source.unmapped_communes,
        },
    }


def build(
    con: duckdb.DuckDBPyConnection,
    *,
    contract_version: str,
    generated_at: str,
    dialect: CsvDialect,
    filters: ExportFilters,
    vars_: dict[str, Any],
    industry: dict[str, Any],
    files: list[WrittenFile],
    documentation: list[WrittenFile],
    pack_files: list[WrittenFile],
    notes: list[str] | None = None,
    warehouse: Path | None = None,
    engine: str = "duckdb",
) -> dict[str, Any]:
    """The manifest of one export set; `engine` built the marts it comes from (duckdb or spark)."""
    vintages = source_vintages(con)
    manifest: dict[str, Any] = {
        "contract_version": contract_version,
        "generated_at": generated_at,
        "engine": engine,
        "synthetic": is_synthetic([v["sha256"] for v in vintages]),
        "csv_dialect": dialect.describe(),
        "partial": filters.active,
        "filters": filters.describe(),
        "dbt_vars": vars_,
        "source_vintages": vintages,
        "periods_covered": periods_covered(con),
        "industry_territories": industry,
        "files": [f.record() for f in files],
        "documentation": [{"name": f.name, "sha256": f.sha256} for f in documentation],
    }
    if warehouse is not None:
        manifest["warehouse"] = str(warehouse.resolve())
    if pack_files:
        manifest["pack_files"] = [f.record() for f in pack_files]
    if notes:
        manifest["notes"] = notes
    return manifest


def write(manifest: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read(folder: Path) -> dict[str, Any] | None:
    """The manifest of `folder`, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def listed_files(manifest: dict[str, Any] | None) -> list[str]:
    """Every file an export set is made of (relative names), the manifest itself excluded."""
    if not manifest:
        return []
    entries = manifest.get("files", []) + manifest.get("documentation", []) + manifest.get("pack_files", [])
    return [entry["name"] for entry in entries]


def produced_elsewhere(exports_dir: Path, warehouse: Path) -> str | None:
    """Why publishing `warehouse`'s exports into `exports_dir` would replace another warehouse's
    set (e.g. a typo in --warehouse, which creates a fresh, empty one), or None."""
    previous = read(exports_dir)
    producer = (previous or {}).get("warehouse")
    if producer is None or Path(producer) == warehouse.resolve():
        return None
    return (
        f"{exports_dir} holds the exports of another warehouse ({producer}), not of {warehouse.resolve()}: "
        "check --warehouse / COMEX_WAREHOUSE, or use --force to publish there anyway"
    )
