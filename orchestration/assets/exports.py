"""Asset `export_tables`: the contract tables written to the run's staging exports folder."""

import datetime as dt

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.exports.contract import EXPORT_TABLES
from orchestration.exports.writer import write_exports
from orchestration.resources import ComexResource
from orchestration.warehouse import connect_read_only


@asset(
    group_name="exports",
    kinds={"csv", "parquet"},
    deps=[AssetKey(["marts", table.name]) for table in EXPORT_TABLES],
    description="The export contract v1 tables (CSV + Parquet) and manifest, staged until publication.",
)
def export_tables(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    out_dir = comex.staging_exports_dir
    generated_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with connect_read_only(comex.working_warehouse) as con:
        written = write_exports(con, out_dir, generated_at=generated_at)
    for item in written:
        context.log.info(f"{item.path.name}: {item.rows:,} rows")
    return MaterializeResult(
        metadata={
            "staging_dir": MetadataValue.path(str(out_dir)),
            "published_dir": MetadataValue.path(str(comex.paths.exports_dir)),
            **{f"rows_{w.path.stem}": w.rows for w in written if w.path.suffix == ".csv"},
        }
    )
