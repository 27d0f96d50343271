"""Ingest the customs files of a drop zone into the raw schema, one vintage per new file."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.errors import StructuralError
from orchestration.ingestion import archives, decoding, registry, validation
from orchestration.ingestion.reference_codes import load_reference_codes
from orchestration.ingestion.sources import CustomsSource, discover
from orchestration.settings import SEEDS_DIR

#: A file is structurally broken (not merely dirty) when more than this share of its lines
#: do not have the 10 DGDDI fields.
STRUCTURAL_FIELD_COUNT_SHARE = 0.5

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestedFile:
    """One new vintage."""

    vintage_id: int
    file_name: str
    sha256: str
    encoding: str
    rows: int
    rejected: int
    periods: list[str]


@dataclass
class IngestionReport:
    """What a pass over the drop zone did."""

    ingested: list[IngestedFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.ingested)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.ingested)


def ingest_drop_zone(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    archive_dir: Path,
    *,
    seeds_dir: Path = SEEDS_DIR,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
) -> IngestionReport:
    """Ingest every new customs file of `raw_dir` in one transaction (all or nothing)."""
    registry.ensure_raw_schema(con)
    sources = discover(raw_dir)
    report = IngestionReport()
    if not sources:
        return report
    load_reference_codes(con, seeds_dir)
    max_year = (today or dt.date.today()).year
    archive_dir.mkdir(parents=True, exist_ok=True)
    con.execute("begin transaction")
    try:
        first_new_id: int | None = None
        for index, source in enumerate(sources, start=1):
            if progress:
                progress(source.name, index, len(sources))
            sha256 = registry.sha256_of(source.path)
            if registry.is_known(con, sha256):
                report.unchanged.append(source.name)
                continue
            ingested = _ingest_one(con, source, sha256, archive_dir, max_year)
            first_new_id = first_new_id or ingested.vintage_id
            report.ingested.append(ingested)
        if first_new_id is not None:
            _order_batch(con, first_new_id)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return report


def _ingest_one(
    con: duckdb.DuckDBPyConnection, source: CustomsSource, sha256: str, archive_dir: Path, max_year: int
) -> IngestedFile:
    with tempfile.TemporaryDirectory(prefix="comex-ingest-") as tmp:
        text_path, member_name, encoding = _readable_text(source, Path(tmp))
        if text_path.stat().st_size == 0:
            raise StructuralError(source.path, "empty file: no customs rows")
        for view in ("checked_lines", "staged_fields"):
            con.execute(f"drop view if exists {view}")
        for table in ("staged_lines", "staged_fields", "raw_lines", "raw_fields", "rejected_lines"):
            con.execute(f"drop table if exists {table}")
        vintage_id, order = registry.next_ids(con)
        counts = _stage_and_check(con, text_path, source, max_year, vintage_id)
    _refuse_structurally_broken(source, counts)
    validation.store_rejected_and_periods(
        con,
        vintage_id=vintage_id,
        file_name=source.name,
        expected_flux=source.expected_flux,
        max_year=max_year,
        any_rejected=counts.valid < counts.lines,
    )
    archived = _archive(source.path, sha256, archive_dir)
    con.execute(
        "insert into raw.vintages values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            vintage_id, source.name, member_name, str(source.packaging), sha256,
            source.path.stat().st_size, encoding, counts.lines, counts.valid,
            counts.lines - counts.valid, order, dt.datetime.now(dt.UTC).replace(tzinfo=None), str(archived),
        ],
    )  # fmt: skip
    periods = con.execute(
        "select flux || ' ' || annee || 'Q' || trimestre from raw.vintage_periods "
        "where vintage_id = ? order by flux, annee, trimestre",
        [vintage_id],
    ).fetchall()
    return IngestedFile(
        vintage_id, source.name, sha256, encoding, counts.valid, counts.lines - counts.valid, [p[0] for p in periods]
    )


_READ_LINES = (
    "create or replace temp table staged_lines as "
    "select rowid - (select min(rowid) from raw_lines) + 1 as line_number, line from raw_lines"
)
_LINES_CSV = (
    "read_csv(?, columns = {'line': 'varchar'}, delim = chr(31), quote = '', escape = '', "
    "header = false, auto_detect = false, strict_mode = false)"
)
_FIELDS = ", ".join(f"'f{i}': 'varchar'" for i in range(1, 11))
_FIELDS_CSV = (
    f"read_csv(?, columns = {{{_FIELDS}, 'extra': 'varchar'}}, delim = ';', quote = '', escape = '', "
    "header = false, auto_detect = false, strict_mode = false, null_padding = true, nullstr = chr(1))"
)


def _stage_and_check(
    con: duckdb.DuckDBPyConnection, text_path: Path, source: CustomsSource, max_year: int, vintage_id: int
) -> validation.LineCounts:
    """Read the file as fields, keep the valid lines, and explain the rejected ones.

    DuckDB's CSV reader splits the fields (fast path); it skips blank lines, so a file that has
    some is split line by line instead, to keep line numbers exact. Rowids are consecutive in
    file order (insertion order is preserved); inside a transaction they start at an offset,
    hence the subtraction.
    """
    if decoding.has_blank_lines(text_path):
        _stage_lines(con, text_path)
        fields = ", ".join(f"f[{i}] as f{i}" for i in range(1, 11))
        con.execute(
            "create or replace temp table staged_fields as select line_number, "
            f"{fields}, f[11] as extra from (select line_number, "
            "string_split(coalesce(rtrim(line, chr(13)), ''), ';') as f from staged_lines)"
        )
    else:
        con.execute(f"create or replace temp table raw_fields as select * from {_FIELDS_CSV}", [str(text_path)])
        con.execute(
            "create or replace temp view staged_fields as "
            "select rowid - (select min(rowid) from raw_fields) + 1 as line_number, * from raw_fields"
        )
    lines, valid = validation.check_and_store(
        con, vintage_id=vintage_id, expected_flux=source.expected_flux, max_year=max_year
    )
    wrong, first_wrong = 0, None
    if valid < lines:
        if not _exists(con, "staged_lines"):
            _stage_lines(con, text_path)
        wrong, first_wrong = validation.explain_rejections(con)
    return validation.LineCounts(lines, valid, wrong, first_wrong)


def _stage_lines(con: duckdb.DuckDBPyConnection, text_path: Path) -> None:
    con.execute(f"create or replace temp table raw_lines as select line from {_LINES_CSV}", [str(text_path)])
    con.execute(_READ_LINES)


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute("select count(*) from duckdb_tables() where table_name = ? and temporary", [table]).fetchone()
    return bool(row and row[0])


def _readable_text(source: CustomsSource, tmp: Path) -> tuple[Path, str | None, str]:
    """A UTF-8 text file DuckDB can read, the zip member it came from, and the detected encoding."""
    member_name = None
    text_path = source.path
    if source.path.suffix.lower() == ".zip":
        member = archives.data_member(source.path)
        member_name = member.filename
        text_path = archives.extract_member(source.path, member, tmp / "member.txt")
    encoding = decoding.detect_encoding(text_path)
    if decoding.needs_transcoding(encoding):
        text_path = decoding.transcode_to_utf8(text_path, tmp / "utf8.txt", encoding)
    return text_path, member_name, encoding


def _refuse_structurally_broken(source: CustomsSource, counts: validation.LineCounts) -> None:
    if counts.lines == 0:
        raise StructuralError(source.path, "empty file: no customs rows")
    if counts.wrong_field_count > STRUCTURAL_FIELD_COUNT_SHARE * counts.lines:
        raise StructuralError(
            source.path,
            f"not a DGDDI regional file: {counts.wrong_field_count:,} of {counts.lines:,} lines do not have "
            f"{validation.EXPECTED_FIELDS} ';'-separated fields",
            line=counts.first_wrong_line,
        )


def _archive(path: Path, sha256: str, archive_dir: Path) -> Path:
    """Keep the file exactly as received, content-addressed (hard link when possible)."""
    target = archive_dir / f"{sha256[:16]}-{path.name}"
    if not target.exists():
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    return target


def _order_batch(con: duckdb.DuckDBPyConnection, first_new_id: int) -> None:
    """Within one batch, a file covering later quarters counts as published later.

    Earlier batches always precede this one; ties keep the file-name order of ingestion.
    """
    con.execute(
        """
        update raw.vintages as v set publication_order = o.new_order
        from (
            select v2.vintage_id,
                (select coalesce(max(publication_order), 0) from raw.vintages where vintage_id < $first)
                + row_number() over (
                    order by max(p.annee * 10 + p.trimestre) nulls first, v2.vintage_id
                ) as new_order
            from raw.vintages as v2
            left join raw.vintage_periods as p on p.vintage_id = v2.vintage_id
            where v2.vintage_id >= $first
            group by v2.vintage_id
        ) as o
        where v.vintage_id = o.vintage_id
        """,
        {"first": first_new_id},
    )
