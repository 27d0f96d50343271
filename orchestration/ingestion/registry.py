"""The raw schema: every file received, every vintage of data, its rows, rejects and euros, and labels.

- `received_files`: each file of the drop zone ever ingested (sha256 of its bytes), kept as
  received in the raw archive; `file_members`: what each file holds (itself when it is not an
  archive): data, labels or other, with the content's sha256.
- `vintages`: one per distinct data content (the sha256 of the data text): a re-zipped or
  extracted copy of a known file is the same vintage. `publication_order` ranks them
  (`order_vintages`).
- `customs_flows`: the readable rows of every vintage; `rejected_rows`: the unreadable ones,
  with every reason and, where it can be read, their period and value.
- `vintage_reconciliation`: per vintage, flow and quarter, the lines and euros of the file, of
  the kept rows and of the rejected ones (null period: lines whose period cannot be read).
- `vintage_codes`: per vintage, every code its rows carry (départements with the région they
  carry, A129, CPF4 with the A129 they carry, countries), with rows and euros: what the marts
  check against the label lists (unknown codes are kept and reported, never rejected).
- `label_files` / `labels`: the label lists shipped with the data.
"""

from __future__ import annotations

import duckdb

from orchestration.checksums import sha256_of
from orchestration.errors import ComexError

__all__ = ["RAW_SCHEMA_VERSION", "ensure_raw_schema", "order_vintages", "sha256_of"]

#: Bumped when the raw tables change shape; a warehouse of another version is refused with a hint.
RAW_SCHEMA_VERSION = 2

RAW_SCHEMA_DDL = """
create schema if not exists raw;

create table if not exists raw.schema_version (version integer not null);

create table if not exists raw.received_files (
    file_id       integer primary key,
    file_name     varchar not null,
    sha256        varchar not null unique,
    size_bytes    bigint not null,
    received_at   timestamp not null,
    archived_path varchar  -- null: the file brought no new vintage (labels, documentation, a known text)
);

create table if not exists raw.file_members (
    file_id        integer not null,
    member_name    varchar,
    kind           varchar not null,
    detail         varchar not null,
    sha256         varchar,
    size_bytes     bigint not null,
    modified_at    timestamp,
    vintage_id     integer,
    label_file_id  integer
);

create table if not exists raw.vintages (
    vintage_id         integer primary key,
    file_name          varchar not null,
    member_name        varchar,
    packaging          varchar not null,
    sha256             varchar not null unique,
    size_bytes         bigint not null,
    encoding           varchar not null,
    header_lines       integer not null,
    line_count         bigint not null,
    row_count          bigint not null,
    rejected_count     bigint not null,
    value_eur          bigint not null,
    kept_eur           bigint not null,
    rejected_eur       bigint not null,
    duplicate_lines    bigint not null,
    published_at       timestamp,
    coverage_end       integer not null,
    publication_order  integer not null,
    revisions_accepted boolean not null,
    ingested_at        timestamp not null,
    archived_path      varchar not null
);

create table if not exists raw.vintage_periods (
    vintage_id integer not null,
    flux       varchar not null,
    annee      integer not null,
    trimestre  integer not null,
    row_count  bigint not null,
    valeur     bigint not null,
    primary key (vintage_id, flux, annee, trimestre)
);

create table if not exists raw.vintage_reconciliation (
    vintage_id     integer not null,
    flux           varchar,
    annee          integer,
    trimestre      integer,
    line_count     bigint not null,
    value_eur      bigint not null,
    kept_rows      bigint not null,
    kept_eur       bigint not null,
    rejected_rows  bigint not null,
    rejected_eur   bigint not null
);

create table if not exists raw.vintage_codes (
    vintage_id  integer not null,
    kind        varchar not null,
    code        varchar not null,
    parent_code varchar,
    row_count   bigint not null,
    value_eur   bigint not null
);

-- Per vintage, its kept rows that repeat an earlier row's grain (flow, year, quarter, département,
-- A129, CPF4, country): 0 lets fct_trade_flows take its rows as they are, without summing them.
-- (Added without a new schema version: a vintage ingested before has no row here, and is summed.)
create table if not exists raw.vintage_grain (
    vintage_id    integer primary key,
    repeated_rows bigint not null
);

create table if not exists raw.customs_flows (
    vintage_id       integer not null,
    line_number      bigint not null,
    flux             varchar not null,
    trimestre        tinyint not null,
    annee            smallint not null,
    code_departement varchar not null,
    code_region      varchar not null,
    code_a129        varchar not null,
    code_cpf4        varchar not null,
    code_pays        varchar not null,
    valeur           bigint not null,
    masse            bigint not null
);

create table if not exists raw.rejected_rows (
    vintage_id  integer not null,
    file_name   varchar not null,
    line_number bigint not null,
    reason      varchar not null,
    raw_line    varchar,
    flux        varchar,
    annee       integer,
    trimestre   integer,
    valeur      bigint
);

create table if not exists raw.label_files (
    label_file_id integer primary key,
    kind          varchar not null,
    file_name     varchar not null,
    member_name   varchar,
    sha256        varchar not null unique,
    encoding      varchar not null,
    header_lines  integer not null,
    published_at  timestamp,
    row_count     bigint not null,
    ingested_at   timestamp not null
);

create table if not exists raw.labels (
    label_file_id integer not null,
    kind          varchar not null,
    code          varchar not null,
    label         varchar not null,
    valid_from    integer not null,
    valid_to      integer not null,
    parent_code   varchar,
    parent_label  varchar
);
"""


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables if this warehouse is new; refuse one of another raw schema."""
    old = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'vintages'"
    ).fetchone()
    has_version = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'schema_version'"
    ).fetchone()
    if old and old[0] and not (has_version and has_version[0]):
        raise ComexError(
            "this warehouse was built by an earlier comex (raw schema 1, vintages identified by file bytes): "
            "move it aside and refresh again; every file it ingested is kept in its raw_archive/ folder"
        )
    con.execute(RAW_SCHEMA_DDL)
    # Only files that bring a new vintage are archived (earlier warehouses archived them all).
    con.execute("alter table raw.received_files alter column archived_path drop not null")
    row = con.execute("select max(version) from raw.schema_version").fetchone()
    if row is None or row[0] is None:
        con.execute("insert into raw.schema_version values (?)", [RAW_SCHEMA_VERSION])
    elif row[0] != RAW_SCHEMA_VERSION:
        raise ComexError(f"this warehouse has raw schema {row[0]}; this comex reads schema {RAW_SCHEMA_VERSION}")


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    row = con.execute(f"select coalesce(max({column}), 0) + 1 from raw.{table}").fetchone()
    assert row is not None
    return int(row[0])


def received_sha256(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The sha256 of every file received before."""
    return frozenset(row[0] for row in con.execute("select sha256 from raw.received_files").fetchall())


