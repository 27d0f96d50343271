"""Which engine builds the dbt project in a refresh: DuckDB (the default) or Spark (dbt-spark).

`comex refresh --engine spark` or `COMEX_ENGINE=spark` (the flag wins). Ingestion, the Great
Expectations checks, the export writer and the publication are the same for both engines; only
the dbt step differs (orchestration/spark_engine.py). On Spark, `COMEX_SPARK_METHOD` says how dbt
reaches it: `session` (default: a local Spark session in the refresh's process, profiles.yml
target `spark`) or `thrift` (a Spark Thrift server, target `spark_thrift`, COMEX_SPARK_HOST…).

No heavy import here: the CLI checks these settings before it starts anything.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from orchestration.errors import ComexError

DUCKDB = "duckdb"
SPARK = "spark"
ENGINES = (DUCKDB, SPARK)
ENV_ENGINE = "COMEX_ENGINE"
ENV_SPARK_METHOD = "COMEX_SPARK_METHOD"
#: COMEX_SPARK_METHOD → the profiles.yml target dbt runs.
SPARK_TARGETS = {"session": "spark", "thrift": "spark_thrift"}
JAVA_MIN_VERSION = 17


def resolve_engine(flag: str | None = None) -> str:
    """The engine of a refresh: the flag, else COMEX_ENGINE, else duckdb; a ComexError naming a bad value."""
    if flag:
        value, said = flag.strip().lower(), f"--engine {flag}"
    else:
        raw = os.environ.get(ENV_ENGINE, "")
        value, said = (raw.strip().lower() or DUCKDB), f"{ENV_ENGINE}={raw!r}"
    if value not in ENGINES:
        raise ComexError(f"{said} is not an engine: give {' or '.join(ENGINES)}")
    return value


def spark_method() -> str:
    """session (a local Spark session, the default) or thrift (a Spark Thrift server)."""
    raw = os.environ.get(ENV_SPARK_METHOD, "")
    value = raw.strip().lower() or "session"
    if value not in SPARK_TARGETS:
        raise ComexError(f"{ENV_SPARK_METHOD}={raw!r} is not a Spark method: give {' or '.join(SPARK_TARGETS)}")
    return value


def spark_target() -> str:
    """The profiles.yml target of a Spark refresh."""
    return SPARK_TARGETS[spark_method()]


def java_problem() -> str | None:
    """Why a local Spark session cannot start on this machine (no Java, or one older than 17), or None."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).is_file():
        where = f"JAVA_HOME={java_home} has no bin/java" if java_home else "no `java` on PATH"
        return f"the Spark engine needs a Java {JAVA_MIN_VERSION}+ runtime: {where} (`make java` installs one)"
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the Spark engine needs a Java {JAVA_MIN_VERSION}+ runtime: {java} does not run ({exc})"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    major = int(found.group(1)) if found else 0
    if major == 1 and found and found.group(2):  # "1.8.0_392" is Java 8
        major = int(found.group(2))
    if major < JAVA_MIN_VERSION:
        return (
            f"the Spark engine needs a Java {JAVA_MIN_VERSION}+ runtime: {java} is "
            f"{'Java ' + str(major) if major else 'not a Java runtime it can read'} (`make java` installs Java 17)"
        )
    return None


def check_engine(flag: str | None = None) -> str:
    """The refresh's engine and, on Spark, its method and (local session) Java; one line when one is wrong."""
    engine = resolve_engine(flag)
    if engine == SPARK and spark_method() == "session" and (problem := java_problem()):
        raise ComexError(problem)
    return engine
