"""The GX quality gates in real Dagster runs: reported, and blocking publication when they fail.

Reuses the session's sample refresh; each failing run starts from a copy of its warehouse and
exports, so the shared fixture is left as it was.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection, DagsterEventType, Definitions, define_asset_job, in_process_executor

from orchestration.assets.checks import EXPORTS_CHECK, GAPS_CHECK, QUALITY_CHECKS, REJECTED_CHECK, marts_quality
from orchestration.check_models import CHECK_MODELS
from orchestration.definitions import defs
from orchestration.quality.context import REPORT_FILE
from orchestration.quality.settings import quality_dir
from orchestration.resources import resource_config
from orchestration.runner import RunOutcome, run_refresh
from orchestration.settings import SAMPLE_DIR, Paths

pytestmark = pytest.mark.integration


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _copy_of(paths: Paths, root: Path, raw_dir: Path) -> Paths:
    """A private copy of a published warehouse and exports."""
    (root / "warehouse").mkdir(parents=True)
    shutil.copy(paths.warehouse, root / "warehouse" / paths.warehouse.name)
    shutil.copytree(paths.exports_dir, root / "exports")
    return Paths(raw_dir=raw_dir, warehouse=root / "warehouse" / paths.warehouse.name, exports_dir=root / "exports")


def test_gx_checks_are_blocking_asset_checks_of_the_graph() -> None:
    graph = defs.resolve_asset_graph()
    gx_checks = {k for k in graph.asset_check_keys if k.name.startswith("gx_")}
    assert {k.asset_key.to_user_string() for k in gx_checks} == {
        "customs_files",
        *(f"checks/{name}" for name in CHECK_MODELS),
        "marts/vintage_revisions",
        "export_tables",
    }
    specs = {spec.key: spec for checks in QUALITY_CHECKS for spec in checks.check_specs}
    warnings = {"checks/chk_code_anomalies", "checks/chk_duplicate_lines", "marts/vintage_revisions"}
    assert {k.asset_key.to_user_string() for k in gx_checks if not specs[k].blocking} == warnings


#: Every suite of a refresh that loads new vintages (the sample's first), in the report's order.
FIRST_REFRESH_SUITES = [
    "raw_flows_schema",
    "raw_flows_periods",
    "raw_flows_coverage",
    "raw_rejected_rows",
    *CHECK_MODELS,
    "vintage_revisions",
    "exports_columns",
    "exports_files",
]


def test_sample_refresh_passes_every_check_and_writes_the_report(
    sample_refresh: tuple[Paths, RunOutcome], sample_report: Path
) -> None:
    paths, outcome = sample_refresh
    quality = quality_dir(paths.warehouse)
    assert outcome.quality_lines[0].startswith("quality checks: ")
    assert ", 0 failed" in outcome.quality_lines[0] and "Great Expectations" in outcome.quality_lines[0]
    assert outcome.quality_lines[-1] == f"  report: {quality / REPORT_FILE}"
    assert (quality / REPORT_FILE).is_file() and not (quality / "data_docs").exists()  # no GX Data Docs
    page = sample_report.read_text(encoding="utf-8")  # as that refresh wrote it: a later run replaces the live one
    assert re.findall(r'<section id="suite-([^"]+)">', page) == FIRST_REFRESH_SUITES
    assert page.count('<span class="ko">FAILED</span>') == 0
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert f"{len(FIRST_REFRESH_SUITES)} suites, 0 failed" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)  # nothing from the network
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert (quality / "gx" / "great_expectations.yml").is_file()


def test_too_many_rejected_rows_stop_the_refresh_before_dbt_and_publication(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for archive in SAMPLE_DIR.glob("*.zip"):
        (raw / archive.name).symlink_to(archive)
    good = [f"E;4;2024;88;13;A01Z;0111;BE;{1000 + i};10" for i in range(17)]
    bad = [f"E;4;2024;88;13;A01Z;0111;BE;{500 + i};5,5" for i in range(3)]  # a mass that is no integer
    (raw / "REGIONAL_CPF4PAYSE.txt").write_text("\r\n".join(good + bad) + "\r\n", encoding="utf-8")
    paths = _copy_of(sample_refresh[0], tmp_path / "copy", raw)
    exports_before, warehouse_before = _digest(paths.exports_dir), _digest(paths.warehouse.parent)

    outcome = run_refresh(paths, sample=True)

    assert not outcome.success
    assert outcome.failed_step == "customs_files_quality"
    assert "blocking asset check failed" in (outcome.error_message or "")
    assert "comex_dbt_assets" not in outcome.step_seconds and "published_refresh" not in outcome.step_seconds
    assert _digest(paths.exports_dir) == exports_before
    assert {k: v for k, v in _digest(paths.warehouse.parent).items() if k.endswith(".duckdb")} == {
        k: v for k, v in warehouse_before.items() if k.endswith(".duckdb")
    }
    text = "\n".join(outcome.quality_lines)
    assert f"FAILED: customs_files · {REJECTED_CHECK}" in text
    assert "rejected_rate" in text and "REGIONAL_CPF4PAYSE.txt" in text  # the failing expectation, an offending row


def test_the_largest_lines_unreadable_block_publication_though_few_lines_are(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """0.95 % of the lines of a revised quarter, its largest, are unreadable: under the 1 % line rate,
    but publishing the rest would show France's exports far too low. The euro rate stops it."""
    with zipfile.ZipFile(SAMPLE_DIR / "Regional-2024-export.zip") as archive:
        text = archive.read("Regional-2024-export/Region_2024_Export.txt").decode("utf-8")
    quarter = [line for line in text.splitlines() if line.split(";")[1] == "4"]
    largest_first = sorted(quarter, key=lambda line: -int(line.split(";")[8]))
    broken = int(len(quarter) * 0.0095)
    unreadable = [line.rsplit(";", 1)[0] + ";n/a" for line in largest_first[:broken]]  # a mass that is no number
    raw = tmp_path / "raw"
    raw.mkdir()
    for archive_path in SAMPLE_DIR.glob("*.zip"):
        (raw / archive_path.name).symlink_to(archive_path)
    (raw / "REGIONAL_CPF4PAYSE.txt").write_text("\r\n".join(unreadable + largest_first[broken:]) + "\r\n")
    paths = _copy_of(sample_refresh[0], tmp_path / "copy", raw)
    exports_before = _digest(paths.exports_dir)
    lost = sum(int(line.split(";")[8]) for line in largest_first[:broken]) / sum(
        int(line.split(";")[8]) for line in quarter
    )
    assert lost > 0.2  # what the gate is there for: a fifth of the quarter's euros in 0.95 % of its lines

    outcome = run_refresh(paths, sample=True)

    assert not outcome.success and outcome.failed_step == "customs_files_quality"
    text = "\n".join(outcome.quality_lines)
    assert f"FAILED: customs_files · {REJECTED_CHECK}" in text
    assert "(rejected_eur_rate;" in text and "(rejected_rate;" not in text  # the euros fail, not the line count
    assert "comex_dbt_assets" not in outcome.step_seconds and "published_refresh" not in outcome.step_seconds
    assert _digest(paths.exports_dir) == exports_before


