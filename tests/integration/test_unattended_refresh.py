"""Unattended refresh end to end: annual files, a no-op, then a last publication picked up by the sensor.

Two real refreshes in all (the session fixture `scenario`, in conftest.py): the first (annual
files 2019–2024) and the one the sensor requests when the last-publication files (2024Q2..2025Q2,
2024 revised) settle in the drop zone, run while another process holds a read-only connection to
the live warehouse.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from dagster import (
    DagsterEventType,
    RunRequest,
    SkipReason,
    build_run_status_sensor_context,
    build_schedule_context,
)

from orchestration.check_models import CHECK_MODELS
from orchestration.dbt_invocation import run_dbt
from orchestration.definitions import defs
from orchestration.refresh_record import RefreshRecord, read_record
from orchestration.resources import paths_of_run
from orchestration.runner import run_refresh
from orchestration.schedules import monthly_refresh
from orchestration.sensors import record_refresh_success
from orchestration.settings import ENV_RAW_DIR, REPO_ROOT
from orchestration.warehouse import dbt_target_dir
from tests.integration.conftest import ANNUAL_YEARS, COMEX, Scenario, evaluate_sensor

pytestmark = pytest.mark.integration

FILE_COLUMNS = (
    "{'flux': 'VARCHAR', 'trimestre': 'INTEGER', 'annee': 'INTEGER', 'dep': 'VARCHAR', 'reg': 'VARCHAR', "
    "'a129': 'VARCHAR', 'cpf4': 'VARCHAR', 'pays': 'VARCHAR', 'valeur': 'BIGINT', 'masse': 'BIGINT'}"
)
#: Vintages after the first refresh (one per annual file), then after the last publication (one per flow).
ANNUAL_VINTAGES = 2 * len(ANNUAL_YEARS)
ALL_VINTAGES = ANNUAL_VINTAGES + 2
FIRST_YEAR = ANNUAL_YEARS[0]


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_noop_refresh_says_nothing_new_quickly_and_changes_nothing(scenario: Scenario) -> None:
    assert scenario.noop.returncode == 0, scenario.noop.stderr
    assert "nothing new" in scenario.noop.stderr
    assert "next: comex fiche --all" in scenario.noop.stderr and "comex status" in scenario.noop.stderr
    assert scenario.exports_unchanged_by_noop
    assert scenario.log_untouched_by_noop, "the fast path must not run the job"
    assert scenario.noop_seconds < 15  # typically ~1 s; generous for a busy 2-core machine


def test_sensor_debounces_skips_while_busy_and_requests_one_refresh(scenario: Scenario) -> None:
    results = scenario.sensor_results
    skips = {name: r.skip_message for name, r in results.items() if isinstance(r, SkipReason)}
    assert "waiting" in skips["first sight"]
    assert "no data or labels the warehouse lacks" in skips["settled, all ingested"]
    assert "no change" in skips["nothing changed"]
    assert "waiting" in skips["new files"]
    assert "waiting" in skips["still changing"]
    assert "writing the warehouse" in skips["another run writing"]
    assert "writing the warehouse" in skips["schedule while busy"]
    assert "no change" in skips["after the run"] and "no change" in skips["after the run, again"]
    assert scenario.request.tags["comex/new_files"] == "REGIONAL_CPF4PAYSE.txt, REGIONAL_CPF4PAYSI.txt"
    assert scenario.request.tags["comex/writer"] == "warehouse"
    assert paths_of_run(scenario.request.run_config) == scenario.paths


def test_sensor_stays_quiet_about_a_raw_folder_that_does_not_exist(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_RAW_DIR, str(tmp_path / "not-mounted"))
    for cursor in (None, '{"handled": {}, "seen": {}}'):
        result, new_cursor = evaluate_sensor(scenario.instance, cursor)
        assert isinstance(result, SkipReason)
        assert result.skip_message == f"no raw folder at {tmp_path / 'not-mounted'}: nothing to watch"
        assert new_cursor == cursor  # nothing recorded: files appearing later are seen as new


def test_sensor_run_supersedes_revised_quarters_and_marks_2025_partial(scenario: Scenario) -> None:
    assert scenario.outcome.success, f"{scenario.outcome.failed_step}: {scenario.outcome.error_message}"
    warehouse = scenario.paths.warehouse
    assert _query(warehouse, "select count(*) from raw.vintages") == [(ALL_VINTAGES,)]
    for path, flow in zip(scenario.last_publication, ("export", "import"), strict=True):
        expected = _query(
            warehouse,
            f"select dep, sum(valeur) from read_csv('{path}', delim=';', header=false, columns={FILE_COLUMNS}) "
            "where annee = 2024 and trimestre = 3 group by dep",
        )
        marts = _query(
            warehouse,
            "select territory_code, value_eur from marts.territory_quarterly_totals "
            f"where year = 2024 and quarter = 3 and flow = '{flow}' and level = 'departement'",
        )
        assert sorted(marts) == sorted(expected)
        france = _query(
            warehouse,
            "select value_eur from marts.territory_quarterly_totals "
            f"where year = 2024 and quarter = 3 and flow = '{flow}' and level = 'france'",
        )
        assert france == [(sum(v for _, v in expected),)]
    coverage = _query(
        warehouse,
        "select distinct year, flow, quarters_covered, is_complete_year from marts.territory_totals order by all",
    )
    assert coverage == [
        (year, flow, quarters, quarters == 4)
        for year, quarters in [*((y, 4) for y in ANNUAL_YEARS), (2025, 2)]
        for flow in ("export", "import")
    ]


def test_exports_say_which_quarters_a_year_covers(scenario: Scenario) -> None:
    exports = scenario.paths.exports_dir
    with (exports / "territory_totals.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2025"]
    assert rows and {(r["quarters_covered"], r["is_complete_year"]) for r in rows} == {("2", "false")}
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    full_years = {str(year): [1, 2, 3, 4] for year in ANNUAL_YEARS}
    assert manifest["periods_covered"]["export"] == {**full_years, "2025": [1, 2]}


def test_a_reader_keeps_its_snapshot_while_the_refresh_swaps_the_warehouse(scenario: Scenario) -> None:
    assert scenario.reader_before == scenario.reader_after  # same snapshot, undisturbed
    assert scenario.reader_before[2] == ANNUAL_VINTAGES
    rows, _total, vintages = _query(
        scenario.paths.warehouse,
        "select count(*), sum(valeur), (select count(*) from raw.vintages) from raw.customs_flows",
    )[0]
    assert vintages == ALL_VINTAGES and rows > scenario.reader_before[0]


def test_outcome_is_recorded_and_status_lists_coverage_and_revisions(scenario: Scenario) -> None:
    record = read_record(scenario.paths.warehouse)
    assert record is not None and record.success and record.trigger == "sensor" and record.job == "refresh"
    # Non-blocking checks may fail (e.g. a revision warning); the run succeeded, so none was blocking.
    assert record.checks_passed > 10 and record.checks_failed + record.checks_warned == len(record.failed_checks)

    # A daemon run is recorded by the run-status sensor from the instance's event log: same facts.
    run = scenario.instance.get_run_by_id(record.run_id)
    event = scenario.instance.all_logs(record.run_id, of_type=DagsterEventType.RUN_SUCCESS)[0].dagster_event
    context = build_run_status_sensor_context(
        sensor_name="record_refresh_success", dagster_event=event, dagster_instance=scenario.instance, dagster_run=run
    )
    record_refresh_success(context)
    daemon_record = read_record(scenario.paths.warehouse)
    assert isinstance(daemon_record, RefreshRecord)
    assert (daemon_record.outcome, daemon_record.run_id, daemon_record.checks_passed, daemon_record.checks_failed) == (
        "success",
        record.run_id,
        record.checks_passed,
        record.checks_failed,
    )

    result = subprocess.run(
        [COMEX, "status"],
        capture_output=True,
        text=True,
        env={**os.environ, **scenario.env, "COLUMNS": "220"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"export: {FIRST_YEAR}Q1–2025Q2 (2025 partial: Q1–Q2)" in out
    assert f"import: {FIRST_YEAR}Q1–2025Q2 (2025 partial: Q1–Q2)" in out
    assert "REGIONAL_CPF4PAYSE.txt" in out and "Regional-2023-export.zip" in out
    assert (
        "success" in out
        and f"{record.checks_passed} passed, {record.checks_warned} warned, {record.checks_failed} failed" in out
    )
    revised = "quarters revised: " + ", ".join(f"{f} 2024Q{q}" for f in ("export", "import") for q in (2, 3, 4))
    assert revised in out


def test_largest_revision_matches_the_files(scenario: Scenario) -> None:
    from orchestration.status import load_revisions

    with duckdb.connect(str(scenario.paths.warehouse), read_only=True) as con:
        revisions = load_revisions(con, top=3)
    assert sorted(revisions.new_files) == ["REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSI.txt"]
    top = revisions.largest[0]
    assert abs(top.change) >= abs(revisions.largest[1].change) > 0
    flux = "E" if top.flow == "export" else "I"
    annual = scenario.paths.raw_dir / f"Regional-{top.year}-{top.flow}.zip"
    last = scenario.paths.raw_dir / f"REGIONAL_CPF4PAYS{flux}.txt"
    sql = (
        "select sum(valeur) from raw.customs_flows join raw.vintages using (vintage_id) "
        f"where file_name = '{{}}' and annee = {top.year} and trimestre = {top.quarter} "
        f"and code_departement = '{top.departement}'"
    )
    assert _query(scenario.paths.warehouse, sql.format(annual.name)) == [(top.before,)]
    assert _query(scenario.paths.warehouse, sql.format(last.name)) == [(top.after,)]


def test_schedule_and_jobs_are_wired(scenario: Scenario) -> None:
    assert monthly_refresh.cron_schedule == os.environ.get("COMEX_REFRESH_CRON", "0 6 5 * *")
    request = monthly_refresh(build_schedule_context(instance=scenario.instance))
    assert isinstance(request, RunRequest)
    assert monthly_refresh.job_name == "fetch_and_refresh"
    scheduled = set(defs.resolve_job_def("fetch_and_refresh").graph.node_dict)
    cli = set(defs.resolve_job_def("refresh").graph.node_dict)
    assert scheduled - cli == {"fetched_files"}
    assert defs.resolve_job_def("refresh").tags["comex/writer"] == "warehouse"


def test_a_failed_refresh_is_recorded_and_shown_and_leaves_the_warehouse(scenario: Scenario) -> None:
    """Last in this module: it leaves a failure as the last refresh."""
    live = scenario.paths.warehouse
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    broken = scenario.paths.raw_dir / "Region_2025_Import.txt"
    broken.write_bytes(b"")
    try:
        outcome = run_refresh(scenario.paths)
    finally:
        broken.unlink()
    assert not outcome.success
    record = read_record(live)
    assert record is not None and record.outcome == "failure" and record.trigger == "cli"
    assert record.failed_step == "customs_files"
    assert record.error == "Region_2025_Import.txt: empty file: no customs rows (an interrupted download?)"
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    result = subprocess.run(
        [COMEX, "status"],
        capture_output=True,
        text=True,
        env={**os.environ, **scenario.env, "COLUMNS": "220"},
        timeout=120,
        check=False,
    )
    assert "failure at" in result.stdout
    assert "failed step: customs_files: Region_2025_Import.txt: empty file: no customs rows" in result.stdout.replace(
        "\n", ""
    )


def test_sensor_run_keeps_the_unchanged_reference_seeds(scenario: Scenario) -> None:
    """Seeds loaded by the first refresh are neither reloaded nor retested by the second, nor is the fact
    table rebuilt from scratch; the marts are rebuilt."""
    [run] = scenario.instance.get_runs(limit=1)
    materialized = {
        entry.dagster_event.asset_key.to_user_string()
        for entry in scenario.instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
        if entry.dagster_event is not None and entry.dagster_event.asset_key is not None
    }
    seeds = {path.stem for path in (REPO_ROOT / "seeds").rglob("*.csv")}
    assert "marts/fct_trade_flows" in materialized and "marts/territory_totals" in materialized
    assert not {key for key in materialized if key.rsplit("/", 1)[-1] in seeds}
    messages = [entry.user_message for entry in scenario.instance.all_logs(run.run_id)]
    assert not [m for m in messages if "full rebuild" in m]  # same dbt project: incremental models stay incremental
    with duckdb.connect(str(scenario.paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from reference.dgddi_cpf4").fetchone()[0] > 500


def test_a_refresh_of_new_data_tests_the_marts_through_the_check_views_it_keeps(scenario: Scenario) -> None:
    """The sensor's refresh (same dbt project, new quarters) rebuilds the marts and runs every check
    view's test on them, without making the check views again: at most ~40 dbt nodes. Dagster shows
    the check views materialized by the run (what they show is new), the exports downstream."""
    [run] = scenario.instance.get_runs(limit=1)
    logs = scenario.instance.all_logs(run.run_id)
    materialized = {
        entry.dagster_event.asset_key.to_user_string(): entry.dagster_event.event_specific_data.materialization
        for entry in logs
        if entry.dagster_event is not None and entry.dagster_event.event_type == DagsterEventType.ASSET_MATERIALIZATION
    }
    dbt_tests = {
        (data.asset_key.to_user_string(), data.check_name)
        for entry in logs
        if entry.dagster_event is not None
        and entry.dagster_event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
        and not (data := entry.dagster_event.event_specific_data).check_name.startswith("gx_")
    }
    kept = {key for key, event in materialized.items() if "view kept" in str(event.metadata.get("dbt", ""))}
    assert kept == {f"checks/{name}" for name in CHECK_MODELS}  # not made by dbt: shown fresh, over the new marts
    assert {asset for asset, _ in dbt_tests if asset.startswith("checks/")} == {f"checks/{n}" for n in CHECK_MODELS}
    dbt_models = {key for key in materialized if key.startswith("marts/")}
    assert len(dbt_models) + len(dbt_tests) <= 40, (sorted(dbt_models), sorted(dbt_tests))
    with duckdb.connect(str(scenario.paths.warehouse), read_only=True) as con:
        kinds = con.execute("select distinct table_type from information_schema.tables where table_schema = 'checks'")
        assert kinds.fetchall() == [("VIEW",)]
    # fct_trade_flows is a view: its grain test reads the new vintages only, not 6 years again
    [compiled] = dbt_target_dir(scenario.paths.warehouse).glob("run/**/fct_trade_flows_row_rules.sql")
    assert f"where vintage_id > {ANNUAL_VINTAGES})" in compiled.read_text(encoding="utf-8")


def test_incremental_fact_and_stacked_flows_equal_a_rebuild_from_the_raw_rows(scenario: Scenario) -> None:
    """After the incremental run: every (flow, year, quarter) of the fact table, and of France in the
    stacked fact, holds exactly the latest-published vintage's raw rows — recomputed here in plain SQL."""
    expected = """
        with current_periods as (
            select flux, annee, trimestre, arg_max(p.vintage_id, v.publication_order) as vintage_id
            from raw.vintage_periods as p join raw.vintages as v using (vintage_id)
            group by all
        )
        select case r.flux when 'E' then 'export' else 'import' end as flow, r.annee as year,
               r.trimestre as quarter, sum(r.valeur) as value_eur, sum(r.masse) as mass_kg
        from raw.customs_flows as r join current_periods using (vintage_id, flux, annee, trimestre)
        group by all order by all
    """
    fact = """
        select flow, year, quarter, sum(value_eur), sum(mass_kg) from marts.fct_trade_flows
        group by all order by all
    """
    stacked = """
        select flow, year, quarter, sum(value_eur), sum(mass_kg) from marts.fct_territory_flows
        where level = 'france' group by all order by all
    """
    rows = _query(scenario.paths.warehouse, expected)
    assert {(r[0], r[1]) for r in rows} >= {("export", 2025), ("import", 2024)}
    assert _query(scenario.paths.warehouse, fact) == rows
    assert _query(scenario.paths.warehouse, stacked) == rows


