"""When a refresh may build the incremental models incrementally: the last record's dbt fingerprint."""

from pathlib import Path

from orchestration.refresh_record import RefreshRecord, built_by_current_project, dbt_fingerprint, write_record


def _record(outcome: str, fingerprint: str | None) -> RefreshRecord:
    return RefreshRecord(
        outcome=outcome,
        job="refresh",
        trigger="cli",
        started_at="2026-11-01T06:00:00Z",
        finished_at="2026-11-01T06:01:00Z",
        duration_seconds=60.0,
        dbt_fingerprint=fingerprint,
    )


def test_incremental_only_after_a_successful_build_by_the_same_project(tmp_path: Path) -> None:
    warehouse = tmp_path / "comex.duckdb"
    assert not built_by_current_project(warehouse)  # no record: first refresh
    write_record(warehouse, _record("success", dbt_fingerprint()))
    assert built_by_current_project(warehouse)
    write_record(warehouse, _record("success", "another project"))
    assert not built_by_current_project(warehouse)  # models, seeds or macros changed since
    write_record(warehouse, _record("failure", None))
    assert not built_by_current_project(warehouse)
