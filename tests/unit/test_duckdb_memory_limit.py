"""Every warehouse connection, and dbt's, runs under the project's DuckDB memory limit."""

from pathlib import Path

import pytest
import yaml

from orchestration import warehouse
from orchestration.settings import REPO_ROOT


def _limit(database: Path, *, read_only: bool = False) -> str:
    with warehouse.connect(database, read_only=read_only) as con:
        return con.execute("select current_setting('memory_limit')").fetchone()[0]


def test_default_limit_applies_to_writer_and_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(warehouse.MEMORY_LIMIT_ENV, raising=False)
    database = tmp_path / "w.duckdb"
    assert _limit(database).startswith("953.6 MiB")  # 1GB, as DuckDB prints it
    assert _limit(database, read_only=True).startswith("953.6 MiB")
    with warehouse.connect_read_only(database) as con:
        assert con.execute("select current_setting('memory_limit')").fetchone()[0].startswith("953.6 MiB")


def test_environment_overrides_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warehouse.MEMORY_LIMIT_ENV, "3GB")
    assert _limit(tmp_path / "w.duckdb").startswith("2.7 GiB")


def test_dbt_profile_reads_the_same_variable_with_the_same_default() -> None:
    profile = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text(encoding="utf-8"))
    settings = profile["comex_territoires"]["outputs"]["duckdb"]["settings"]
    assert settings["memory_limit"] == (
        f"{{{{ env_var('{warehouse.MEMORY_LIMIT_ENV}', '{warehouse.DEFAULT_MEMORY_LIMIT}') }}}}"
    )
