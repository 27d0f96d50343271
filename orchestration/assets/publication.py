"""Asset `published_refresh`: swap in the new warehouse and exports, only when all else passed."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.exports.publication import publish
from orchestration.resources import ComexResource


@asset(
    group_name="exports",
    deps=["export_tables"],
    description=(
        "Publication: the run's working warehouse replaces the live one and the staged exports "
        "replace the published ones, under a journal that a killed run rolls forward "
        "(orchestration/exports/publication.py). Reached only when every upstream asset and "
        "blocking check passed."
    ),
)
def published_refresh(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    paths = comex.paths
    result = publish(paths.exports_dir, working_warehouse=comex.working_warehouse, live_warehouse=paths.warehouse)
    if result.unchanged:
        context.log.info(f"published {paths.warehouse}; exports unchanged in {paths.exports_dir}")
    else:
        context.log.info(
            f"published {paths.warehouse}; {len(result.moved)} export files replaced, "
            f"{len(result.removed)} removed in {paths.exports_dir}"
        )
    return MaterializeResult(
        metadata={
            "warehouse": MetadataValue.path(str(paths.warehouse)),
            "exports_dir": MetadataValue.path(str(paths.exports_dir)),
            "export_files": len(result.moved),
            "export_files_removed": len(result.removed),
        }
    )
