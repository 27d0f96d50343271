"""A full disk is said as one line naming the path, whichever layer noticed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration import disk_space
from orchestration.disk_space import explain_disk_full


def test_duckdb_names_its_file_and_that_file_is_said(tmp_path: Path) -> None:
    message = f'Failed to commit: Could not write file "{tmp_path}/w.duckdb": No space left on device'
    line = explain_disk_full(message, [Path("/elsewhere")])
    assert line is not None and line.startswith(f"disk full: no space left on device writing {tmp_path}/w.duckdb (")


def test_an_os_error_without_a_path_names_the_fullest_folder_written_to(tmp_path: Path) -> None:
    line = explain_disk_full("dbt could not run: [Errno 28] No space left on device", [tmp_path / "not-yet"])
    assert line is not None and f"writing {tmp_path}/not-yet (" in line  # free space read on the existing parent


def test_other_failures_are_left_as_they_are() -> None:
    assert explain_disk_full("Binder Error: column x not found", [Path("/")]) is None


def test_an_unexplained_io_error_is_a_full_disk_only_where_a_folder_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert explain_disk_full("OperationalError: disk I/O error", [tmp_path]) is None  # room left here
    full = tmp_path / "full"
    monkeypatch.setattr(disk_space, "free_bytes", lambda path: 4096 if path == full else 10**12)
    line = explain_disk_full("OperationalError: disk I/O error", [tmp_path, full])
    assert line is not None and line.startswith(f"disk full: no space left on device writing {full} (4.0 KB free")


def test_a_failed_copy_names_its_target_on_the_full_disk_not_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """shutil's copies fail with both paths, the source first: the full disk is the target's."""
    source, target = Path("/data/sample/Regional-2024-export.zip"), tmp_path / "raw_archive" / "x.zip"
    monkeypatch.setattr(disk_space, "free_bytes", lambda path: 0 if path == target else 10**12)
    message = f"[Errno 28] No space left on device: '{source}' -> '{target}'"
    line = explain_disk_full(message, [tmp_path])
    assert line is not None and line.startswith(f"disk full: no space left on device writing {target} (0 B free")