def test_a_check_model_with_a_gap_blocks_exports_and_publication(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """GX reads the check views over the marts: a gap there stops the run before the exports."""
    paths = _copy_of(sample_refresh[0], tmp_path / "copy", SAMPLE_DIR)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute(
            "update marts.territory_quarterly_totals set value_eur = value_eur + 1 "
            "where year = 2024 and quarter = 2 and level = 'region' and territory_code = '13' and flow = 'export'"
        )
    exports_before = _digest(paths.exports_dir)
    live_before = hashlib.sha256(paths.warehouse.read_bytes()).hexdigest()
    gates = define_asset_job(
        "gates",
        selection=AssetSelection.assets("export_tables", "published_refresh") | AssetSelection.checks(marts_quality),
        executor_def=in_process_executor,
    )
    job_defs = Definitions(
        assets=list(defs.assets or []), asset_checks=QUALITY_CHECKS, jobs=[gates], resources=defs.resources
    )
    result = job_defs.resolve_job_def("gates").execute_in_process(
        run_config={"resources": resource_config(paths, sample=True)}, raise_on_error=False
    )

    assert not result.success
    evaluations = {
        (e.event_specific_data.asset_key, e.event_specific_data.check_name): e.event_specific_data.passed
        for e in result.all_events
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
    }
    assert evaluations[(AssetKey(["checks", "chk_territory_levels_add_up"]), GAPS_CHECK)] is False
    assert evaluations[(AssetKey(["checks", "chk_rankings_add_up"]), GAPS_CHECK)] is True
    assert (AssetKey("export_tables"), EXPORTS_CHECK) not in evaluations
    materialized = {e.asset_key for e in result.all_events if e.event_type == DagsterEventType.ASSET_MATERIALIZATION}
    assert AssetKey("published_refresh") not in materialized and AssetKey("export_tables") not in materialized
    assert _digest(paths.exports_dir) == exports_before
    assert hashlib.sha256(paths.warehouse.read_bytes()).hexdigest() == live_before
