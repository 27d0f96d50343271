"""Asset `export_tables`: the contract tables written to the run's staging exports folder."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.check_models import CHECK_MODELS
from orchestration.exports.contract import MART_TABLES
from orchestration.exports.exporter import now_iso, stage_exports
from orchestration.resources import ComexResource
from orchestration.warehouse import connect_read_only


@asset(
    group_name="exports",
    kinds={"csv", "parquet"},
    # the check models too: their blocking checks (dbt tests and GX) gate the exports
    deps=[
        *(AssetKey(["marts", table.mart]) for table in MART_TABLES if table.mart),
        *(AssetKey(["checks", name]) for name in CHECK_MODELS),
    ],
    description=(
        "The export contract v1 tables (CSV + Parquet), data dictionary and manifest, staged in "
        "<exports>/.staging until `published_refresh` swaps them in (orchestration/exports/contract_v1.yml)."
    ),
)
def export_tables(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    out_dir = comex.staging_exports_dir
    with connect_read_only(comex.working_warehouse) as con:
        export_set = stage_exports(
            con,
            out_dir,
            raw_dir=comex.paths.raw_dir,
            generated_at=now_iso(),
            warehouse_path=comex.paths.warehouse,
            engine=comex.engine_name,
        )
    for item in export_set.files:
        context.log.info(f"{item.name}: {item.rows:,} rows")
    industry = export_set.manifest["industry_territories"]
    if industry["status"] == "absent":
        context.log.warning(industry["note"])
    return MaterializeResult(
        metadata={
            "staging_dir": MetadataValue.path(str(out_dir)),
            "published_dir": MetadataValue.path(str(comex.paths.exports_dir)),
            "contract_version": export_set.manifest["contract_version"],
            "industry_territories": industry["status"],
            **{f"rows_{f.table}": f.rows for f in export_set.files if f.format == "csv"},
            **{f"path_{f.table}_{f.format}": MetadataValue.path(str(f.path)) for f in export_set.files},
        }
    )
