"""Header languages of the CSV files: `en`, the contract's column names (the default), or `fr`.

French headers are the contract's `headers_fr`. `comex export --headers fr` leaves the contract
files as they are (column names: what the GX export suite, the fiches and every program
read) and adds French-header copies of the tables' CSVs in `fr/`, same rows, same values, same
dialect, with a `LISEZ-MOI.md` there; the manifest records the `headers` of every CSV it lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from orchestration.exports.contract import CONTRACT, Contract, ExportTable
from orchestration.exports.dialects import CsvDialect

HEADER_LANGUAGES = ("en", "fr")
#: Where the French-header copies go, inside an export set (published or partial).
FRENCH_DIR = "fr"
README_NAME = "LISEZ-MOI.md"


def header_language(name: str) -> str:
    """`name` when it is a header language (en or fr), else ValueError."""
    if name not in HEADER_LANGUAGES:
        raise ValueError(f"unknown header language {name!r}: use one of {', '.join(HEADER_LANGUAGES)}")
    return name


def header_names(table: ExportTable, language: str, contract: Contract = CONTRACT) -> tuple[str, ...]:
    """The CSV header of `table` in `language`, in column order."""
    if header_language(language) == "en":
        return table.column_names
    return tuple(contract.headers_fr[name] for name in table.column_names)


def _dialect_fr(dialect: CsvDialect) -> str:
    bom = "UTF-8 avec BOM" if dialect.bom else "UTF-8"
    decimal = "virgule décimale" if dialect.decimal == "," else "point décimal"
    return f"séparateur `{dialect.delimiter}`, {decimal}, {bom} (dialecte `{dialect.name}`)"


def render_readme(tables: Iterable[ExportTable], dialect: CsvDialect, contract: Contract = CONTRACT) -> str:
    """`fr/LISEZ-MOI.md`: the header language of the folder, and each header's contract column."""
    lines = [
        f"# En-têtes français — contrat d'export v{contract.version}",
        "",
        "Les fichiers CSV de ce dossier sont ceux du dossier parent, mêmes lignes et mêmes valeurs,",
        "avec des en-têtes en français (`headers_fr` du contrat) : en-têtes `fr`.",
        f"Format : {_dialect_fr(dialect)}.",
        "Les fichiers du dossier parent gardent les noms de colonnes du contrat (en-têtes `en`) :",
        "un programme doit lire ceux-là. `manifest.json` (dossier parent) donne les `headers` de chaque CSV.",
        "",
        "*Header language: French. These CSVs are the parent folder's, same rows and values, under the",
        "contract's French headers; programs should read the parent folder's files (column names).*",
        "",
    ]
    for table in tables:
        lines += [f"## {table.name}.csv", "", "| en-tête | colonne du contrat |", "|---|---|"]
        lines += [
            f"| {header} | `{name}` |"
            for name, header in zip(table.column_names, header_names(table, "fr", contract), strict=True)
        ]
        lines.append("")
    return "\n".join(lines)


def write_readme(out_dir: Path, tables: Iterable[ExportTable], dialect: CsvDialect) -> Path:
    """Write `<out_dir>/fr/LISEZ-MOI.md`."""
    path = out_dir / FRENCH_DIR / README_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_readme(tables, dialect), encoding="utf-8")
    return path
