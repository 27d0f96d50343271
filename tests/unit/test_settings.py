"""Where a refresh reads and writes: flags win over COMEX_* variables, which win over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import DEFAULT_EXPORTS_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE, SAMPLE_DIR, Paths


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COMEX_RAW_DIR", "COMEX_WAREHOUSE", "COMEX_EXPORTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert Paths.resolve() == Paths(DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE, DEFAULT_EXPORTS_DIR)


def test_env_vars_then_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMEX_RAW_DIR", str(tmp_path / "env-raw"))
    monkeypatch.setenv("COMEX_WAREHOUSE", str(tmp_path / "env.duckdb"))
    monkeypatch.setenv("COMEX_EXPORTS_DIR", str(tmp_path / "env-exports"))
    assert Paths.resolve() == Paths(tmp_path / "env-raw", tmp_path / "env.duckdb", tmp_path / "env-exports")
    flagged = Paths.resolve(tmp_path / "flag-raw", None, tmp_path / "flag-exports")
    assert flagged == Paths(tmp_path / "flag-raw", tmp_path / "env.duckdb", tmp_path / "flag-exports")


def test_sample_reads_the_bundled_sample_whatever_the_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMEX_RAW_DIR", str(tmp_path / "env-raw"))
    assert Paths.resolve(sample=True).raw_dir == SAMPLE_DIR
    assert Paths.resolve(tmp_path / "explicit", sample=True).raw_dir == tmp_path / "explicit"
