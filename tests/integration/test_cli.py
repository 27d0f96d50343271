"""The `comex` CLI as a user runs it: the installed entry point, in a subprocess."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import warehouse
from orchestration.refresh_record import record_path
from orchestration.runner import RunOutcome
from orchestration.settings import REPO_ROOT, Paths

pytestmark = pytest.mark.integration

COMEX = str(Path(sys.executable).with_name("comex"))


def _comex(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMEX, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600, check=False
    )


def test_help_reads_well() -> None:
    result = _comex("--help")
    assert result.returncode == 0
    assert "refresh" in result.stdout
    refresh_help = _comex("refresh", "--help").stdout
    for option in ("--sample", "--raw-dir", "--warehouse", "--exports-dir", "COMEX_RAW_DIR", "--verbose"):
        assert option in refresh_help


def test_version_names_the_package_the_contract_and_the_engines() -> None:
    result = _comex("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("comex-territoires 0.1.0 (export contract 1.1.0; dbt-core 1.11.")
    assert "duckdb" in result.stdout and "dagster" in result.stdout


def test_fiche_territory_and_all_together_is_one_clear_error(tmp_path: Path) -> None:
    result = _comex("fiche", "--all", "--territory", "88", "--exports-dir", str(tmp_path / "exports"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: --territory 88 and --all exclude each other: give one of them"
    ]
    assert not (tmp_path / "exports").exists()


@pytest.mark.parametrize(
    ("variable", "value", "error"),
    [
        (
            "COMEX_DUCKDB_MEMORY_LIMIT",
            "garbage",
            "error: COMEX_DUCKDB_MEMORY_LIMIT='garbage' is not a memory size: give a number and a unit (1GB, 512MB)",
        ),
        ("COMEX_RAW_DIR", "README.md", "error: raw folder {value} is a file, not a folder: give the folder holding"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_before_anything_starts(
    variable: str, value: str, error: str, tmp_path: Path
) -> None:
    value = str(REPO_ROOT / value) if variable == "COMEX_RAW_DIR" else value
    env = {"COMEX_WAREHOUSE": str(tmp_path / "w" / "comex.duckdb"), "COMEX_EXPORTS_DIR": str(tmp_path / "e")}
    result = _comex("refresh", env={**env, variable: value})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(error.format(value=value))
    assert "Traceback" not in result.stderr and not (tmp_path / "w").exists()


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"COMEX_ENGINE": "sparkle"}, "error: COMEX_ENGINE='sparkle' is not an engine: give duckdb or spark"),
        (
            {"COMEX_ENGINE": "spark", "JAVA_HOME": "/nonexistent-java"},
            "error: the Spark engine needs a Java 17+ runtime: JAVA_HOME=/nonexistent-java has no bin/java "
            "(`make java` installs one)",
        ),
        (
            {"COMEX_ENGINE": "spark", "COMEX_SPARK_METHOD": "odbc"},
            "error: COMEX_SPARK_METHOD='odbc' is not a Spark method: give session or thrift",
        ),
    ],
)
def test_a_bad_engine_is_one_line_before_anything_starts(env: dict[str, str], error: str, tmp_path: Path) -> None:
    paths = {"COMEX_WAREHOUSE": str(tmp_path / "w" / "comex.duckdb"), "COMEX_EXPORTS_DIR": str(tmp_path / "e")}
    result = _comex("refresh", "--sample", env={**paths, **env})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [error]
    assert not (tmp_path / "w").exists() and not (tmp_path / "e").exists()
    none = str(tmp_path / "none")
    flag = _comex("refresh", "--sample", "--engine", "duckdb", "--raw-dir", none, env={**paths, **env})
    assert flag.stderr.strip().splitlines()[-1].startswith("error: raw folder not found")  # the flag wins over env


def test_an_insee_code_is_read_as_dgddi_and_said(sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path) -> None:
    exports = str(sample_refresh[0].exports_dir)
    result = _comex("fiche", "--territory", "2A", "--exports-dir", exports, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "note: INSEE département 2A is DGDDI département 20: DGDDI counts Corsica (2A and 2B) as 20" in result.stderr
    assert (tmp_path / "2024" / "departement-20.html").is_file()
    said = " ".join(result.stdout.split()) + " ".join(result.stderr.split())
    assert f"(index: {tmp_path / '2024' / 'index.html'})" in said  # the index the page links to, refreshed
    assert (tmp_path / "2024" / "index.html").is_file()
    region = _comex("fiche", "--level", "region", "--territory", "44", "--exports-dir", exports, "--out", str(tmp_path))
    assert region.returncode == 0 and "INSEE région 44 is DGDDI région 13" in region.stderr
    assert (tmp_path / "2024" / "region-13.html").is_file()


def test_a_typo_in_warehouse_does_not_republish_the_shared_exports(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    source = sample_refresh[0]
    exports = tmp_path / "exports"
    shutil.copytree(source.exports_dir, exports, ignore=shutil.ignore_patterns(".*"))
    before = {p.name: p.read_bytes() for p in exports.iterdir()}
    typo = tmp_path / "wherehouse" / "comex.duckdb"
    result = _comex(
        "refresh", "--raw-dir", str(source.raw_dir), "--warehouse", str(typo), "--exports-dir", str(exports)
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"error: {exports} holds the exports of another warehouse ({source.warehouse.resolve()}), not of {typo}: "
        "check --warehouse / COMEX_WAREHOUSE, or use --force to publish there anyway"
    )
    assert {p.name: p.read_bytes() for p in exports.iterdir()} == before and not typo.parent.exists()


def test_failure_is_one_clear_line_and_leaves_the_warehouse(
    sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path
) -> None:
    """A refreshed warehouse (a copy of the sample's) and its drop zone; a new, empty file comes in."""
    source = sample_refresh[0]
    raw = tmp_path / "raw"
    shutil.copytree(source.raw_dir, raw)
    live = tmp_path / "w" / "comex.duckdb"
    live.parent.mkdir()
    shutil.copyfile(source.warehouse, live)
    env = {"COMEX_RAW_DIR": str(raw), "COMEX_WAREHOUSE": str(live), "COMEX_EXPORTS_DIR": str(tmp_path / "exports")}
    before = hashlib.sha256(live.read_bytes()).hexdigest()

    (raw / "extract-2024-bis.txt").write_bytes(b"")
    failed = _comex("refresh", env=env)
    assert failed.returncode == 1
    error_lines = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert error_lines == [
        "error: refresh failed (step customs_files): extract-2024-bis.txt: empty file: no customs rows "
        "(an interrupted download?)"
    ]
    assert "Traceback" not in failed.stderr
    assert "Dependencies for step" not in failed.stdout + failed.stderr  # Dagster's skipped steps: not shown
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert not warehouse.working_copy_path(live).exists()

    verbose = _comex("refresh", "--verbose", env=env)
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr or "Stack Trace" in verbose.stderr


def test_a_drop_zone_without_data_stops_at_once_with_one_line(tmp_path: Path) -> None:
    """DGDDI's LISEZ-MOI.txt alone (or nothing) is not data: said at once, nothing built."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "LISEZ-MOI.txt").write_text("Fichiers REGIONAL_CPF4PAYSE.txt et REGIONAL_CPF4PAYSI.txt\n", encoding="cp1252")
    live = tmp_path / "w" / "comex.duckdb"
    env = {"COMEX_RAW_DIR": str(raw), "COMEX_WAREHOUSE": str(live), "COMEX_EXPORTS_DIR": str(tmp_path / "exports")}

    result = _comex("refresh", env=env)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no DGDDI data file in {raw}: drop the annual zips (Regional-YYYY-export.zip, "
        "Regional-YYYY-import.zip) or the last publication (REGIONAL_CPF4PAYSE/I) there, or run `comex fetch`"
    ]
    assert not live.exists() and not (tmp_path / "exports").exists()


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    live = tmp_path / "w" / "comex.duckdb"
    env = {"COMEX_WAREHOUSE": str(live), "COMEX_EXPORTS_DIR": str(tmp_path / "exports")}
    with warehouse.writer_lock(live):
        result = _comex("refresh", "--sample", env=env)
    assert result.returncode == 1
    # refused before the run starts (no Dagster, no dbt imported): the error is the only line
    [line] = result.stderr.strip().splitlines()
    assert re.fullmatch(
        rf"error: {re.escape(str(live))}: another refresh is writing it \(pid {os.getpid()}, refresh started "
        r"[0-9T:+-]+\); try again when it has finished",
        line,
    ), line
    assert not live.exists()


def test_a_dbt_failure_is_its_whole_sentence(sample_refresh: tuple[Paths, RunOutcome], tmp_path: Path) -> None:
    """A mart altered by hand: dbt's incremental run refuses it, and the operator reads dbt's whole reason."""
    source = sample_refresh[0]
    live = tmp_path / "w" / "comex.duckdb"
    live.parent.mkdir()
    shutil.copyfile(source.warehouse, live)
    shutil.copyfile(record_path(source.warehouse), record_path(live))  # built by this project: incremental
    with duckdb.connect(str(live)) as con:
        con.execute("alter table marts.territory_quarterly_totals rename column growth_yoy to growth_yoy_old")
    before = hashlib.sha256(live.read_bytes()).hexdigest()

    failed = _comex("refresh", "--sample", "--force", "--warehouse", str(live), "--exports-dir", str(tmp_path / "e"))

    assert failed.returncode == 1
    [line] = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(
        "error: refresh failed (step comex_dbt_assets): territory_quarterly_totals: Compilation Error in model "
        "territory_quarterly_totals (models/marts/territory_quarterly_totals.sql) The source and target schemas "
        "on this incremental model are out of sync!"
    ), line
    assert "Target columns not in source: [DuckDBColumn(column='growth_yoy_old'" in line
    assert "The dbt CLI process" not in failed.stdout + failed.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before


def _small_disk(mount_point: Path, size: str) -> list[str]:
    """A command prefix running the rest in a private mount namespace where `mount_point` is a
    tmpfs of `size` (an unprivileged user namespace: no root needed); skips where the kernel refuses."""
    mount_point.mkdir()
    prefix = ["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size="$0" tmpfs "$1" && shift && exec "$@"']
    probe = subprocess.run([*prefix, size, str(mount_point), "true"], capture_output=True, text=True, check=False)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip(f"no private tmpfs here (unshare -rm + mount): {probe.stderr.strip()}")
    return [*prefix, size, str(mount_point)]


def test_a_full_disk_is_one_line_naming_the_path(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    small = _small_disk(disk, "8m")
    args = ["refresh", "--sample", "--warehouse", str(disk / "comex.duckdb"), "--exports-dir", str(disk / "exports")]

    failed = subprocess.run([*small, COMEX, *args], capture_output=True, text=True, timeout=600, check=False)

    assert failed.returncode == 1
    [line] = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert re.fullmatch(
        rf"error: refresh failed( \(step \w+\))?: disk full: no space left on device writing "
        rf"{re.escape(str(disk))}\S* \([0-9.,]+ [KM]?B free there\); "
        r"free some space on that disk, or point --warehouse / --exports-dir at a larger one, and run again",
        line,
    ), line
    assert "TransactionContext" not in failed.stdout + failed.stderr
