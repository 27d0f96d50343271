"""A refresh's settings and raw folder are checked before anything starts, each problem one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.errors import ComexError, WarehouseBusyError
from orchestration.preflight import check_memory_limit, check_raw_dir, check_refresh_inputs
from orchestration.settings import Paths
from orchestration.warehouse import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV, writer_lock


@pytest.mark.parametrize("value", ["1GB", "512MB", "1.5GiB", "2 gb", "800KiB"])
def test_memory_sizes_duckdb_reads_are_accepted(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, value)
    assert check_memory_limit() == value


def test_no_memory_limit_set_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    assert check_memory_limit() == DEFAULT_MEMORY_LIMIT


@pytest.mark.parametrize("value", ["garbage", "1", "GB", "-1GB", "1 GB extra"])
def test_a_memory_limit_that_is_not_a_size_names_the_variable(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, value)
    with pytest.raises(ComexError, match=rf"^COMEX_DUCKDB_MEMORY_LIMIT={value!r} is not a memory size"):
        check_memory_limit()


def test_a_raw_folder_that_is_missing_or_a_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ComexError, match=r"^raw folder not found: .*missing \(drop DGDDI files there"):
        check_raw_dir(tmp_path / "missing")
    (tmp_path / "a-file.zip").write_bytes(b"")
    with pytest.raises(ComexError, match=r"a-file\.zip is a file, not a folder"):
        check_raw_dir(tmp_path / "a-file.zip")
    check_raw_dir(tmp_path)  # a folder: fine


def test_every_gate_variable_is_checked_before_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(raw_dir=tmp_path, warehouse=tmp_path / "w" / "comex.duckdb", exports_dir=tmp_path / "exports")
    monkeypatch.setenv("COMEX_MAX_NATIONAL_REVISION", "plenty")
    with pytest.raises(ComexError, match=r"^COMEX_MAX_NATIONAL_REVISION='plenty' is not a fraction"):
        check_refresh_inputs(paths)
    assert not paths.warehouse.parent.exists()


def test_exports_of_another_warehouse_are_not_replaced_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in --warehouse creates a fresh, empty warehouse: its refresh must not republish the
    shared exports with whatever the raw folder holds (years would disappear)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    shared = tmp_path / "shared" / "comex.duckdb"
    (exports / "manifest.json").write_text(json.dumps({"warehouse": str(shared)}), encoding="utf-8")
    typo = Paths(raw_dir=tmp_path, warehouse=tmp_path / "sahred" / "comex.duckdb", exports_dir=exports)
    with pytest.raises(ComexError, match=r"holds the exports of another warehouse \(.*shared/comex\.duckdb\)"):
        check_refresh_inputs(typo)
    check_refresh_inputs(typo, force=True)
    check_refresh_inputs(Paths(raw_dir=tmp_path, warehouse=shared, exports_dir=exports))  # its own: fine
    check_refresh_inputs(Paths(raw_dir=tmp_path, warehouse=shared, exports_dir=tmp_path / "new"))  # none yet


def test_a_warehouse_another_refresh_is_writing_is_refused_at_once(tmp_path: Path) -> None:
    paths = Paths(raw_dir=tmp_path, warehouse=tmp_path / "w" / "comex.duckdb", exports_dir=tmp_path / "exports")
    check_refresh_inputs(paths)  # no lock file yet: nothing created
    assert not paths.warehouse.parent.exists()
    busy = pytest.raises(WarehouseBusyError, match=r"another refresh is writing it \(pid \d+, refresh started ")
    with writer_lock(paths.warehouse), busy:
        check_refresh_inputs(paths)
    check_refresh_inputs(paths)  # released: fine again
