"""The raw schema: customs rows of every vintage, the vintage registry, and rejected rows."""

from __future__ import annotations

import duckdb

from orchestration.checksums import sha256_of

__all__ = ["ensure_raw_schema", "is_known", "next_ids", "sha256_of"]

RAW_SCHEMA_DDL = """
create schema if not exists raw;

create table if not exists raw.vintages (
    vintage_id        integer primary key,
    file_name         varchar not null,
    member_name       varchar,
    packaging         varchar not null,
    sha256            varchar not null unique,
    size_bytes        bigint not null,
    encoding          varchar not null,
    line_count        bigint not null,
    row_count         bigint not null,
    rejected_count    bigint not null,
    publication_order integer not null,
    ingested_at       timestamp not null,
    archived_path     varchar not null
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
    raw_line    varchar
);
"""


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables if this warehouse is new."""
    con.execute(RAW_SCHEMA_DDL)


def is_known(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    """Was a byte-identical file already ingested?"""
    row = con.execute("select count(*) from raw.vintages where sha256 = ?", [sha256]).fetchone()
    return bool(row and row[0])


def next_ids(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The next vintage id and publication order."""
    row = con.execute(
        "select coalesce(max(vintage_id), 0) + 1, coalesce(max(publication_order), 0) + 1 from raw.vintages"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
