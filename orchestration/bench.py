"""`make bench`: timings and peak memory on full-scale generated data (DESIGN.md §6).

Each measured step runs in its own subprocess (fresh interpreter, fresh DuckDB file) so its
peak RSS is its own; each is repeated and the median reported beside a baseline measured in
the same run: a plain DuckDB `read_csv` scan of the same raw text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import REPO_ROOT

BENCH_DIR = REPO_ROOT / "data" / "bench"
MiB = 1024 * 1024


@dataclass(frozen=True)
class Measure:
    """Median wall time and peak RSS of repeated runs of one step."""

    name: str
    seconds: list[float]
    peak_rss_mib: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command; its wall time, its own peak RSS (MiB) and its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench step failed: {' '.join(args)}\n{text[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, text


def _measure(name: str, args: list[str], repeat: int, env: dict[str, str] | None = None, setup=None) -> Measure:  # noqa: ANN001
    seconds, peak = [], 0.0
    for _ in range(repeat):
        if setup:
            setup()
        elapsed, rss, _ = _run_child(args, env)
        seconds.append(elapsed)
        peak = max(peak, rss)
    return Measure(name, seconds, peak)


def prepare_data(year: int, scale: int) -> Path:
    """Generate (once) the full-scale annual zips of `year`, and their extracted text."""
    raw = BENCH_DIR / f"raw-{year}-{scale}"
    if not (raw / ".complete").exists():
        shutil.rmtree(raw, ignore_errors=True)
        raw.mkdir(parents=True)
        from orchestration.sample import write_annual_zips

        print(f"generating {scale:,} rows for {year} into {raw} …", flush=True)
        write_annual_zips(raw, [year], scale=scale)
        text_dir = BENCH_DIR / f"text-{year}-{scale}"
        shutil.rmtree(text_dir, ignore_errors=True)
        text_dir.mkdir(parents=True)
        for archive in raw.glob("*.zip"):
            with zipfile.ZipFile(archive) as zf:
                member = next(m for m in zf.infolist() if m.filename.endswith(".txt"))
                (text_dir / Path(member.filename).name).write_bytes(zf.read(member))
        (raw / ".complete").touch()
    return raw


_SCAN = """
import duckdb, sys, glob
con = duckdb.connect()
files = sorted(glob.glob(sys.argv[1] + '/*.txt'))
con.execute('''create table t as select * from read_csv(?, delim=';', header=false, auto_detect=false,
  columns={'flux':'varchar','trimestre':'integer','annee':'integer','dep':'varchar','reg':'varchar',
  'a129':'varchar','cpf4':'varchar','pays':'varchar','valeur':'bigint','masse':'bigint'})''', [files])
print(con.execute('select count(*) from t').fetchone()[0])
"""

_INGEST = """
import duckdb, sys
from pathlib import Path
from orchestration.ingestion.loader import ingest_drop_zone
db = Path(sys.argv[2])
with duckdb.connect(str(db)) as con:
    report = ingest_drop_zone(con, Path(sys.argv[1]), db.parent / 'archive')
