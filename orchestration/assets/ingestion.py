"""Asset `customs_files`: new DGDDI files of the drop zone, ingested into the working warehouse."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration import raw_archive, warehouse
from orchestration.assets.fetch import FETCHED_FILES_KEY
from orchestration.errors import ComexError
from orchestration.ingestion.loader import IngestionReport, ingest_drop_zone
from orchestration.resources import ComexResource

CUSTOMS_FILES_KEY = "customs_files"


@asset(
    name=CUSTOMS_FILES_KEY,
    group_name="ingestion",
    deps=[FETCHED_FILES_KEY],  # only selected in the scheduled fetch_and_refresh job
    kinds={"duckdb", "python"},
    description=(
        "DGDDI files of the raw drop zone, read by content: data texts become vintages (rows in "
        "raw.customs_flows, unreadable lines in raw.rejected_rows, euros reconciled per flow and quarter), "
        "label lists are stored with their publication date, documentation is listed and ignored."
    ),
)
def customs_files(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    paths = comex.paths
    if not paths.raw_dir.is_dir():
        raise ComexError(f"raw folder not found: {paths.raw_dir} (drop DGDDI files there, or run `comex fetch`)")

    def progress(name: str, index: int, total: int) -> None:
        context.log.info(f"reading {name} ({index}/{total})")

    with warehouse.connect(comex.working_warehouse) as con:
        report = ingest_drop_zone(
            con,
            paths.raw_dir,
            raw_archive.archive_dir(paths.warehouse),
            progress=progress,
            accept_revisions=comex.accept_revisions,
        )
        totals = con.execute("select count(*), count(distinct vintage_id) from raw.customs_flows").fetchone()
    assert totals is not None
    for line in report_lines(report):
        context.log.info(line)
    return MaterializeResult(
        metadata={
            "new_vintages": len(report.ingested),
            "unchanged_files": len(report.unchanged),
            "rows_ingested": report.rows,
            "rows_rejected": report.rejected,
            "euros_ingested": sum(f.value_eur for f in report.ingested),
            "euros_rejected": sum(f.rejected_eur for f in report.ingested),
            "rows_in_warehouse": int(totals[0]),
            "vintages_in_warehouse": int(totals[1]),
            "files": MetadataValue.md(
                "\n".join(
                    f"- `{f.file_name}` sha256 `{f.sha256[:12]}`: {f.rows:,} rows, {f.value_eur:,} €"
                    for f in report.ingested
                )
                or "no new data"
            ),
            "label_lists": MetadataValue.md("\n".join(f"- {line}" for line in report.labels) or "none new"),
            "other_files": MetadataValue.md("\n".join(f"- {line}" for line in report.other) or "none"),
        }
    )


def report_lines(report: IngestionReport) -> list[str]:
    """What ingestion did, a line per file or piece."""
    lines = [
        f"{item.file_name}: {item.rows:,} rows kept, {item.rejected:,} rejected ({item.rejected_eur:,} € of "
        f"{item.value_eur:,} €; {item.encoding}; {', '.join(item.periods[:3])}{'…' if len(item.periods) > 3 else ''})"
        for item in report.ingested
    ]
    lines += [f"{name}: data already held (a copy of a known vintage)" for name in report.known_content]
    lines += [f"label list {line}" for line in report.labels]
    lines += [f"not data, listed and ignored: {line}" for line in report.other]
    if report.unchanged:
        lines.append(f"{len(report.unchanged)} file(s) received before, unchanged")
    return lines
