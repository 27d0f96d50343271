"""When a refresh may build the incremental models incrementally: the last record's dbt fingerprint."""

from pathlib import Path

from orchestration.refresh_record import (
    RefreshRecord,
    build_part,
    built_by_current_project,
    dbt_fingerprint,
    write_record,
)


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


def test_a_change_to_the_exports_code_alone_rebuilds_no_mart(tmp_path: Path) -> None:
    warehouse = tmp_path / "comex.duckdb"
    build, plus, exports = dbt_fingerprint().partition("+")
    assert plus and len(build) == len(exports) == 64
    other = "0" * 64
    write_record(warehouse, _record("success", f"{build}+{other}"))
    assert built_by_current_project(warehouse)  # only the exports code changed: re-exported, not rebuilt
    write_record(warehouse, _record("success", f"{other}+{exports}"))
    assert not built_by_current_project(warehouse)
    write_record(warehouse, _record("success", build))  # recorded before the exports code had its own part
    assert not built_by_current_project(warehouse)
    assert build_part(f"{build}+{other}") == build and build_part(build) is None and build_part(None) is None