INCREMENTAL_MARTS = (
    "territory_quarterly_totals",
    "partner_ranking",
    "product_activity",
    "flow_links",
    "product_specialisation",
)


def test_incremental_marts_rebuild_only_the_changed_years_and_equal_a_full_rebuild(
    scenario: Scenario, tmp_path: Path
) -> None:
    """The last publication revised 2024Q2–Q4 and added 2025Q1–Q2: the stacked fact rebuilt those
    5 quarters only, the yearly marts 2024 and 2025 only (2019–2023 kept); every year of the marts carries its
    current signature; and a --full-refresh of the marts gives the same rows."""
    warehouse = scenario.paths.warehouse
    last_build = "select max(built_at) from marts.fct_territory_flows"
    for model in ("fct_territory_flows", "territory_quarterly_totals"):
        rebuilt = _query(
            warehouse, f"select distinct year, quarter from marts.{model} where built_at = ({last_build}) order by all"
        )
        assert rebuilt == [(2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)], model
    signatures = dict(_query(warehouse, "select year, source_vintages from intermediate.int_years__current_vintages"))
    for mart in INCREMENTAL_MARTS[1:]:
        rows = _query(warehouse, f"select distinct year, source_vintages from marts.{mart}")
        assert sorted(rows) == sorted(signatures.items()), mart

    copy = tmp_path / "comex.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    models = ("fct_trade_flows", "fct_territory_flows", *INCREMENTAL_MARTS)
    full_refresh = run_dbt(["run", "--full-refresh", "--select", *models], copy, tmp_path / "dbt")
    assert full_refresh.success, full_refresh.failures
    for mart in INCREMENTAL_MARTS:
        columns = "* exclude (built_at)" if mart == "territory_quarterly_totals" else "*"
        sql = f"select {columns} from marts.{mart} order by all"
        assert _query(warehouse, sql) == _query(copy, sql), mart
