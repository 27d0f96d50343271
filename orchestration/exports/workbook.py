"""The Excel deliverable (`comex export --xlsx`): one workbook, one sheet per table, read safely.

Codes stay text (`01` stays `01`: French Excel turns a CSV's `01` into `1`), numbers are numbers,
headers are French (the contract's `headers_fr`), and a first sheet « Lisez-moi » carries the
manifest (sources, periods, synthetic or not) and the definition of every column. Written with
openpyxl in write-only mode, from the staged Parquet files (the figures the CSVs hold).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from orchestration.exports.contract import Contract, ExportTable
from orchestration.exports.dictionary import UNITS

WORKBOOK_NAME = "comex-territoires.xlsx"
README_SHEET = "Lisez-moi"
SYNTHETIC_WARNING = (
    "DONNÉES SYNTHÉTIQUES : ces chiffres viennent de l'échantillon fourni avec comex-territoires ; "
    "ce ne sont pas des statistiques douanières et ils ne doivent pas être cités."
)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDEE")
_WARNING = Font(bold=True, color="C00000")
#: Column widths: codes narrow, labels wide.
_WIDTHS = {"varchar": 18, "integer": 12, "bigint": 18, "double": 14, "boolean": 10}
Sheet = Any  # openpyxl's write-only worksheet (its class is private)


def write_workbook(
    out_dir: Path, tables: list[ExportTable], contract: Contract, manifest: dict[str, Any]
) -> tuple[Path, int]:
    """Write `<out_dir>/comex-territoires.xlsx` from the staged Parquet files; (path, data rows)."""
    workbook = Workbook(write_only=True)
    _readme(workbook.create_sheet(README_SHEET), tables, contract, manifest)
    rows = 0
    for table in tables:
        rows += _table_sheet(workbook.create_sheet(table.name), out_dir / f"{table.name}.parquet", table, contract)
    path = out_dir / WORKBOOK_NAME
    workbook.save(path)
    return path, rows


def _cell(sheet: Sheet, value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _table_sheet(sheet: Sheet, parquet: Path, table: ExportTable, contract: Contract) -> int:
    """A table's rows under French headers: text as text (codes keep their zeros), numbers as numbers."""
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _WIDTHS[column.type]
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, contract.headers_fr[c.name], font=_BOLD, fill=_HEADER_FILL) for c in table.columns])
    count = 0
    for row in _rows(parquet, table):
        sheet.append(row)
        count += 1
    return count


def _rows(parquet: Path, table: ExportTable) -> Iterator[list[Any]]:
    source = pq.ParquetFile(parquet)
    for batch in source.iter_batches(batch_size=20_000, columns=list(table.column_names)):
        columns = [batch.column(name).to_pylist() for name in table.column_names]
        yield from (list(values) for values in zip(*columns, strict=True))


def _readme(sheet: Sheet, tables: list[ExportTable], contract: Contract, manifest: dict[str, Any]) -> None:
    """The manifest and the definitions, in French."""
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 34
    sheet.column_dimensions["D"].width = 22
    sheet.column_dimensions["E"].width = 100
    sheet.append(
        [_cell(sheet, "comex-territoires : commerce extérieur des territoires", font=Font(bold=True, size=14))]
    )
    if manifest.get("synthetic"):
        sheet.append([_cell(sheet, SYNTHETIC_WARNING, font=_WARNING)])
    sheet.append([])
    for label, value in _manifest_lines(manifest):
        sheet.append([_cell(sheet, label, font=_BOLD), value])
    sheet.append([])
    sheet.append([_cell(sheet, "Tables (une feuille chacune)", font=_BOLD)])
    for table in tables:
        sheet.append([table.name, table.grain, table.fr])
    sheet.append([])
    headers = ("Table", "Colonne", "En-tête", "Unité", "Définition")
    sheet.append([_cell(sheet, h, font=_BOLD, fill=_HEADER_FILL) for h in headers])
    for table in tables:
        for column in table.columns:
            unit = UNITS[column.unit][1]
            sheet.append([table.name, column.name, contract.headers_fr[column.name], unit, column.fr])


def _manifest_lines(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    periods = manifest.get("periods_covered") or {}
    covered = "; ".join(
        f"{flow} : {', '.join(f'{year} ({len(quarters)} trim.)' for year, quarters in sorted(years.items()))}"
        for flow, years in sorted(periods.items())
    )
    files = ", ".join(v["file_name"] for v in manifest.get("source_vintages", []))
    lines = [
        ("Version du contrat d'export", str(manifest.get("contract_version", ""))),
        ("Produit le (UTC)", str(manifest.get("generated_at", ""))),
        ("Données synthétiques", "oui" if manifest.get("synthetic") else "non"),
        ("Export partiel", "oui : " + str(manifest.get("filters")) if manifest.get("partial") else "non"),
        ("Fichiers DGDDI sources", files),
        ("Trimestres couverts", covered),
        ("Entrepôt", str(manifest.get("warehouse", ""))),
        ("Source", "DGDDI, statistiques régionales du commerce extérieur (données ouvertes)"),
    ]
    return lines
