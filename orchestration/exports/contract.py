"""The export contract v1, loaded from `contract_v1.yml`: files, columns, keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orchestration.yaml_files import read_yaml

CONTRACT_FILE = Path(__file__).with_name("contract_v1.yml")
TYPES = ("integer", "bigint", "double", "varchar", "boolean")
UNITS = ("eur", "fraction", "rate", "ratio", "kg", "eur_per_kg", "count", "rank", "year", "quarter", "none")


@dataclass(frozen=True)
class Column:
    """One column of an export file."""

    name: str
    type: str  # a DuckDB type, one of TYPES
    unit: str  # one of UNITS
    fr: str  # French description
    en: str | None = None  # English description when the file has no mart (else: the mart's dbt docs)


@dataclass(frozen=True)
class ExportTable:
    """One file of the contract: `<name>.csv` and `<name>.parquet`."""

    name: str
    mart: str | None  # the dbt mart behind the file (schema marts), None when built at export time
    grain: str
    fr: str
    en: str | None
    key: tuple[str, ...]  # unique in the file
    order_by: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def relation(self) -> str | None:
        """schema.table of the mart in the warehouse."""
        return f"marts.{self.mart}" if self.mart else None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Contract:
    version: str
    tables: tuple[ExportTable, ...]
    headers_fr: dict[str, str]  # column name → short French header (the workbook's)

    def table(self, name: str) -> ExportTable:
        return next(t for t in self.tables if t.name == name)


def _column(raw: dict) -> Column:
    column = Column(raw["name"], raw["type"], raw["unit"], raw["fr"].strip(), (raw.get("en") or "").strip() or None)
    if column.type not in TYPES or column.unit not in UNITS:
        raise ValueError(f"{CONTRACT_FILE.name}: column {column.name}: bad type {column.type} or unit {column.unit}")
    return column


def _table(raw: dict) -> ExportTable:
    table = ExportTable(
        name=raw["name"],
        mart=raw.get("mart"),
        grain=raw["grain"],
        fr=raw["fr"].strip(),
        en=(raw.get("en") or "").strip() or None,
        key=tuple(raw["key"]),
        order_by=tuple(raw["order_by"]),
        columns=tuple(_column(c) for c in raw["columns"]),
    )
    unknown = (set(table.key) | set(table.order_by)) - set(table.column_names)
    if unknown:
        raise ValueError(f"{CONTRACT_FILE.name}: {table.name}: key/order_by names unknown columns {sorted(unknown)}")
    return table


@cache
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    """Parse and sanity-check the contract file (cached)."""
    raw = read_yaml(path)
    contract = Contract(str(raw["version"]), tuple(_table(t) for t in raw["files"]), dict(raw["headers_fr"]))
    missing = sorted({c.name for t in contract.tables for c in t.columns} - set(contract.headers_fr))
    if missing:
        raise ValueError(f"{CONTRACT_FILE.name}: headers_fr lacks {', '.join(missing)}")
    return contract


CONTRACT = load_contract()
CONTRACT_VERSION = CONTRACT.version
#: Every file of the contract, in publication order.
EXPORT_TABLES: tuple[ExportTable, ...] = CONTRACT.tables
#: The files written from a dbt mart (the `export_tables` asset depends on those marts).
MART_TABLES: tuple[ExportTable, ...] = tuple(t for t in EXPORT_TABLES if t.mart)
