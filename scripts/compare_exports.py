"""Do two refreshes publish the same export tables? Row by row, value by value.

Maintenance script, not part of the pipeline run. Either compare two exports folders:

    .venv/bin/python scripts/compare_exports.py EXPORTS_A EXPORTS_B

or refresh the same drop zone with this checkout and with an earlier commit (checked out in a
temporary `git worktree`, run with this checkout's .venv), then compare what they published:

    .venv/bin/python scripts/compare_exports.py --against 3c434bf --sample
    .venv/bin/python scripts/compare_exports.py --against 3c434bf --raw-dir data/bench/raw-2024-4000000

For each table of the export contract: its columns, its rows as typed values (the Parquet
files: rows in one and not the other, duplicates counted), and whether the CSV files are byte
for byte the same. Exit status 0 when every table holds the same rows and values.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from orchestration.dagster_home import wait_for_background_imports  # noqa: E402
from orchestration.exports.contract import load_contract  # noqa: E402


def compare(a: Path, b: Path) -> bool:
    """Print one line per contract table; True when every table has the same rows and values."""
    same = True
    con = duckdb.connect()
    for table in load_contract().tables:
        pa, pb = a / f"{table.name}.parquet", b / f"{table.name}.parquet"
        if not pa.is_file() and not pb.is_file():
            print(f"{table.name:<20} in neither (an optional table)")
            continue
        if not (pa.is_file() and pb.is_file()):
            print(f"{table.name:<20} only in {a if pa.is_file() else b}")
            same = False
            continue
        cols_a = [c[0] for c in con.execute("select * from read_parquet(?) limit 0", [str(pa)]).description]
        cols_b = [c[0] for c in con.execute("select * from read_parquet(?) limit 0", [str(pb)]).description]
        rows = con.execute("select count(*) from read_parquet(?)", [str(pa)]).fetchone()[0]
        if cols_a != cols_b:
            print(f"{table.name:<20} columns differ: {cols_a} vs {cols_b}")
            same = False
            continue
        only_a, only_b = (
            con.execute(
                "select count(*) from (select * from read_parquet(?) except all select * from read_parquet(?))",
                [str(x), str(y)],
            ).fetchone()[0]
            for x, y in ((pa, pb), (pb, pa))
        )
        csv_same = (a / f"{table.name}.csv").read_bytes() == (b / f"{table.name}.csv").read_bytes()
        verdict = "same rows and values" if only_a == only_b == 0 else f"{only_a} rows only in A, {only_b} only in B"
        print(f"{table.name:<20} {rows:>9,} rows: {verdict}; CSV byte-identical: {'yes' if csv_same else 'no'}")
        same = same and only_a == only_b == 0
    return same


def refresh(checkout: Path, raw: list[str], work: Path) -> Path:
    """`comex refresh` of `checkout`'s code (this .venv) into work/; the exports folder it published."""
    env = {
        **os.environ,
        "PYTHONPATH": str(checkout),
        "COMEX_WAREHOUSE": str(work / "warehouse" / "comex.duckdb"),
        "COMEX_EXPORTS_DIR": str(work / "exports"),
    }
    comex = Path(sys.executable).with_name("comex")
    subprocess.run([str(comex), "refresh", *raw], cwd=checkout, env=env, check=True)
    return work / "exports"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exports", nargs="*", type=Path, help="two exports folders (A, B)")
    parser.add_argument("--against", help="a git commit: refresh with it (A) and with this checkout (B)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--sample", action="store_true", help="refresh the bundled sample")
    source.add_argument("--raw-dir", type=Path, help="refresh this drop zone")
    args = parser.parse_args(argv)
    if not args.against:
        if len(args.exports) != 2:
            parser.error("give two exports folders, or --against COMMIT with --sample or --raw-dir")
        return 0 if compare(*args.exports) else 1
    if not (args.sample or args.raw_dir):
        parser.error("--against needs --sample or --raw-dir")
    raw = ["--sample"] if args.sample else ["--raw-dir", str(args.raw_dir.resolve())]
    with tempfile.TemporaryDirectory(prefix="compare-exports-") as tmp:
        root = Path(tmp)
        before = root / "checkout"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.against], cwd=REPO_ROOT, check=True)
        try:
            a = refresh(before, raw, root / "a")
            b = refresh(REPO_ROOT, raw, root / "b")
            print(f"A = {args.against}, B = this checkout ({' '.join(raw)})")
            return 0 if compare(a, b) else 1
        finally:
            wait_for_background_imports()  # each refresh's Dagster history, still written under `root`
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=REPO_ROOT, check=False)


if __name__ == "__main__":
    raise SystemExit(main())
