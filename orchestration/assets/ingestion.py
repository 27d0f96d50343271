"""Asset `customs_files`: new DGDDI files of the drop zone, ingested into the working warehouse."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration import warehouse
from orchestration.assets.fetch import FETCHED_FILES_KEY
from orchestration.errors import ComexError
from orchestration.ingestion.loader import ingest_drop_zone
from orchestration.resources import ComexResource

CUSTOMS_FILES_KEY = "customs_files"


@asset(
    name=CUSTOMS_FILES_KEY,
    group_name="ingestion",
    deps=[FETCHED_FILES_KEY],  # only selected in the scheduled fetch_and_refresh job
    kinds={"duckdb", "python"},
    description=(
        "DGDDI regional customs files of the raw drop zone, validated row by row and loaded into "
        "raw.customs_flows (one vintage per new file; rejected rows in raw.rejected_rows)."
    ),
)
def customs_files(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    paths = comex.paths
    if not paths.raw_dir.is_dir():
        raise ComexError(f"raw folder not found: {paths.raw_dir} (drop DGDDI files there, or run `comex fetch`)")

    def progress(name: str, index: int, total: int) -> None:
        context.log.info(f"reading {name} ({index}/{total})")

    with warehouse.connect(comex.working_warehouse) as con:
        report = ingest_drop_zone(con, paths.raw_dir, warehouse.archive_dir(paths.warehouse), progress=progress)
        totals = con.execute("select count(*), count(distinct vintage_id) from raw.customs_flows").fetchone()
    assert totals is not None
    for item in report.ingested:
        context.log.info(
            f"{item.file_name}: {item.rows:,} rows kept, {item.rejected:,} rejected "
            f"({item.encoding}; {', '.join(item.periods[:3])}{'…' if len(item.periods) > 3 else ''})"
        )
    if report.unchanged:
        context.log.info(f"{len(report.unchanged)} file(s) already ingested, unchanged")
    return MaterializeResult(
        metadata={
            "new_vintages": len(report.ingested),
            "unchanged_files": len(report.unchanged),
            "rows_ingested": report.rows,
            "rows_rejected": report.rejected,
            "rows_in_warehouse": int(totals[0]),
            "vintages_in_warehouse": int(totals[1]),
            "files": MetadataValue.md(
                "\n".join(f"- `{f.file_name}` sha256 `{f.sha256[:12]}`: {f.rows:,} rows" for f in report.ingested)
                or "no new file"
            ),
        }
    )
