"""The data dictionary of the exports (`DICTIONARY.md`, `dictionary.json`), in English and French.

English text comes from the dbt docs of the mart behind each file (`models/marts/*.yml`), French
text, types and units from the contract file: the dictionary cannot drift from either.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from orchestration.exports.contract import Contract, ExportTable
from orchestration.settings import REPO_ROOT
from orchestration.yaml_files import read_yaml

MARTS_DOCS_DIR = REPO_ROOT / "models" / "marts"
MARKDOWN_NAME = "DICTIONARY.md"
JSON_NAME = "dictionary.json"

UNITS = {
    "eur": ("whole euros (integer)", "euros entiers (entier)"),
    "fraction": ("fraction between 0 and 1", "fraction entre 0 et 1"),
    "rate": ("growth rate as a fraction (0.034 = +3.4 %)", "taux en fraction (0,034 = +3,4 %)"),
    "ratio": ("ratio (1 = same as the reference)", "rapport (1 = comme la référence)"),
    "kg": ("whole kilograms (integer)", "kilogrammes entiers (entier)"),
    "eur_per_kg": ("euros per kilogram", "euros par kilogramme"),
    "count": ("count", "nombre"),
    "rank": ("rank, 1 = largest", "rang, 1 = le plus grand"),
    "year": ("year", "année"),
    "quarter": ("quarter 1-4", "trimestre 1-4"),
    "none": ("", ""),
}


class DictionaryError(ValueError):
    """A contract column has no documentation in its mart's dbt docs."""


@cache
def mart_docs(docs_dir: Path = MARTS_DOCS_DIR) -> dict[str, dict[str, Any]]:
    """Every documented model of the marts folder: name → its yml entry."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(docs_dir.glob("*.yml")):
        content = read_yaml(path) or {}
        for model in content.get("models") or []:
            docs[model["name"]] = model
    return docs


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def table_entry(table: ExportTable, docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The dictionary entry of one file: its description and every column's."""
    model = docs.get(table.mart or "", {})
    model_columns = {c["name"]: c for c in model.get("columns") or []}
    columns = []
    for column in table.columns:
        documented = model_columns.get(column.name, {})
        english = _clean(documented.get("description")) or _clean(column.en)
        if not english:
            raise DictionaryError(f"{table.name}.{column.name}: no description in the dbt docs of {table.mart}")
        not_null = any(c.get("type") == "not_null" for c in documented.get("constraints") or [])
        columns.append(
            {
                "name": column.name,
                "type": column.type,
                "unit": column.unit,
                "nullable": not not_null if table.mart else False,
                "description": {"en": english, "fr": _clean(column.fr)},
            }
        )
    return {
        "name": table.name,
        "files": [f"{table.name}.csv", f"{table.name}.parquet"],
        "source": f"dbt model marts.{table.mart}" if table.mart else "ANCT liste-ti-com*.csv (raw folder)",
        "grain": table.grain,
        "key": list(table.key),
        "description": {"en": _clean(model.get("description")) or _clean(table.en), "fr": _clean(table.fr)},
        "columns": columns,
    }


def build(contract: Contract, docs: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The machine-readable dictionary (what dictionary.json holds)."""
    docs = mart_docs() if docs is None else docs
    return {
        "contract_version": contract.version,
        "units": {name: {"en": en, "fr": fr} for name, (en, fr) in UNITS.items() if name != "none"},
        "tables": [table_entry(t, docs) for t in contract.tables],
    }


def render_markdown(dictionary: dict[str, Any]) -> str:
    """DICTIONARY.md: one section per file, one table row per column, English then French."""
    lines = [
        f"# Data dictionary — export contract v{dictionary['contract_version']}",
        "",
        "Generated from the export contract (`orchestration/exports/contract_v1.yml`) and the dbt docs",
        "of the marts (`models/marts/_marts__models.yml`). Money in whole euros, shares as fractions",
        "0–1, `level` ∈ departement, region, france, `territory_code` = DGDDI code (FR for France).",
        "",
        "*Dictionnaire des données — généré depuis le contrat d'export et la documentation dbt.*",
        "*Montants en euros entiers, parts en fractions de 0 à 1.*",
        "",
    ]
    for table in dictionary["tables"]:
        lines += [
            f"## {table['name']}",
            "",
            f"Files: {', '.join(f'`{f}`' for f in table['files'])} — source: {table['source']}.",
            f"One row per {table['grain']}; key: {', '.join(table['key'])}.",
            "",
            table["description"]["en"],
            "",
            f"*{table['description']['fr']}*",
            "",
            "| column | type | unit | description (en) | description (fr) |",
            "|---|---|---|---|---|",
        ]
        for column in table["columns"]:
            unit = UNITS[column["unit"]][0]
            cells = [
                f"`{column['name']}`",
                column["type"],
                unit,
                column["description"]["en"],
                column["description"]["fr"],
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write(contract: Contract, out_dir: Path) -> list[Path]:
    """Write DICTIONARY.md and dictionary.json into `out_dir`."""
    dictionary = build(contract)
    json_path, md_path = out_dir / JSON_NAME, out_dir / MARKDOWN_NAME
    json_path.write_text(json.dumps(dictionary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(dictionary), encoding="utf-8")
    return [md_path, json_path]
