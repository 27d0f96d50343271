"""`make bench`: timings and peak memory on full-scale generated data, against the budgets of docs/architecture.md.

Each measured step runs in its own subprocess (fresh interpreter, fresh DuckDB file), repeated;
its median is reported beside baselines measured in the same run: a plain DuckDB `read_csv` scan
of the same raw text, and a plain pandas implementation of the marts' tables (bench_pandas.py).

`--against REV` measures the same scenarios again with the code of REV (a git worktree of it under
data/bench/, its dbt project prepared, the same generated data, this checkout's bench as the
harness) right after this checkout's, and prints both medians side by side: the before and
after of a change, from one run. Between runs the bench waits, untimed, for the Dagster-history
import each refresh leaves running in the background.

Two peak memories per step: "largest process" is the kernel's peak RSS of the biggest single
process of the step (getrusage of the child and the descendants it waited for); "process tree"
is the peak of the SUM of the RSS of the child and all its descendants at one time (a refresh's
main process and its GX worker), sampled every 50 ms with psutil. Pages
shared between processes count once per process (an overestimate), while a peak shorter than
the sampling interval can be missed (a one-process step may read a little below getrusage).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from orchestration.dagster_home import wait_for_background_imports
from orchestration.settings import REPO_ROOT, SAMPLE_DIR

BENCH_DIR = REPO_ROOT / "data" / "bench"
MiB = 1024 * 1024
BUDGET_SCALE = 4_000_000  # rows a year, both flows: orchestration.sample.FULL_SCALE, what the budgets call full scale
BUDGET_YEARS = 10
BUDGET_CPUS = 2
RSS_BUDGET_MIB = 2048
SAMPLE_EVERY = 0.05  # seconds between two samples of the process tree's RSS
FIXED_COST_EVERY = 200  # the fixed-cost baseline refreshes one line in 200 of the sample (~1,500 rows)
MONTHLY_REVISION = 0.03  # earlier quarters of a last publication move by ±1.5–3 % (a seeded 20 % of their rows)
SCENARIOS = (
    "ingestion", "dbt", "refresh", "sample", "fiches", "fiche-tables", "quality", "decade", "monthly", "spark",
)  # fmt: skip


@dataclass(frozen=True)
class Measure:
    """Median wall time and peak memory of repeated runs of one step."""

    name: str
    seconds: list[float]
    peak_rss_mib: float  # largest single process of the step (getrusage)
    tree_peak_rss_mib: float | None = None  # peak of the summed RSS of the step's process tree (sampled)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Run:
    """One run of a child process."""

    seconds: float
    peak_rss_mib: float
    tree_peak_rss_mib: float
    output: str


@dataclass(frozen=True)
class Budget:
    """One budget of docs/architecture.md, checked against what this run measured."""

    what: str
    value: float
    limit: float
    unit: str
    caveat: str | None = None  # why this run is not the budgeted configuration: the verdict is indicative only

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    def line(self) -> str:
        value = f"{self.value:,.0f}" if abs(self.value) >= 100 else f"{self.value:.2f}"
        verdict = "met" if self.met else "missed"
        unit = self.unit if self.unit in ("×", "%") else f" {self.unit}"
        text = f"  budget: {self.what} ≤ {self.limit:g}{unit}: {value}{unit} → {verdict}"
        return text + (f" (indicative only: {self.caveat})" if self.caveat else "")

    def as_dict(self) -> dict:
        return asdict(self) | {"met": self.met}


def budget_caveat(scale: int, years: int | None = None, cpus: int | None = None) -> str | None:
    """Why a run does not measure the configuration a budget is set for, or None when it does."""
    reasons = []
    if scale != BUDGET_SCALE:
        reasons.append(f"{scale:,} rows a year, not {BUDGET_SCALE:,}")
    if years is not None and years != BUDGET_YEARS:
        reasons.append(f"{years} years, not {BUDGET_YEARS}")
    if cpus is not None and cpus != BUDGET_CPUS:
        reasons.append(f"{cpus} CPUs, not {BUDGET_CPUS}")
    return "; ".join(reasons) or None


def bench_years(year: int, count: int) -> list[int]:
    """The `count` consecutive years ending at `year`, oldest first."""
    if count < 1:
        raise ValueError(f"--years must be at least 1, got {count}")
    return list(range(year - count + 1, year + 1))


def last_publication_quarter(year: int) -> tuple[int, int]:
    """Last quarter of the monthly scenario's "dernière publication": Q1 of the next year.

    Its 5 quarters are the 4 of `year` (already loaded from the annual files, revised) and that one.
    """
    return year + 1, 1


def tree_rss(root: psutil.Process) -> int:
    """Bytes resident now in a process and all its descendants (one that ends meanwhile counts 0)."""
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


class _TreeSampler(threading.Thread):
    """Peak of `tree_rss` of a child while it runs, sampled every SAMPLE_EVERY seconds."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self._done = threading.Event()
        try:
            self._root: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self._root = None

    def run(self) -> None:
        while self._root is not None:
            self.peak = max(self.peak, tree_rss(self._root))
            if self._done.wait(SAMPLE_EVERY):
                return

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak / MiB


def _child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """Children import this checkout's code, whatever checkout the venv's editable install points at."""
    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **(env or {})}