print(report.rows)
"""


def _fresh(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)


def bench_ingestion(raw: Path, repeat: int) -> dict:
    text_dir = raw.with_name(raw.name.replace("raw-", "text-"))
    work = BENCH_DIR / "work-ingest"
    python = sys.executable
    scan = _measure("duckdb read_csv scan (baseline)", [python, "-c", _SCAN, str(text_dir)], repeat)
    ingest = _measure(
        "ingestion (unzip, detect encoding, validate, load)",
        [python, "-c", _INGEST, str(raw), str(work / "w.duckdb")],
        repeat,
        setup=lambda: _fresh(work),
    )
    rows = int(_run_child([python, "-c", _SCAN, str(text_dir)])[2].strip().splitlines()[-1])
    return {"rows": rows, "baseline": scan, "ingestion": ingest}


def bench_dbt(raw: Path, repeat: int) -> dict:
    """dbt build on a warehouse holding the ingested full-scale year (working copy restored each time)."""
    work = BENCH_DIR / "work-dbt"
    _fresh(work)
    python = sys.executable
    pristine = work / "ingested.duckdb"
    _run_child([python, "-c", _INGEST, str(raw), str(pristine)])
    db = work / "w.duckdb"
    dbt = str(Path(python).with_name("dbt"))
    args = [dbt, "build", "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT), "--quiet",
            "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
    # one untimed run: dbt's partial parse cache is warm, as in every refresh after the first
    shutil.copyfile(pristine, db)
    _run_child(args, {"COMEX_DBT_DATABASE": str(db)})
    build = _measure("dbt build", args, repeat, {"COMEX_DBT_DATABASE": str(db)},
                     setup=lambda: shutil.copyfile(pristine, db))  # fmt: skip
    return {"dbt_build": build}


def bench_refresh(raw: Path, repeat: int) -> dict:
    """`comex refresh` end to end on a fresh warehouse (CLI start-up included)."""
    work = BENCH_DIR / "work-refresh"
    comex = str(Path(sys.executable).with_name("comex"))
    env = {"COMEX_WAREHOUSE": str(work / "w" / "comex.duckdb"), "COMEX_EXPORTS_DIR": str(work / "exports")}
    args = [comex, "refresh", "--raw-dir", str(raw)]
    full = _measure("comex refresh, new year", args, repeat, env, setup=lambda: _fresh(work))
    noop = _measure("comex refresh, nothing new", args, repeat, env)
    return {"refresh": full, "refresh_noop": noop}


def bench_fiches(raw: Path, repeat: int, year: int) -> dict:
    """`comex fiche --all`: every département, région and France of a year, plus the index (CLI start-up included)."""
    refreshed = BENCH_DIR / "work-refresh"
    exports = refreshed / "exports"
    comex = str(Path(sys.executable).with_name("comex"))
    if not (exports / "manifest.json").is_file():  # untimed: the exports the fiches are built from
        _fresh(refreshed)
        env = {"COMEX_WAREHOUSE": str(refreshed / "w" / "comex.duckdb"), "COMEX_EXPORTS_DIR": str(exports)}
        _run_child([comex, "refresh", "--raw-dir", str(raw)], env)
    out = BENCH_DIR / "work-fiches"
    args = [comex, "fiche", "--all", "--year", str(year), "--exports-dir", str(exports), "--out", str(out)]
    return {"fiches": _measure("comex fiche --all (every territory + index)", args, repeat, setup=lambda: _fresh(out))}


_QUALITY = """
import json, sys, time
from pathlib import Path
import duckdb
started = time.perf_counter()
from orchestration.quality import context as qc
qc.gx_module()
timings = {"gx_import": time.perf_counter() - started}
from orchestration.quality import exports_suite, marts_suite, raw_suite, revisions
from orchestration.quality.settings import QualitySettings
warehouse, exports, root = (Path(a) for a in sys.argv[1:4])
started = time.perf_counter()
ctx = qc.quality_context(root, "bench")
settings = QualitySettings.from_env()
timings["gx_context"] = time.perf_counter() - started
stages = {
    "raw": lambda con: [raw_suite.schema_suite(con), raw_suite.periods_suite(con, 0), raw_suite.coverage_suite(con),
                        raw_suite.codes_suite(con, 0), raw_suite.rejected_suite(con, 0, settings),
                        revisions.revisions_suite(con, 0, settings)],
    "marts": lambda con: [build(con, settings) for build in marts_suite.MART_SUITES.values()],
    "exports": lambda con: [exports_suite.columns_suite(con, exports), exports_suite.files_suite(con, exports)],
}
for stage, build in stages.items():
    started = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        specs = build(con)
    timings[f"{stage}_frames"] = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = [ctx.validate(spec) for spec in specs]
    timings[f"{stage}_validate"] = time.perf_counter() - started
    started = time.perf_counter()
    ctx.publish_docs()
    timings[f"{stage}_docs"] = time.perf_counter() - started
    assert all(o.success for o in outcomes), [f.as_dict() for o in outcomes for f in o.failures]
