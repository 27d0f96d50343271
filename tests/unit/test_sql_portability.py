"""The dbt project runs on DuckDB and on Spark: engine-specific SQL lives only in dispatched macros.

Models (models/**/*.sql) and the portable macros hold neither DuckDB-only nor Spark-only syntax;
an engine's syntax is allowed only inside that engine's implementation of a dispatched macro
(`{% macro duckdb__key_hash %}`, `{% macro spark__key_hash %}`, …). Every dispatched macro has an
implementation for both engines (or a portable `default__` one). The scan reads the SQL itself:
SQL and Jinja comments, string literals and Jinja expressions and statements are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
MACROS = REPO / "macros"
ENGINES = ("duckdb", "spark")

#: DuckDB syntax that Spark SQL does not have (or reads otherwise), with what to use instead.
DUCKDB_ONLY: dict[str, str] = {
    r"::": "`::` casts: cast(x as type)",
    r"\blist\s*\(": "list(): ordered_string_agg or a dispatched macro",
    r"\blist_\w+\s*\(": "list_* functions",
    r"\bstring_agg\s*\(": "string_agg: ordered_string_agg",
    r"\bgroup_concat\s*\(": "group_concat: ordered_string_agg",
    r"\bdbt\.listagg\s*\(": "dbt.listagg ignores its order on Spark: ordered_string_agg",
    r"\bqualify\b": "qualify: a window in a CTE, filtered outside",
    r"\bepoch(_ms|_us|_ns)?\s*\(": "epoch(): a dispatched macro",
    r"\bstrftime\s*\(": "strftime: a dispatched macro",
    r"\bstrptime\s*\(": "strptime: a dispatched macro",
    r"(?<![\w.])hash\s*\(": "hash(): key_hash",
    r"\bmd5\s*\(": "md5(): a dispatched macro",
    r"\bsha256\s*\(": "sha256(): a dispatched macro",
    r"\bunpivot\b": "unpivot: a dispatched macro",
    r"\bpivot\b": "pivot: a dispatched macro",
    r"\bcolumns\s*\(": "columns(*) star expressions",
    r"\*\s*(exclude|replace)\s*\(": "select * exclude / replace",
    r"\barg_(max|min)\s*\(": "arg_max / arg_min: row_number() in a CTE",
    r"\bstruct_pack\s*\(": "struct_pack",
    r"\bregexp_(matches|full_match)\s*\(": "regexp_matches: a dispatched macro",
    r"\b(str_split|string_split)\s*\(": "string_split: split_part",
    r"\bstrpos\s*\(": "strpos: a dispatched macro",
    r"\bformat\s*\(": "format(): concat",
    r"\bquantile\w*\s*\(": "quantile: a dispatched macro",
    r"\bunnest\s*\(": "unnest: a dispatched macro",
    r"\bgenerate_series\s*\(": "generate_series: a dispatched macro",
    r"\bread_(parquet|csv|csv_auto|json)\s*\(": "DuckDB table functions: a source",
    r"\b(date_diff|datediff|date_add|date_sub|to_timestamp)\s*\(": "date functions whose arguments differ",
    r"\b(positional|asof)\s+join\b": "positional / asof joins",
    r"\b(group|order)\s+by\s+all\b": "group by all / order by all: name the columns",
    r"//": "`//` integer division: floor(a / b)",
    r"\^": "`^` (power in DuckDB, xor in Spark): power()",
    r"\bas\s+(varchar|text)\b(?!\s*\()": "length-less varchar: dbt.type_string()",
    r"\bas\s+(hugeint|ubigint|uinteger|usmallint|utinyint|blob|timestamptz)\b": "DuckDB-only types",
}

#: Spark syntax that DuckDB does not have (or reads otherwise).
SPARK_ONLY: dict[str, str] = {
    r"\bxxhash64\s*\(": "xxhash64: key_hash",
    r"\bcollect_(list|set)\s*\(": "collect_list / collect_set",
    r"\barray_join\s*\(": "array_join",
    r"\bnamed_struct\s*\(": "named_struct",
    r"\bstack\s*\(": "stack()",
    r"\bexplode\w*\s*\(": "explode",
    r"\bsha2\s*\(": "sha2",
    r"\brlike\b": "rlike",
    r"\blateral\s+view\b": "lateral view",
    r"->": "lambdas",
}

_MACRO_BLOCK = re.compile(r"\{%-?\s*(macro|test)\s+(\w+).*?%\}(.*?)\{%-?\s*end(?:macro|test)\s*-?%\}", re.S)
_DISPATCH = re.compile(r"adapter\.dispatch\(\s*'(\w+)'")


def strip_to_sql(text: str) -> str:
    """The SQL a reader sees: no comments, no string literals, no Jinja (expressions become `x`)."""
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " x ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"--[^\n]*", " ", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def violations(sql: str, forbidden: dict[str, str]) -> list[str]:
    found = []
    for line_number, line in enumerate(sql.splitlines(), start=1):
        for pattern, advice in forbidden.items():
            if re.search(pattern, line, flags=re.I):
                found.append(f"line {line_number}: {line.strip()!r} ({advice})")
    return found


def macro_blocks(text: str) -> list[tuple[str, str]]:
    """(name, body) of every macro and generic test of a macro file."""
    return [(match.group(2), match.group(3)) for match in _MACRO_BLOCK.finditer(text)]


def outside_engine_macros(text: str) -> dict[str, str]:
    """Which syntax each part of a macro file may use: {'portable': …, 'duckdb': …, 'spark': …}."""
    parts = {"portable": "", "duckdb": "", "spark": ""}
    for name, body in macro_blocks(text):
        engine = name.split("__", 1)[0] if "__" in name else ""
        parts[engine if engine in ENGINES else "portable"] += strip_to_sql(body) + "\n"
    return parts


def test_models_hold_no_engine_specific_syntax() -> None:
    problems = []
    for path in sorted(MODELS.rglob("*.sql")):
        sql = strip_to_sql(path.read_text(encoding="utf-8"))
        for problem in violations(sql, DUCKDB_ONLY) + violations(sql, SPARK_ONLY):
            problems.append(f"{path.relative_to(REPO)} {problem}")
    assert problems == [], "engine-specific SQL in models (move it to a dispatched macro):\n" + "\n".join(problems)


def test_macros_hold_engine_syntax_only_in_that_engines_implementation() -> None:
    problems = []
    for path in sorted(MACROS.rglob("*.sql")):
        parts = outside_engine_macros(path.read_text(encoding="utf-8"))
        checks = {
            "portable": {**DUCKDB_ONLY, **SPARK_ONLY},
            "duckdb": SPARK_ONLY,
            "spark": DUCKDB_ONLY,
        }
        for part, forbidden in checks.items():
            for problem in violations(parts[part], forbidden):
                problems.append(f"{path.relative_to(REPO)} ({part} macros) {problem}")
    assert problems == [], "engine-specific SQL outside its engine's macro:\n" + "\n".join(problems)


def test_every_dispatched_macro_has_both_engines() -> None:
    implementations: dict[str, str] = {}
    dispatched: set[str] = set()
    for path in MACROS.rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        dispatched |= set(_DISPATCH.findall(text))
        implementations |= dict(macro_blocks(text))
    assert {"key_hash", "test_not_null_columns", "ordered_string_agg", "replace_periods_config"} <= dispatched
    missing = []
    for name in sorted(dispatched):
        default = implementations.get(f"default__{name}", "")
        portable_default = default and "raise_compiler_error" not in default
        for engine in ENGINES:
            if f"{engine}__{name}" not in implementations and not portable_default:
                missing.append(f"{engine}__{name}")
    assert missing == [], f"dispatched macros without an implementation: {missing}"


@pytest.mark.parametrize(
    "snippet",
    [
        "select a::integer from t",
        "select string_agg(a, ',') from t",
        "select list(a) from t",
        "select * from t qualify row_number() over (order by a) = 1",
        "select hash(a, b) from t",
        "select md5(a) from t",
        "select epoch(ts) from t",
        "select strftime(ts, '%Y') from t",
        "unpivot t on columns(*) into name k value v",
        "select * exclude (a) from t",
        "select arg_max(a, b) from t",
        "select a // 2 from t",
        "select cast(a as varchar) from t",
        "select {{ dbt.listagg('a', \"','\", 'order by a') }} from t",
    ],
)
def test_the_scan_catches_duckdb_only_syntax(snippet: str) -> None:
    sql = strip_to_sql(snippet.replace("{{ dbt.listagg", "dbt.listagg").replace(") }}", ")"))
    assert violations(sql, DUCKDB_ONLY), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "-- a comment with :: and string_agg( and hash(",
        "select 'a::b // c' as literal from t",
        "select {{ key_hash(['a', 'b']) }} from t",
        "select xxhash64_like_name from t",
        "select cast(a as {{ dbt.type_string() }}), cast(b as varchar(10)) from t",
        "{{ config(materialized='incremental', **replace_periods_config(['year'])) }}",
    ],
)
def test_the_scan_ignores_comments_literals_and_jinja(snippet: str) -> None:
    assert violations(strip_to_sql(snippet), {**DUCKDB_ONLY, **SPARK_ONLY}) == [], snippet
