"""Asset `published_refresh`: swap in the new warehouse and exports, only when all else passed."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration import warehouse
from orchestration.exports.writer import publish_exports
from orchestration.resources import ComexResource


@asset(
    group_name="exports",
    deps=["export_tables"],
    description=(
        "Publication: the run's working warehouse replaces the live one and the staged exports "
        "replace the published ones. Reached only when every upstream asset and blocking check passed."
    ),
)
def published_refresh(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    paths = comex.paths
    warehouse.publish(comex.working_warehouse, paths.warehouse)
    published = publish_exports(comex.staging_exports_dir, paths.exports_dir)
    if published:
        context.log.info(f"published {paths.warehouse} and {len(published)} export files in {paths.exports_dir}")
    else:
        context.log.info(f"published {paths.warehouse}; exports unchanged in {paths.exports_dir}")
    return MaterializeResult(
        metadata={
            "warehouse": MetadataValue.path(str(paths.warehouse)),
            "exports_dir": MetadataValue.path(str(paths.exports_dir)),
            "export_files": len(published),
        }
    )