print(json.dumps(timings))
"""


def bench_quality(raw: Path, repeat: int) -> dict:
    """The GX checks alone (DuckDB frames, validation, Data Docs) on the full-scale refreshed warehouse.

    All vintages count as new (the refresh of a new year). GX's import is timed apart: it is paid
    once per process (`comex refresh` runs one).
    """
    refreshed = BENCH_DIR / "work-refresh"
    warehouse, exports = refreshed / "w" / "comex.duckdb", refreshed / "exports"
    if not (exports / "manifest.json").is_file():  # untimed: the warehouse and exports to check
        _fresh(refreshed)
        env = {"COMEX_WAREHOUSE": str(warehouse), "COMEX_EXPORTS_DIR": str(exports)}
        _run_child([str(Path(sys.executable).with_name("comex")), "refresh", "--raw-dir", str(raw)], env)
    root = BENCH_DIR / "work-quality"
    _fresh(root)
    runs, peak = [], 0.0
    for _ in range(repeat):
        elapsed, rss, out = _run_child([sys.executable, "-c", _QUALITY, str(warehouse), str(exports), str(root)])
        timings = json.loads(out.strip().splitlines()[-1])
        timings["wall"] = elapsed
        runs.append(timings)
        peak = max(peak, rss)

    def measure(name: str, keys: list[str]) -> Measure:
        return Measure(name, [sum(r[k] for k in keys) for r in runs], peak)

    stages = ("raw", "marts", "exports")
    return {
        "quality_import": measure("import great_expectations (once per process)", ["gx_import"]),
        "quality_frames": measure("quality: DuckDB frames (3 stages)", [f"{s}_frames" for s in stages]),
        "quality_validate": measure("quality: GX validation (14 suites)", [f"{s}_validate" for s in stages]),
        "quality_docs": measure("quality: Data Docs rendering", [f"{s}_docs" for s in stages]),
        "quality_checks": measure(
            "quality checks, import excluded",
            ["gx_context", *(f"{s}_{p}" for s in stages for p in ("frames", "validate", "docs"))],
        ),
    }


def _line(measure: Measure, baseline: Measure | None = None, rows: int | None = None) -> str:
    runs = ", ".join(f"{s:.2f}" for s in measure.seconds)
    text = (
        f"{measure.name:<52} median {measure.median:7.2f} s  (runs: {runs})  peak RSS {measure.peak_rss_mib:6.0f} MiB"
    )
    if rows:
        text += f"  {rows / measure.median:,.0f} rows/s"
    if baseline:
        text += f"  = {measure.median / baseline.median:.2f}× baseline"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--scale", type=int, default=4_000_000, help="rows per year, both flows")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["ingestion", "dbt", "refresh", "fiches", "quality"], action="append")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    only = set(args.only or ["ingestion", "dbt", "refresh", "fiches", "quality"])

    raw = prepare_data(args.year, args.scale)
    print(f"data: {raw} ({sum(p.stat().st_size for p in raw.glob('*.zip')) / MiB:.0f} MiB zipped); "
          f"{os.cpu_count()} CPUs; medians of {args.repeat} runs\n")  # fmt: skip
    results: dict[str, Measure | int] = {}
    if "ingestion" in only:
        ingestion = bench_ingestion(raw, args.repeat)
        results.update(ingestion)
        print(_line(ingestion["baseline"], rows=ingestion["rows"]))
        print(_line(ingestion["ingestion"], ingestion["baseline"], ingestion["rows"]))
        print("  budget: ingestion ≤ 3× the scan; peak RSS ≤ 2048 MiB\n")
    baseline = results.get("baseline")
    if "dbt" in only:
        dbt = bench_dbt(raw, args.repeat)
        results.update(dbt)
        print(_line(dbt["dbt_build"], baseline if isinstance(baseline, Measure) else None))
        print("  (dbt build: seeds, staging views, intermediate and marts tables, every data and unit test)\n")
    if "refresh" in only:
        refresh = bench_refresh(raw, args.repeat)
        results.update(refresh)
        print(_line(refresh["refresh"], baseline if isinstance(baseline, Measure) else None))
        print(_line(refresh["refresh_noop"]))
        print("  budget: full refresh of one full-scale year ≤ 20 s; peak RSS ≤ 2048 MiB")
    if "fiches" in only:
        fiches = bench_fiches(raw, args.repeat, args.year)
        results.update(fiches)
        print(_line(fiches["fiches"]))
        print("  budget: every fiche of one year (≈120 pages) ≤ 30 s")
    if "quality" in only:
        quality = bench_quality(raw, args.repeat)
        results.update(quality)
        for key in ("quality_import", "quality_frames", "quality_validate", "quality_docs", "quality_checks"):
            print(_line(quality[key]))
        refresh_measure = results.get("refresh")
        if isinstance(refresh_measure, Measure):
            share = quality["quality_checks"].median / refresh_measure.median
            print(f"  checks = {share:.0%} of the refresh median (GX import excluded)")
        print("  budget: all checks on one full-scale year ≤ 25 % of the refresh time")
    if args.json:
        payload = {k: (v.__dict__ | {"median": v.median}) if isinstance(v, Measure) else v for k, v in results.items()}
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