def file_known(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    """Was a file with these bytes received before?"""
    row = con.execute("select count(*) from raw.received_files where sha256 = ?", [sha256]).fetchone()
    return bool(row and row[0])


def vintage_with(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The vintage whose data text has this sha256, if any."""
    row = con.execute("select vintage_id from raw.vintages where sha256 = ?", [sha256]).fetchone()
    return int(row[0]) if row else None


def label_file_with(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    row = con.execute("select label_file_id from raw.label_files where sha256 = ?", [sha256]).fetchone()
    return int(row[0]) if row else None


#: Publication order (see README, "Using the real DGDDI files"). A vintage's date is the
#: timestamp DGDDI wrote on its data member in the archive. A bare text file has none: it takes
#: the date of the newest dated vintage whose coverage ends no later than its own (it is at least
#: as recent as what it extends), or comes before every dated one when there is none. Equal
#: dates: the vintage whose coverage ends later is later; then the one that arrived later.
ORDER_VINTAGES_SQL = """
update raw.vintages as v set publication_order = o.publication_order
from (
    select
        u.vintage_id,
        row_number() over (
            order by
                coalesce(
                    u.published_at,
                    (select max(d.published_at) from raw.vintages as d
                     where d.published_at is not null and d.coverage_end <= u.coverage_end)
                ) nulls first,
                u.coverage_end,
                u.vintage_id
        ) as publication_order
    from raw.vintages as u
) as o
where v.vintage_id = o.vintage_id
"""


def order_vintages(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every vintage by publication (ORDER_VINTAGES_SQL)."""
    con.execute(ORDER_VINTAGES_SQL)