def cpu_probe_ms(repeat: int = 5) -> float:
    """Median milliseconds of a fixed pure-Python loop, in this process: the machine's speed now.

    The reference machine's speed moves by 25 % within an hour (the same code measured 15.9 s
    and 19.9 s): printed at the start and the end of a run, it tells a slower machine from
    slower code when runs of different days or hours are compared."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        sum(range(10_000_000))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


DISK_PROBE_MIB = 256


def disk_probe_mib_s(folder: Path, size_mib: int = DISK_PROBE_MIB) -> float:
    """MiB per second of writing `size_mib` MiB of random bytes to a file in `folder` and syncing
    it to disk: the disk's speed now. The file is removed.

    The reference machine's disk moves by more than tenfold within an hour (1 GB written and
    synced: 8.1 s, then 0.75 s, on 2026-12-03): a refresh that writes or copies a large
    warehouse is as slow as the disk is then, so each run says how fast it was."""
    chunk = os.urandom(MiB)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix="disk-probe-") as probe:
        os.sync()  # others' pending writes are not this probe's
        started = time.perf_counter()
        for _ in range(size_mib):
            probe.write(chunk)
        probe.flush()
        os.fsync(probe.fileno())
        return size_mib / (time.perf_counter() - started)


def machine_speed(folder: Path) -> dict[str, float]:
    """The CPU probe (ms) and the disk probe (MiB/s), as the bench records them at its start and end."""
    return {"cpu_ms": cpu_probe_ms(), "disk_mib_s": disk_probe_mib_s(folder)}


def _run_child(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command from the repository root; its wall time, peak memories and output."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=_child_env(env), cwd=REPO_ROOT)
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        tree_peak = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench step failed: {' '.join(args)}\n{text[-3000:]}")
    wait_for_background_imports()  # untimed: it would take CPU from the next run, and write where it deletes
    return Run(elapsed, usage.ru_maxrss / 1024, tree_peak, text)


def _measure(
    name: str,
    args: list[str],
    repeat: int,
    env: dict[str, str] | None = None,
    setup=None,  # noqa: ANN001
    outputs: list[str] | None = None,
) -> Measure:
    """`repeat` timed runs of a child (each after `setup`); their printed output appended to `outputs`."""
    seconds, peak, tree_peak = [], 0.0, 0.0
    for _ in range(repeat):
        if setup:
            setup()
        run = _run_child(args, env)
        seconds.append(run.seconds)
        peak, tree_peak = max(peak, run.peak_rss_mib), max(tree_peak, run.tree_peak_rss_mib)
        if outputs is not None:
            outputs.append(run.output)
    return Measure(name, seconds, peak, tree_peak)


def _fresh(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _year_zips(year: int, scale: int) -> Path:
    """Generate (once, cached under data/bench/) the annual zips of `year` with `scale` rows."""
    raw = BENCH_DIR / f"raw-{year}-{scale}"
    if not (raw / ".complete").exists():
        _fresh(raw)
        from orchestration.sample import write_annual_zips

        print(f"generating {scale:,} rows for {year} into {raw} …", flush=True)
        write_annual_zips(raw, [year], scale=scale)
        (raw / ".complete").touch()
    return raw


def _text_dir(raw: Path) -> Path:
    """The text files of the zips of `raw` (what the baselines read), extracted once."""
    text_dir = raw.with_name(raw.name.replace("raw-", "text-", 1))
    if not (text_dir / ".complete").exists():
        _fresh(text_dir)
        for archive in sorted(raw.glob("*.zip")):
            with zipfile.ZipFile(archive) as zf:
                member = next(m for m in zf.infolist() if m.filename.endswith(".txt"))
                (text_dir / Path(member.filename).name).write_bytes(zf.read(member))
        (text_dir / ".complete").touch()
    return text_dir


def prepare_data(year: int, scale: int) -> Path:
    """Generate (once) the full-scale annual zips of `year`, and their extracted text."""
    raw = _year_zips(year, scale)
    _text_dir(raw)
    return raw


def prepare_years(year: int, count: int, scale: int) -> Path:
    """A drop zone holding the annual zips of `count` years ending at `year` (hard links to the cached ones)."""
    years = bench_years(year, count)
    raw = BENCH_DIR / f"years-{years[0]}-{year}-{scale}"
    _fresh(raw)
    for each in years:
        for archive in sorted(_year_zips(each, scale).glob("*.zip")):
            _link(archive, raw / archive.name)
    return raw


def prepare_last_publication(year: int, scale: int) -> Path:
    """Generate (once) REGIONAL_CPF4PAYSE/I.txt: the 4 quarters of `year` revised, and Q1 of the next year."""
    last = last_publication_quarter(year)
    out = BENCH_DIR / f"lastpub-{last[0]}Q{last[1]}-{scale}"
    if not (out / ".complete").exists():
        _fresh(out)
        from orchestration.sample import write_last_publication

        print(f"generating the last publication of {last[0]}Q{last[1]} into {out} …", flush=True)
        write_last_publication(out, last, scale=scale, revision=MONTHLY_REVISION)
        (out / ".complete").touch()
    return out


def _comex() -> list[str]:
    return [str(Path(sys.executable).with_name("comex"))]


def _refresh_env(work: Path) -> dict[str, str]:
    """A refresh's warehouse (beside it: raw_archive/, quality/, logs/) in work/w/, its exports in work/exports/."""
    return {"COMEX_WAREHOUSE": str(work / "w" / "comex.duckdb"), "COMEX_EXPORTS_DIR": str(work / "exports")}


def _vintages(work: Path) -> int:
    import duckdb

    with duckdb.connect(str(work / "w" / "comex.duckdb"), read_only=True) as con:
        return con.execute("select count(*) from raw.vintages").fetchone()[0]


def _check_vintages(work: Path, expected: int, what: str) -> None:
    """The timed refresh really ingested what it was given (not a "nothing new" no-op)."""
    found = _vintages(work)
    if found != expected:
        raise SystemExit(f"bench {what}: the warehouse holds {found} vintages, expected {expected}")


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


