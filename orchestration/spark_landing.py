"""The raw tables as a Parquet dataset, where Spark (and DuckDB) can read them.

The Spark engine builds the same dbt project from the same validated rows: ingestion (Python and
DuckDB, as for the DuckDB engine) fills the warehouse's `raw` schema, then `land()` writes each of
its tables to `<landing>/<table>/`: `customs_flows` partitioned by vintage
(`customs_flows/vintage_id=3/….parquet`, a new vintage is a new folder), every other table one
file. On Spark, the staging models' pre-hook (`macros/spark_raw_sources.sql`) declares `raw.<table>`
over those folders; DuckDB reads them too (`read_parquet('<landing>/customs_flows/**/*.parquet',
hive_partitioning = true)`).

The landing is replaced whole: written beside the old one, then swapped in (a reader never sees a
half-written dataset). Its default place is `raw_parquet/` beside the warehouse file, which is
where profiles.yml's `spark` target looks unless COMEX_SPARK_RAW_PATH says otherwise.

    python -m orchestration.spark_landing [--warehouse data/warehouse/comex.duckdb] [--landing DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from orchestration import warehouse as warehouse_file
from orchestration.settings import DEFAULT_WAREHOUSE, ENV_WAREHOUSE

#: Where profiles.yml's spark target reads the landing (a path or URI Spark can read: file, s3a://…).
ENV_RAW_PATH = "COMEX_SPARK_RAW_PATH"
LANDING_NAME = "raw_parquet"
#: Tables written as a dataset partitioned by these columns; the others are one file each.
PARTITIONED = {"customs_flows": ("vintage_id",)}


def default_landing(warehouse: Path) -> Path:
    return warehouse.parent / LANDING_NAME


def raw_tables(con: object) -> list[str]:
    rows = con.execute(  # type: ignore[attr-defined]
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    return [name for (name,) in rows]


def land(warehouse: Path, landing: Path | None = None) -> Path:
    """Write every table of the warehouse's raw schema under `landing`; returns the landing folder."""
    landing = landing or default_landing(warehouse)
    staging = landing.with_name(f".{landing.name}.writing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with warehouse_file.connect(warehouse, read_only=True) as con:
        for table in raw_tables(con):
            target = staging / table
            partitions = PARTITIONED.get(table)
            if partitions:
                con.execute(
                    f"copy (select * from raw.{table}) to '{target}' "
                    f"(format parquet, partition_by ({', '.join(partitions)}))"
                )
            else:
                target.mkdir()
                con.execute(f"copy (select * from raw.{table}) to '{target / 'part-0.parquet'}' (format parquet)")
    previous = landing.with_name(f".{landing.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if landing.exists():
        landing.rename(previous)
    staging.rename(landing)
    shutil.rmtree(previous, ignore_errors=True)
    return landing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the warehouse's raw tables as Parquet, for the Spark engine.")
    parser.add_argument("--warehouse", type=Path, default=Path(os.environ.get(ENV_WAREHOUSE) or DEFAULT_WAREHOUSE))
    parser.add_argument("--landing", type=Path, default=None, help="default: raw_parquet/ beside the warehouse")
    args = parser.parse_args(argv)
    print(f"raw tables landed in {land(args.warehouse, args.landing)}")


if __name__ == "__main__":
    main()
