"""The export contract v1 (DESIGN.md §5): which mart feeds which file, and its key."""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT_VERSION = "1.0.0"


@dataclass(frozen=True)
class ExportTable:
    """One file of the contract."""

    name: str  # file stem: <name>.csv and <name>.parquet
    relation: str  # schema.table in the warehouse
    key: tuple[str, ...]  # the grain: unique in the file
    order_by: tuple[str, ...]


EXPORT_TABLES: tuple[ExportTable, ...] = (
    ExportTable(
        "territory_totals",
        "marts.territory_totals",
        key=("year", "level", "territory_code", "flow"),
        order_by=("year", "level", "territory_code", "flow"),
    ),
    ExportTable(
        "partner_balance",
        "marts.partner_balance",
        key=("year", "level", "territory_code", "country_code"),
        order_by=("year", "level", "territory_code", "country_code"),
    ),
    ExportTable(
        "product_activity",
        "marts.product_activity",
        key=("year", "level", "territory_code", "flow", "product_code"),
        order_by=("year", "level", "territory_code", "flow", "rank"),
    ),
    ExportTable(
        "flow_links",
        "marts.flow_links",
        key=("year", "level", "territory_code", "flow", "product_code", "country_code"),
        order_by=("year", "level", "territory_code", "flow", "product_code", "country_code"),
    ),
)