def bench_ingestion(raw: Path, repeat: int) -> dict:
    text_dir = _text_dir(raw)
    work = BENCH_DIR / "work-ingest"
    python = sys.executable
    scan = _measure("duckdb read_csv scan (baseline)", [python, "-c", _SCAN, str(text_dir)], repeat)
    ingest = _measure(
        "ingestion (unzip, detect encoding, validate, load)",
        [python, "-c", _INGEST, str(raw), str(work / "w.duckdb")],
        repeat,
        setup=lambda: _fresh(work),
    )
    rows = int(_run_child([python, "-c", _SCAN, str(text_dir)]).output.strip().splitlines()[-1])
    return {"rows": rows, "baseline": scan, "ingestion": ingest}


_DBT = """
import json, sys
from pathlib import Path
from orchestration.dbt_invocation import run_dbt
try:
    from orchestration.dbt_selection import INDIRECT_SELECTION, build_arguments
except ImportError:  # a revision before orchestration/dbt_selection.py (--against): its own exclusions
    from orchestration.assets.dbt import build_arguments
    INDIRECT_SELECTION = "eager"
database, target, full = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "full"
exclude, options, _ = build_arguments(seeds_loaded=not full, views_made=not full, project_unchanged=not full,
                                      new_labels=False, max_national_revision=0.05)
args = ["build", "--exclude", *exclude, "--indirect-selection", INDIRECT_SELECTION, *options]
run = run_dbt(args, database, target)
if not run.success:
    raise SystemExit(f"dbt build failed: {run.failures[:3]}")
print(json.dumps({"nodes": len(run.seconds_by_node), "node_seconds": sum(run.seconds_by_node.values())}))
"""


def bench_dbt(raw: Path, repeat: int) -> dict:
    """dbt build, in process as a refresh runs it, on a warehouse holding the ingested full-scale year
    (working copy restored each time); and the pandas baseline computing the same tables from the raw text.

    Two builds: the first refresh (seeds, views, every model from scratch), and the nodes a refresh
    of new data runs (seeds and views kept, incremental models) on a built warehouse with no new
    period: the fixed cost of that node set (the monthly scenario measures it with new data).
    """
    work = BENCH_DIR / "work-dbt"
    _fresh(work)
    python = sys.executable
    # each file is named comex.duckdb, as the refresh's working copy: the catalog the prepared manifest names
    pristine, built, db = (work / folder / "comex.duckdb" for folder in ("ingested", "built", "w"))
    for path in (pristine, built, db):
        path.parent.mkdir()
    _run_child([python, "-c", _INGEST, str(raw), str(pristine)])
    target = work / "target"
    shutil.copyfile(pristine, built)
    _run_child([python, "-c", _DBT, str(built), str(target), "full"])  # untimed: the warehouse of an earlier refresh
    full = [python, "-c", _DBT, str(db), str(target), "full"]
    incremental = [python, "-c", _DBT, str(db), str(target), "incremental"]
    printed: dict[str, list[str]] = {"full": [], "incremental": []}
    first = _measure("dbt build in process, first refresh", full, repeat,
                     setup=lambda: shutil.copyfile(pristine, db), outputs=printed["full"])  # fmt: skip
    again = _measure("dbt build in process, incremental nodes, no new period", incremental, repeat,
                     setup=lambda: shutil.copyfile(built, db), outputs=printed["incremental"])  # fmt: skip
    counts = {mode: json.loads(texts[-1].strip().splitlines()[-1]) for mode, texts in printed.items()}
    pandas = _measure(
        "pandas baseline (the marts' tables from the text)",
        [python, "-m", "orchestration.bench_pandas", str(_text_dir(raw))],
        repeat,
    )
    return {"dbt_build": first, "dbt_incremental": again, "dbt_nodes": counts, "pandas_baseline": pandas}


def _refreshed(raw: Path) -> Path:
    """work-refresh/: the warehouse and exports of a refresh of `raw`, made (untimed) unless already there."""
    work = BENCH_DIR / "work-refresh"
    source = work / ".bench-source"
    if not ((work / "exports" / "manifest.json").is_file() and source.is_file() and source.read_text() == raw.name):
        _fresh(work)
        _run_child([*_comex(), "refresh", "--raw-dir", str(raw)], _refresh_env(work))
        source.write_text(raw.name)
    return work


def bench_refresh(raw: Path, repeat: int) -> dict:
    """`comex refresh` end to end on a fresh warehouse (CLI start-up included)."""
    work = BENCH_DIR / "work-refresh"
    env = _refresh_env(work)
    args = [*_comex(), "refresh", "--raw-dir", str(raw)]
    full = _measure("comex refresh, new year", args, repeat, env, setup=lambda: _fresh(work))
    noop = _measure("comex refresh, nothing new", args, repeat, env)
    (work / ".bench-source").write_text(raw.name)
    return {"refresh": full, "refresh_noop": noop}


