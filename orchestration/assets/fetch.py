"""Asset `fetched_files`: the configured sources downloaded into the raw drop zone (scheduled job only)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.fetch import fetch_all, load_sources, sources_file
from orchestration.fetch.progress import LogReporter
from orchestration.resources import ComexResource

FETCHED_FILES_KEY = "fetched_files"


@asset(
    name=FETCHED_FILES_KEY,
    group_name="ingestion",
    kinds={"python"},
    description=(
        "The files listed in sources.toml (or $COMEX_SOURCES) downloaded into the raw drop zone: "
        "all or nothing, unchanged files left alone, sha256 logged in .fetch-log.jsonl."
    ),
)
def fetched_files(context: AssetExecutionContext, comex: ComexResource) -> MaterializeResult:
    config = load_sources(sources_file())
    report = fetch_all(config, comex.paths.raw_dir, reporter=LogReporter(context.log))
    return MaterializeResult(
        metadata={
            "sources_file": MetadataValue.path(str(config.path)),
            "changed_files": len(report.changed),
            "unchanged_files": len(report.files("unchanged")),
            "files": MetadataValue.md(
                "\n".join(f"- `{r.file}` {r.status}, sha256 `{r.sha256[:12]}`" for r in report.records)
            ),
        }
    )