def sample_extract(sample_dir: Path, target: Path, every: int = FIXED_COST_EVERY) -> Path:
    """One line in `every` of each data text of the sample's zips (same names and members), in `target`.

    A refresh of it does everything a refresh of the sample does (every quarter of every year is
    still there) on a few hundred rows: its time is what a refresh costs whatever its data.
    """
    _fresh(target)
    for archive in sorted(sample_dir.glob("*.zip")):
        with (
            zipfile.ZipFile(archive) as source,
            zipfile.ZipFile(target / archive.name, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for member in source.infolist():
                lines = source.read(member).splitlines(keepends=True)
                out.writestr(member, b"".join(lines[::every]))
    return target


def bench_sample(repeat: int) -> dict:
    """`comex refresh --sample` on a fresh warehouse: the README's first command, set-up excluded;
    and the same refresh of one line in 200 of the sample: the part of its time that is fixed cost."""
    work = BENCH_DIR / "work-sample"
    extract = sample_extract(SAMPLE_DIR, BENCH_DIR / "sample-extract")
    env = _refresh_env(work)
    return {
        "sample": _measure("comex refresh --sample, from empty", [*_comex(), "refresh", "--sample"], repeat, env,
                           setup=lambda: _fresh(work)),
        "sample_fixed_cost": _measure(f"the same on 1 line in {FIXED_COST_EVERY} (fixed cost)",
                                      [*_comex(), "refresh", "--raw-dir", str(extract)], repeat, env,
                                      setup=lambda: _fresh(work)),
    }  # fmt: skip


_SPARK_START = """
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false").getOrCreate()
spark.sql("select 1").collect()
spark.stop()
"""


def bench_spark(raw: Path, repeat: int) -> dict:
    """The same `comex refresh` of one full-scale year from empty on each engine, in the same run:
    DuckDB (the default) and Spark (`--engine spark`: a local Spark session in the refresh's
    process, profiles.yml's defaults: local[*], Hive catalog, 8 shuffle partitions); and what a
    Spark session costs to start and stop, doing nothing (a JVM, a Spark context)."""
    work = BENCH_DIR / "work-spark"
    env = _refresh_env(work)
    args = [*_comex(), "refresh", "--raw-dir", str(raw), "--engine"]
    start = _measure("Spark local session start and stop (nothing done)", [sys.executable, "-c", _SPARK_START], repeat)
    duck = _measure("comex refresh, new year, --engine duckdb", [*args, "duckdb"], repeat, env,
                    setup=lambda: _fresh(work))  # fmt: skip
    spark = _measure("comex refresh, new year, --engine spark", [*args, "spark"], repeat, env,
                     setup=lambda: _fresh(work))  # fmt: skip
    _check_vintages(work, 2, "spark")
    return {"spark_start": start, "spark_refresh_duckdb": duck, "spark_refresh_spark": spark}


def bench_fiches(raw: Path, repeat: int, year: int) -> dict:
    """`comex fiche --all`: every département, région and France of a year, plus the index (CLI start-up included)."""
    exports = _refreshed(raw) / "exports"
    out = BENCH_DIR / "work-fiches"
    args = [*_comex(), "fiche", "--all", "--year", str(year), "--exports-dir", str(exports), "--out", str(out)]
    return {"fiches": _measure("comex fiche --all (every territory + index)", args, repeat, setup=lambda: _fresh(out))}


_FICHE_TABLES = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
import duckdb
from orchestration.fiches.data import ExportTables
from orchestration.quality.settings import dbt_vars
imported = time.perf_counter() - started
exports, warehouse, year = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
tables = ExportTables(exports)
loaded = time.perf_counter() - started
territories = [t for t in tables.territories(year) if t.level == "departement"]
top_n = dbt_vars()[0]
where = "year = $year and level = $level and territory_code = $code"
queries = [
    f"select * from marts.territory_totals where {where} order by flow",
    f"select * from marts.product_activity where {where} and rank <= {top_n} order by flow, rank",
    f"select * from marts.partner_ranking where {where} and rank <= {top_n} order by flow, rank",
    f"select * from marts.partner_balance where {where} order by import_eur + export_eur desc, country_code",
    f"select * from marts.flow_links where {where} order by flow, value_eur desc, product_code, country_code",
]
con = duckdb.connect(warehouse, read_only=True)

def from_marts(territory):
    params = {"year": year, "level": territory.level, "code": territory.code}
    return [con.execute(sql, params).fetchall() for sql in queries]

def timed(build):
    build(territories[0])  # warm-up, untimed
    seconds = []
    for territory in territories:
        started = time.perf_counter()
        build(territory)
        seconds.append(time.perf_counter() - started)
    return seconds

print(json.dumps({"import": imported, "load": loaded, "territories": len(territories),
                  "exports": timed(lambda t: tables.fiche(year, t)), "marts": timed(from_marts)}))
"""


def bench_fiche_tables(raw: Path, year: int) -> dict:
    """One territory's fiche tables, warm, in one process: every département of the year is one sample.

    The product (`orchestration.fiches.data`) reads the export tables, loaded once per process, and
    cuts one territory's view model from them; measured as such, and also as five direct DuckDB
    queries of the marts (read-only connection) returning the same tables.
    """
    work = _refreshed(raw)
    python = sys.executable
    run = _run_child([python, "-c", _FICHE_TABLES, str(work / "exports"), str(work / "w" / "comex.duckdb"), str(year)])
    timings = json.loads(run.output.strip().splitlines()[-1])
    if timings["territories"] < 20:
        print(f"  (only {timings['territories']} départements in {year}: fewer than 20 samples)")

    def measure(name: str, seconds: list[float]) -> Measure:
        return Measure(name, seconds, run.peak_rss_mib, run.tree_peak_rss_mib)

    return {
        "fiche_tables_import": measure("import fiche and DuckDB code (once per process)", [timings["import"]]),
        "fiche_tables_load": measure("load the export tables (once per process)", [timings["load"]]),
        "fiche_tables_exports": measure("one territory's fiche tables from the exports", timings["exports"]),
        "fiche_tables_marts": measure("one territory's fiche tables, DuckDB marts queries", timings["marts"]),
    }


_QUALITY = """
import json, sys, time
from pathlib import Path
import duckdb
started = time.perf_counter()
from orchestration.quality import context as qc
qc.gx_module()
timings = {"gx_import": time.perf_counter() - started}
from orchestration.quality import checks_suite, exports_suite, raw_suite
from orchestration.quality.settings import QualitySettings
warehouse, exports, root = (Path(a) for a in sys.argv[1:4])
started = time.perf_counter()
ctx = qc.quality_context(root, "bench")
settings = QualitySettings.from_env()
timings["gx_context"] = time.perf_counter() - started
stages = {
    "raw": lambda con: [raw_suite.schema_suite(con), raw_suite.periods_suite(con, 0), raw_suite.coverage_suite(con),
                        raw_suite.rejected_suite(con, 0, settings)],
    "marts": lambda con: [*checks_suite.check_suites(con).values(), checks_suite.revisions_suite(con, 0, settings)],
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
    ctx.publish_report()
    timings[f"{stage}_report"] = time.perf_counter() - started
    assert all(o.success for o in outcomes), [f.as_dict() for o in outcomes for f in o.failures]
print(json.dumps(timings))
"""


def bench_quality(raw: Path, repeat: int) -> dict:
    """The GX checks alone (DuckDB frames, validation, report.html) on the full-scale refreshed warehouse.

    All vintages count as new (the refresh of a new year). GX's import is timed apart: it is paid
    once per process (`comex refresh` runs one).
    """
    refreshed = _refreshed(raw)
    warehouse, exports = refreshed / "w" / "comex.duckdb", refreshed / "exports"
    root = BENCH_DIR / "work-quality"
    _fresh(root)
    runs, peak, tree_peak = [], 0.0, 0.0
    for _ in range(repeat):
        run = _run_child([sys.executable, "-c", _QUALITY, str(warehouse), str(exports), str(root)])
        timings = json.loads(run.output.strip().splitlines()[-1])
        timings["wall"] = run.seconds
        runs.append(timings)
        peak, tree_peak = max(peak, run.peak_rss_mib), max(tree_peak, run.tree_peak_rss_mib)

    def measure(name: str, keys: list[str]) -> Measure:
        return Measure(name, [sum(r[k] for k in keys) for r in runs], peak, tree_peak)

    stages = ("raw", "marts", "exports")
    return {
        "quality_import": measure("import great_expectations (once per process)", ["gx_import"]),
        "quality_frames": measure("quality: DuckDB frames (3 stages)", [f"{s}_frames" for s in stages]),
        "quality_validate": measure("quality: GX validation (every suite)", [f"{s}_validate" for s in stages]),
        "quality_report": measure("quality: report.html writing", [f"{s}_report" for s in stages]),
        "quality_checks": measure(
            "quality checks, import excluded",
            ["gx_context", *(f"{s}_{p}" for s in stages for p in ("frames", "validate", "report"))],
        ),
    }


def bench_decade(raw_years: Path, count: int, repeat: int) -> dict:
    """`comex refresh` of `count` annual years at once, from an empty warehouse (work-loaded/)."""
    work = BENCH_DIR / "work-loaded"
    args = [*_comex(), "refresh", "--raw-dir", str(raw_years)]
    name = f"comex refresh, {count} years from empty"
    decade = _measure(name, args, repeat, _refresh_env(work), setup=lambda: _fresh(work))
    _check_vintages(work, 2 * count, "decade")
    return {"decade": decade}


def _moved_with_its_exports(work: Path) -> None:
    """A warehouse copied with its exports: the exports' manifest names the copy as their producer.

    Otherwise the refresh refuses to publish over "the exports of another warehouse" (preflight).
    """
    manifest = work / "exports" / "manifest.json"
    if manifest.is_file():
        payload = json.loads(manifest.read_text(encoding="utf-8"))
        payload["warehouse"] = str((work / "w" / "comex.duckdb").resolve())
        manifest.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def bench_monthly(raw_years: Path, year: int, count: int, scale: int, repeat: int, *, loaded: bool) -> dict:
    """`comex refresh` when a "dernière publication" lands on a warehouse holding `count` years.

    The loaded warehouse (work-loaded/: warehouse, raw_archive/, quality/, logs/, exports) is
    built once, untimed, unless the decade scenario just left it there; each timed run starts
    from a copy of it (work-monthly/) and a drop zone holding the annual zips and
    REGIONAL_CPF4PAYSE/I.txt: the 4 quarters of `year` revised and Q1 of the next year.
    """
    pristine = BENCH_DIR / "work-loaded"
    if not loaded:
        print(f"loading {count} years into {pristine} (untimed) …", flush=True)
        _fresh(pristine)
        _run_child([*_comex(), "refresh", "--raw-dir", str(raw_years)], _refresh_env(pristine))
    _check_vintages(pristine, 2 * count, "monthly (loaded warehouse)")
    raw = BENCH_DIR / f"monthly-{raw_years.name}"
    _fresh(raw)
    for path in [*sorted(raw_years.glob("*.zip")), *sorted(prepare_last_publication(year, scale).glob("*.txt"))]:
        _link(path, raw / path.name)
    work = BENCH_DIR / "work-monthly"

    def restore() -> None:
        shutil.rmtree(work, ignore_errors=True)
        # not its Dagster history: the loading refresh's background import may still be writing it
        shutil.copytree(pristine, work, ignore=shutil.ignore_patterns("dagster_home"))
        _moved_with_its_exports(work)
        # the copy to disk now, untimed: else the refresh's own first checkpoint waits for it
        # (~1.4 GB; at 100 MB/s, ~14 s measured as the refresh's)
        os.sync()

    args = [*_comex(), "refresh", "--raw-dir", str(raw)]
    last = last_publication_quarter(year)
    name = f"comex refresh, last publication to {last[0]}Q{last[1]} lands"
    monthly = _measure(name, args, repeat, _refresh_env(work), setup=restore)
    _check_vintages(work, 2 * count + 2, "monthly")
    return {"monthly": monthly}


def _line(measure: Measure, baseline: Measure | None = None, rows: int | None = None) -> str:
    runs = ", ".join(f"{s:.2f}" for s in measure.seconds)
    tree = "" if measure.tree_peak_rss_mib is None else f", process tree {measure.tree_peak_rss_mib:6.0f} MiB"
    text = (
        f"{measure.name:<52} median {measure.median:7.2f} s  (runs: {runs})  "
        f"peak RSS: largest process {measure.peak_rss_mib:6.0f} MiB{tree}"
    )
    if rows:
        text += f"  {rows / measure.median:,.0f} rows/s"
    if baseline:
        text += f"  = {measure.median / baseline.median:.2f}× baseline"
    return text


def _ms_line(measure: Measure, samples: bool = True) -> str:
    ms = sorted(s * 1000 for s in measure.seconds)
    text = f"{measure.name:<52} median {measure.median * 1000:8.2f} ms"
    if samples:
        text += f"  (p90 {ms[int(0.9 * (len(ms) - 1))]:.2f} ms, max {ms[-1]:.2f} ms, {len(ms)} territories)"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--year", type=int, default=2024, help="the year measured (the last one of --years)")
    parser.add_argument("--scale", type=int, default=BUDGET_SCALE, help="rows per year, both flows")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (median reported)")
    parser.add_argument("--years", type=int, default=BUDGET_YEARS, help="years loaded (decade, monthly), to --year")
    parser.add_argument("--decade-repeat", type=int, default=1, help="runs of the long decade refresh")
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="repeatable; default: every scenario")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--against", metavar="REV", help="also measure git revision REV (e.g. main), side by side")
    args = parser.parse_args(argv)
    only = set(args.only or SCENARIOS)
    years = bench_years(args.year, args.years)
    cpus = os.cpu_count()

    where = _run_child([sys.executable, "-c", "import orchestration; print(orchestration.__file__)"]).output.strip()
    if not Path(where).is_relative_to(REPO_ROOT):
        raise SystemExit(f"bench children import {where}, not the code of {REPO_ROOT}")
    # untimed, as for --against: a project changed since `make setup` would otherwise be measured
    # with its reference template out of date (a first refresh then makes and tests the views itself)
    _run_child([*_comex(), "prepare"])
    raw = prepare_data(args.year, args.scale)
    print(f"data: {raw} ({sum(p.stat().st_size for p in raw.glob('*.zip')) / MiB:.0f} MiB zipped), "
          f"{args.scale:,} rows a year; {cpus} CPUs; medians of {args.repeat} runs")  # fmt: skip
    if only & {"decade", "monthly"}:
        print(f"decade and monthly: {len(years)} years {years[0]}–{years[-1]} at {args.scale:,} rows a year")
    every = f"{SAMPLE_EVERY * 1000:.0f} ms"
    speed_start = machine_speed(BENCH_DIR)
    print(f"peak RSS: largest process = getrusage; process tree = summed RSS sampled every {every}")
    print(
        f"machine speed: a fixed pure-Python loop takes {speed_start['cpu_ms']:.0f} ms; the disk writes "
        f"{speed_start['disk_mib_s']:,.0f} MiB/s ({DISK_PROBE_MIB} MiB, synced); both again at the end\n"
    )
    results: dict[str, Measure | int] = {}
    budgets: dict[str, list[Budget]] = {}
    ratios: dict[str, float] = {}
    caveat = budget_caveat(args.scale, cpus=cpus)

    def report(scenario: str, *checks: Budget) -> None:
        budgets[scenario] = list(checks)
        for check in checks:
            print(check.line())
        print()

    if "ingestion" in only:
        ingestion = bench_ingestion(raw, args.repeat)
        results.update(ingestion)
        print(_line(ingestion["baseline"], rows=ingestion["rows"]))
        print(_line(ingestion["ingestion"], ingestion["baseline"], ingestion["rows"]))
        ratios["ingestion_over_scan"] = ingestion["ingestion"].median / ingestion["baseline"].median
        report(
            "ingestion",
            Budget("ingestion / DuckDB scan", ratios["ingestion_over_scan"], 3, "×", caveat),
            Budget("ingestion peak RSS (largest process)", ingestion["ingestion"].peak_rss_mib, RSS_BUDGET_MIB, "MiB",
                   caveat),
        )  # fmt: skip
    baseline = results.get("baseline")
    if "dbt" in only:
        dbt = bench_dbt(raw, args.repeat)
        results.update(dbt)
        print(_line(dbt["dbt_build"], baseline if isinstance(baseline, Measure) else None))
        print(_line(dbt["dbt_incremental"], baseline if isinstance(baseline, Measure) else None))
        print(_line(dbt["pandas_baseline"], baseline if isinstance(baseline, Measure) else None))
        ratios["dbt_build_over_pandas"] = dbt["dbt_build"].median / dbt["pandas_baseline"].median
        print(f"  dbt build / pandas baseline = {ratios['dbt_build_over_pandas']:.2f}×")
        nodes = dbt["dbt_nodes"]
        full, incremental = nodes["full"], nodes["incremental"]
        print(f"  dbt nodes run: first refresh {full['nodes']} ({full['node_seconds']:.1f} s of node time), "
              f"refresh of new data {incremental['nodes']} ({incremental['node_seconds']:.1f} s)")  # fmt: skip
        print("  (dbt build: seeds, staging views, intermediate, marts and check models, data tests; unit tests are")
        print("   the test suite's; pandas: totals, ranked products and countries, Sankey links, no vintages,")
        print("   labels or checks)")
        report("dbt", Budget("dbt nodes in a refresh of new data", nodes["incremental"]["nodes"], 40, "nodes"))
    if "refresh" in only:
        refresh = bench_refresh(raw, args.repeat)
        results.update(refresh)
        print(_line(refresh["refresh"], baseline if isinstance(baseline, Measure) else None))
        print(_line(refresh["refresh_noop"]))
        checks = [Budget("full refresh, 1 full-scale year from empty", refresh["refresh"].median, 15, "s", caveat)]
        pandas = results.get("pandas_baseline")
        if isinstance(pandas, Measure):
            ratios["refresh_over_pandas"] = refresh["refresh"].median / pandas.median
            checks.append(Budget("that refresh / pandas baseline", ratios["refresh_over_pandas"], 2.5, "×", caveat))
        else:
            print("  budget: refresh ≤ 2.5× the pandas baseline: not checked (needs the dbt scenario too)")
        checks += [
            Budget("its peak RSS (process tree)", refresh["refresh"].tree_peak_rss_mib, RSS_BUDGET_MIB, "MiB", caveat),
            Budget("refresh with nothing new", refresh["refresh_noop"].median, 1, "s"),
        ]
        report("refresh", *checks)
    if "sample" in only:
        sample = bench_sample(args.repeat)
        results.update(sample)
        print(_line(sample["sample"]))
        print(_line(sample["sample_fixed_cost"]))
        fixed, whole = sample["sample_fixed_cost"].median, sample["sample"].median
        print(f"  the sample's fixed cost: {fixed:.2f} s of {whole:.2f} s ({fixed / whole:.0%}); "
              f"its data: {whole - fixed:.2f} s")  # fmt: skip
        report("sample", Budget("comex refresh --sample from empty", whole, 8, "s"))
    if "fiches" in only:
        fiches = bench_fiches(raw, args.repeat, args.year)
        results.update(fiches)
        print(_line(fiches["fiches"]))
        report("fiches", Budget("every fiche of one year (≈120 pages)", fiches["fiches"].median, 30, "s", caveat))
    if "fiche-tables" in only:
        tables = bench_fiche_tables(raw, args.year)
        results.update(tables)
        print("one process, warm (each département of the year is a sample; --repeat does not apply):")
        print(_ms_line(tables["fiche_tables_import"], samples=False))
        print(_ms_line(tables["fiche_tables_load"], samples=False))
        print(_ms_line(tables["fiche_tables_exports"]))
        print(_ms_line(tables["fiche_tables_marts"]))
        report(
            "fiche-tables",
            Budget("one territory's fiche tables (the product: from the exports)",
                   tables["fiche_tables_exports"].median * 1000, 50, "ms", caveat),
            Budget("one territory's fiche tables (DuckDB queries of the marts)",
                   tables["fiche_tables_marts"].median * 1000, 50, "ms", caveat),
        )  # fmt: skip
    if "quality" in only:
        quality = bench_quality(raw, args.repeat)
        results.update(quality)
        for key in ("quality_import", "quality_frames", "quality_validate", "quality_report", "quality_checks"):
            print(_line(quality[key]))
        refresh_measure = results.get("refresh")
        checks = []
        if isinstance(refresh_measure, Measure):
            ratios["quality_checks_over_refresh"] = quality["quality_checks"].median / refresh_measure.median
            print(f"  checks = {ratios['quality_checks_over_refresh']:.0%} of the refresh median (GX import excluded)")
            checks.append(Budget("all checks / refresh time", ratios["quality_checks_over_refresh"] * 100, 25, "%",
                                 caveat))  # fmt: skip
        else:
            print("  budget: all checks ≤ 25 % of the refresh time: not checked (needs the refresh scenario too)")
        report("quality", *checks)
    if "spark" in only:
        spark = bench_spark(raw, args.repeat)
        results.update(spark)
        for key in ("spark_start", "spark_refresh_duckdb", "spark_refresh_spark"):
            print(_line(spark[key]))
        ratios["spark_over_duckdb"] = spark["spark_refresh_spark"].median / spark["spark_refresh_duckdb"].median
        print(f"  refresh on Spark / on DuckDB = {ratios['spark_over_duckdb']:.2f}× (same data, same run)")
        report("spark")
    raw_years = prepare_years(args.year, args.years, args.scale) if only & {"decade", "monthly"} else None
    loaded = False
    long_caveat = budget_caveat(args.scale, len(years), cpus)
    if "decade" in only and raw_years:
        decade = bench_decade(raw_years, len(years), args.decade_repeat)
        results.update(decade)
        loaded = True
        print(f"(decade: {len(years)} years {years[0]}–{years[-1]} at {args.scale:,} rows a year; "
              f"{args.decade_repeat} run(s), --decade-repeat, 1 by default: it is long)")  # fmt: skip
        print(_line(decade["decade"]))
        report(
            "decade",
            Budget(f"full refresh, {BUDGET_YEARS} years from empty", decade["decade"].median, 90, "s", long_caveat),
            Budget("its peak RSS (process tree)", decade["decade"].tree_peak_rss_mib, RSS_BUDGET_MIB, "MiB",
                   long_caveat),
        )  # fmt: skip
    if "monthly" in only and raw_years:
        monthly = bench_monthly(raw_years, args.year, len(years), args.scale, args.repeat, loaded=loaded)
        results.update(monthly)
        print(f"(monthly: on {len(years)} years {years[0]}–{years[-1]} loaded at {args.scale:,} rows a year; "
              f"5 quarters ≈ 5/4 of a year's rows, {args.year}'s revised by ±{MONTHLY_REVISION / 2:.1%}–"
              f"{MONTHLY_REVISION:.0%} on 20 % of rows)")  # fmt: skip
        print(_line(monthly["monthly"]))
        report(
            "monthly",
            Budget(f"last publication (5 quarters) on {BUDGET_YEARS} loaded years", monthly["monthly"].median, 15,
                   "s", long_caveat),
            Budget("its peak RSS (process tree)", monthly["monthly"].tree_peak_rss_mib, RSS_BUDGET_MIB, "MiB",
                   long_caveat),
        )  # fmt: skip
    speed_end = machine_speed(BENCH_DIR)
    speeds = f"{speed_start['cpu_ms']:.0f} ms at the start, {speed_end['cpu_ms']:.0f} ms at the end"
    disks = f"{speed_start['disk_mib_s']:,.0f} and {speed_end['disk_mib_s']:,.0f} MiB/s"
    print(f"\nmachine speed: the pure-Python loop took {speeds}; the disk wrote {disks}")
    payload: dict = {
            "cpu_probe_ms": {"start": speed_start["cpu_ms"], "end": speed_end["cpu_ms"]},
            "disk_probe_mib_s": {"start": speed_start["disk_mib_s"], "end": speed_end["disk_mib_s"]},
            "config": {"year": args.year, "scale": args.scale, "repeat": args.repeat, "years": years,
                       "decade_repeat": args.decade_repeat, "cpus": cpus, "rss_sample_seconds": SAMPLE_EVERY,
                   "monthly_revision": MONTHLY_REVISION, "scenarios": [s for s in SCENARIOS if s in only]},
    }  # fmt: skip
    payload |= {k: (asdict(v) | {"median": v.median}) if isinstance(v, Measure) else v for k, v in results.items()}
    payload["ratios"] = ratios
    payload["budgets"] = {scenario: [b.as_dict() for b in checks] for scenario, checks in budgets.items()}
    if args.against:
        before = bench_against(args.against, _without_against(argv if argv is not None else sys.argv[1:]))
        print(side_by_side(before, payload, args.against))
        payload["against"] = {"rev": args.against, "results": before}
    if args.json:
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))


def _without_against(argv: list[str]) -> list[str]:
    """The command line minus --against and --json (and their values)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--against", "--json"):
            skip = True
        elif not arg.startswith(("--against=", "--json=")):
            kept.append(arg)
    return kept


def against_checkout(rev: str) -> Path:
    """A git worktree of `rev` under data/bench/, its dbt project prepared, reading this checkout's bench data."""
    sha = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    tree = BENCH_DIR / "against" / sha[:12]
    if not (tree / ".git").exists():
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", "--force", str(tree), sha],
                       check=True, capture_output=True)  # fmt: skip
    data = tree / "data" / "bench"
    if not data.is_symlink():
        shutil.rmtree(data, ignore_errors=True)
        data.parent.mkdir(parents=True, exist_ok=True)
        data.symlink_to(BENCH_DIR, target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for command in ([*_comex(), "prepare"], [sys.executable, "-m", "orchestration.sample", "--bundled"]):
        subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True)
    return tree


def bench_against(rev: str, argv: list[str]) -> dict:
    """The same scenarios measured with the code of `rev`, in its worktree, by this checkout's
    bench (bench.py and bench_pandas.py copied there: one harness measures both sides); the
    scenarios `rev`'s own bench did not have are left out."""
    tree = against_checkout(rev)
    out = BENCH_DIR / "against" / f"{tree.name}.json"
    print(f"\n--- the same scenarios with the code of {rev} ({tree.name}, worktree {tree}) ---", flush=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(["git", "-C", str(tree), "checkout", "--", "orchestration"], check=True, capture_output=True)
    known = subprocess.run([sys.executable, "-c", "from orchestration.bench import SCENARIOS; print(*SCENARIOS)"],
                           cwd=tree, env=env, capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    for harness in ("bench.py", "bench_pandas.py"):
        shutil.copyfile(REPO_ROOT / "orchestration" / harness, tree / "orchestration" / harness)
    argv, unknown = _only_scenarios(argv, set(known))
    if unknown:
        print(f"(not in {rev}'s bench, not measured there: {', '.join(unknown)})")
    if not unknown or any(arg == "--only" or arg.startswith("--only=") for arg in argv):
        subprocess.run([sys.executable, "-m", "orchestration.bench", *argv, "--json", str(out)], cwd=tree, env=env,
                       check=True)  # fmt: skip
        return json.loads(out.read_text(encoding="utf-8"))
    return {}


def _only_scenarios(argv: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """`argv` without the `--only` scenarios not in `known`; and those."""
    kept, unknown, pending = [], [], False
    for arg in argv:
        value = arg if pending else arg.split("=", 1)[1] if arg.startswith("--only=") else None
        pending = arg == "--only"
        if pending:
            continue
        if value is None:
            kept.append(arg)
        elif value in known:
            kept.extend(["--only", value])
        else:
            unknown.append(value)
    return kept, unknown


def side_by_side(before: dict, after: dict, rev: str) -> str:
    """Medians of both runs, each step on one line: before, after, after / before."""
    title = f"medians: before = {rev}, after = this checkout"
    lines = [f"\n{title:<52} {'before':>9} {'after':>9}  after/before"]
    for key, measure in after.items():
        if isinstance(measure, dict) and "median" in measure and isinstance(before.get(key), dict):
            old, new = before[key]["median"], measure["median"]
            ratio = f"{new / old:.2f}×" if old else "-"
            lines.append(f"{measure['name']:<52} {old:8.2f}s {new:8.2f}s  {ratio}")
    probes = [run.get("cpu_probe_ms") for run in (before, after)]
    if all(probes):
        speeds = ", ".join(f"{probe['start']:.0f}–{probe['end']:.0f} ms" for probe in probes)
        lines.append(f"{'machine speed (pure-Python loop, start–end)':<52} {speeds}")
    disks = [run.get("disk_probe_mib_s") for run in (before, after)]
    if all(disks):
        speeds = ", ".join(f"{probe['start']:,.0f}–{probe['end']:,.0f} MiB/s" for probe in disks)
        lines.append(f"{'disk speed (write and sync, start–end)':<52} {speeds}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
