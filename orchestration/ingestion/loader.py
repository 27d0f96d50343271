"""Ingest the files of a drop zone into the raw schema: new data as vintages, labels, the rest listed.

One transaction for the whole drop zone (all or nothing). A file already received (same bytes)
is skipped at once. Each new file is read piece by piece (itself, or each archive member):
- data whose text is a known vintage (a re-zipped or extracted copy) adds nothing;
- new data becomes a vintage: its readable rows in `raw.customs_flows`, the unreadable ones in
  `raw.rejected_rows`, its euros reconciled per flow and quarter;
- a new label list is stored with the date it was published (its member's timestamp);
- anything else is listed in `raw.file_members` and otherwise ignored.
Then vintages are ranked by publication (`registry.order_vintages`). While DuckDB reads a
file, the next one is hashed and unzipped ahead (`prefetch.ReadAhead`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration import raw_archive
from orchestration import text_decoding as decoding
from orchestration.errors import ComexError
from orchestration.ingestion import archives, registry, validation
from orchestration.ingestion.drop_zone import Piece, received_files
from orchestration.ingestion.labels import parse_labels
from orchestration.ingestion.prefetch import DataText, PreparedFile, ReadAhead
from orchestration.ingestion.sniff import Kind

#: A file is structurally broken (not merely dirty) when more than this share of its lines
#: do not have the 10 DGDDI fields.
STRUCTURAL_FIELD_COUNT_SHARE = 0.5
#: A file whose lines are copies of earlier lines for at least this share repeats itself
#: (pasted twice): refused, its euros would count twice.
REPEATED_LINES_SHARE = 0.5
_FLOWS = {"E": "export", "I": "import"}

ProgressCallback = Callable[[str, int, int], None]


class NoDataError(ComexError):
    """The drop zone holds no DGDDI data file, and the warehouse none either."""


@dataclass(frozen=True)
class IngestedFile:
    """One new vintage."""

    vintage_id: int
    file_name: str  # `file` or `file (member)`
    sha256: str
    encoding: str
    rows: int
    rejected: int
    periods: list[str]
    value_eur: int = 0
    rejected_eur: int = 0
    duplicate_lines: int = 0


@dataclass
class IngestionReport:
    """What a pass over the drop zone did."""

    ingested: list[IngestedFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # files received before (same bytes)
    known_content: list[str] = field(default_factory=list)  # data already held (a copy of a vintage)
    labels: list[str] = field(default_factory=list)  # new label lists
    other: list[str] = field(default_factory=list)  # neither data nor labels: listed, ignored

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
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
    accept_revisions: bool = False,
) -> IngestionReport:
    """Ingest every new file of `raw_dir` in one transaction (all or nothing)."""
    registry.ensure_raw_schema(con)
    files = received_files(raw_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    capped: set[str] = set()  # data texts with a line too long for DuckDB's reader: cut first
    while True:
        report = IngestionReport()
        reader = _Reader(con, archive_dir, (today or dt.date.today()).year, accept_revisions, report, capped)
        con.execute("begin transaction")
        try:
            with ReadAhead(files, registry.received_sha256(con)) as ahead:
                for index, file in enumerate(files):
                    if progress:
                        progress(file.name, index + 1, len(files))
                    prepared = ahead.take(index)
                    try:
                        reader.read(prepared)
                    finally:
                        prepared.close()
            if report.ingested:
                registry.order_vintages(con)
            if not _holds_data(con):
                raise NoDataError(
                    f"no DGDDI data file in {raw_dir}: drop the annual zips (Regional-YYYY-export.zip, "
                    "Regional-YYYY-import.zip) or the last publication (REGIONAL_CPF4PAYSE/I) there, "
                    "or run `comex fetch`"
                )
            con.execute("commit")
            return report
        except _OverlongLine as overlong:
            _rollback(con)  # DuckDB aborts the transaction on a reader error: start again
            capped.add(overlong.sha256)
        except BaseException:
            _rollback(con)
            raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll the pass back; when DuckDB already ended the transaction (an I/O error: disk full),
    say nothing, so that the error being raised is the one the operator reads."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("rollback")


class _OverlongLine(Exception):  # noqa: N818 (a signal, not an error)
    """A data text has a line longer than DuckDB's CSV reader takes: cut it, then read again."""

    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256


def _holds_data(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("select count(*) from raw.vintages").fetchone()
    return bool(row and row[0])


class _Reader:
    """Reads the files of one ingestion pass into the open transaction."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        archive_dir: Path,
        max_year: int,
        accept_revisions: bool,
        report: IngestionReport,
        capped: set[str],
    ) -> None:
        self.con = con
        self.capped = capped
        self.archive_dir = archive_dir
        self.max_year = max_year
        self.accept_revisions = accept_revisions
        self.report = report
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def read(self, prepared: PreparedFile) -> None:
        file, sha256 = prepared.file, prepared.sha256
        if prepared.known or registry.file_known(self.con, sha256):
            self.report.unchanged.append(file.name)
            return
        file_id = registry.next_id(self.con, "received_files", "file_id")
        archived: Path | None = None  # kept only when the file brings a new vintage
        with tempfile.TemporaryDirectory(prefix="comex-ingest-") as tmp:
            for piece in prepared.pieces():
                if piece.sniffed.kind is Kind.DATA:
                    archived = self._data(file_id, piece, prepared, archived, Path(tmp))
                elif piece.sniffed.kind is Kind.LABELS:
                    self._labels(file_id, piece, sha256)
                else:
                    self._member(file_id, piece, None)
                    self.report.other.append(f"{piece.label}: {piece.sniffed.detail}")
        self.con.execute(
            "insert into raw.received_files values (?, ?, ?, ?, ?, ?)",
            [file_id, file.name, sha256, file.path.stat().st_size, self.now, archived and str(archived)],
        )

    def _member(
        self,
        file_id: int,
        piece: Piece,
        sha256: str | None,
        vintage_id: int | None = None,
        label_file_id: int | None = None,
    ) -> None:
        self.con.execute(
            "insert into raw.file_members values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                file_id, piece.member_name, str(piece.sniffed.kind), piece.sniffed.detail, sha256, piece.size,
                piece.member.modified_at if piece.member else None, vintage_id, label_file_id,
            ],
        )  # fmt: skip

    def _data(
        self, file_id: int, piece: Piece, prepared: PreparedFile, archived: Path | None, tmp: Path
    ) -> Path | None:
        """Read one data piece (a new vintage, or a known one); the file's archived path so far."""
        text = prepared.data_text(piece)  # a loose file's text is its bytes
        try:
            if (known := registry.vintage_with(self.con, text.sha256)) is not None:
                self._member(file_id, piece, text.sha256, vintage_id=known)
                self.report.known_content.append(piece.label)
                return archived
            archived = archived or raw_archive.stage(piece.file.path, prepared.sha256, self.archive_dir)
            vintage = self._new_vintage(piece, text, archived, tmp)
            self._member(file_id, piece, text.sha256, vintage_id=vintage.vintage_id)
            self.report.ingested.append(vintage)
            return archived
        finally:
            prepared.done_with(piece)

    def _new_vintage(self, piece: Piece, data: DataText, archived: Path, tmp: Path) -> IngestedFile:
        con = self.con
        text, sha256 = data.path, data.sha256
        encoding, blank_lines = data.facts.encoding, data.facts.has_blank_lines
        if decoding.needs_transcoding(encoding):
            text = decoding.transcode_to_utf8(text, tmp / "utf8.txt", encoding)
        if blank_lines is None:  # the text DuckDB reads: transcoded, without its BOM
            blank_lines = decoding.has_blank_lines(text)
        if sha256 in self.capped:
            text = decoding.cap_line_length(text, tmp / "capped.txt")
        vintage_id = registry.next_id(con, "vintages", "vintage_id")
        try:
            counts, facts = _stage_and_check(
                con, text, piece.sniffed.header_lines, self.max_year, vintage_id, piece.hint.flux,
                blank_lines=blank_lines,
            )  # fmt: skip
        except duckdb.InvalidInputException as exc:
            if "line size" in str(exc) and sha256 not in self.capped:
                raise _OverlongLine(sha256) from exc
            raise
        _refuse_broken(piece, counts, facts)
        validation.store_vintage_facts(
            con, vintage_id=vintage_id, file_name=piece.label, max_year=self.max_year,
            any_rejected=counts.valid < counts.lines,
        )  # fmt: skip
        totals = con.execute(
            "select coalesce(sum(value_eur), 0), coalesce(sum(kept_eur), 0), coalesce(sum(rejected_eur), 0), "
            "max(annee * 4 + trimestre) filter (where kept_rows > 0) "
            "from raw.vintage_reconciliation where vintage_id = ?",
            [vintage_id],
        ).fetchone()
        assert totals is not None
        value_eur, kept_eur, rejected_eur, coverage_end = (int(totals[0]), int(totals[1]), int(totals[2]), totals[3])
        con.execute(
            "insert into raw.vintages values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                vintage_id, piece.file.name, piece.member_name, str(piece.hint.packaging), sha256, piece.size,
                encoding, piece.sniffed.header_lines, counts.lines, counts.valid, counts.lines - counts.valid,
                value_eur, kept_eur, rejected_eur, facts.duplicate_lines,
                piece.member.modified_at if piece.member else None, coverage_end or 0, vintage_id,
                self.accept_revisions, self.now, str(archived),
            ],
        )  # fmt: skip
        con.execute("insert into raw.vintage_grain values (?, ?)", [vintage_id, facts.repeated_grain_rows])
        periods = con.execute(
            "select flux || ' ' || annee || 'Q' || trimestre from raw.vintage_periods "
            "where vintage_id = ? order by flux, annee, trimestre",
            [vintage_id],
        ).fetchall()
        return IngestedFile(
            vintage_id, piece.label, sha256, encoding, counts.valid, counts.lines - counts.valid,
            [p[0] for p in periods], value_eur, rejected_eur, facts.duplicate_lines,
        )  # fmt: skip

    def _labels(self, file_id: int, piece: Piece, file_sha256: str) -> None:
        if piece.member:
            data = archives.read_member(piece.file.path, piece.member, piece.file.name)
            sha256 = hashlib.sha256(data).hexdigest()
        else:
            data, sha256 = piece.file.path.read_bytes(), file_sha256
        known = registry.label_file_with(self.con, sha256)
        if known is None:
            known = registry.next_id(self.con, "label_files", "label_file_id")
            rows, encoding = parse_labels(data, piece.sniffed.detail, piece.sniffed.header_lines)
            self.con.execute(
                "insert into raw.label_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    known, piece.sniffed.detail, piece.file.name, piece.member_name, sha256, encoding,
                    piece.sniffed.header_lines, piece.member.modified_at if piece.member else None, len(rows),
                    self.now,
                ],
            )  # fmt: skip
            self.con.executemany(
                "insert into raw.labels values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (known, piece.sniffed.detail, r.code, r.label, r.valid_from, r.valid_to, r.parent_code,
                     r.parent_label)
                    for r in rows
                ],
            )  # fmt: skip
            self.report.labels.append(f"{piece.label}: {piece.sniffed.detail}, {len(rows)} codes")
        self._member(file_id, piece, sha256, label_file_id=known)


_LINES_CSV = (
    "read_csv(?, columns = {'line': 'varchar'}, delim = chr(31), quote = '', escape = '', "
    "header = false, auto_detect = false, strict_mode = false)"
)
_FIELDS = ", ".join(f"'f{i}': 'varchar'" for i in range(1, 11))
_FIELDS_CSV = (
    f"read_csv(?, columns = {{{_FIELDS}, 'extra': 'varchar'}}, delim = ';', quote = '', escape = '', "
    "header = false, auto_detect = false, strict_mode = false, null_padding = true, nullstr = chr(1), skip = ?)"
)


def _stage_and_check(
    con: duckdb.DuckDBPyConnection,
    text_path: Path,
    header_lines: int,
    max_year: int,
    vintage_id: int,
    expected_flux: str | None,
    *,
    blank_lines: bool,
) -> tuple[validation.LineCounts, validation.FileFacts]:
    """Read the file as fields, keep the readable lines, and explain the rejected ones.

    DuckDB's CSV reader splits the fields (fast path); it skips blank lines, so a file that has
    some (`blank_lines`, of the UTF-8 text read here: capping keeps every line) is split line by
    line instead, to keep line numbers exact. Rowids are consecutive in file order
    (insertion order is preserved); inside a transaction they start at an offset, hence the
    subtraction.
    """
    for view in ("checked_lines", "staged_fields"):
        con.execute(f"drop view if exists {view}")
    for table in ("staged_lines", "staged_fields", "raw_lines", "raw_fields", "rejected_lines"):
        con.execute(f"drop table if exists {table}")
    _stage_fields(con, text_path, header_lines, blank_lines=blank_lines)
    lines, valid = validation.check_and_store(con, vintage_id=vintage_id, max_year=max_year)
    counts = validation.LineCounts(lines, valid, 0, None)
    if valid < lines:
        if not _exists(con, "staged_lines"):
            _stage_lines(con, text_path, header_lines)
        explained = validation.explain_rejections(con, max_year)
        counts = validation.LineCounts(
            lines, valid, explained.wrong_field_count, explained.first_wrong_line,
            explained.commonest_reason, explained.commonest_reason_lines,
        )  # fmt: skip
    return counts, validation.file_facts(con, vintage_id, expected_flux)


def _stage_fields(con: duckdb.DuckDBPyConnection, text_path: Path, header_lines: int, *, blank_lines: bool) -> None:
    if blank_lines:
        _stage_lines(con, text_path, header_lines)
        fields = ", ".join(f"f[{i}] as f{i}" for i in range(1, 11))
        con.execute(
            "create or replace temp table staged_fields as select line_number, "
            f"{fields}, f[11] as extra from (select line_number, "
            "string_split(coalesce(rtrim(line, chr(13)), ''), ';') as f from staged_lines)"
        )
    else:
        con.execute(
            f"create or replace temp table raw_fields as select * from {_FIELDS_CSV}", [str(text_path), header_lines]
        )
        con.execute(
            "create or replace temp view staged_fields as select rowid - (select min(rowid) from raw_fields) + 1 "
            f"+ {int(header_lines)} as line_number, * from raw_fields"
        )


def _stage_lines(con: duckdb.DuckDBPyConnection, text_path: Path, header_lines: int) -> None:
    con.execute(f"create or replace temp table raw_lines as select line from {_LINES_CSV}", [str(text_path)])
    con.execute(
        "create or replace temp table staged_lines as select * from (select rowid - (select min(rowid) "
        f"from raw_lines) + 1 as line_number, line from raw_lines) where line_number > {int(header_lines)}"
    )


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute("select count(*) from duckdb_tables() where table_name = ? and temporary", [table]).fetchone()
    return bool(row and row[0])


def _refuse_broken(piece: Piece, counts: validation.LineCounts, facts: validation.FileFacts) -> None:
    """A file that cannot be DGDDI data as a whole is refused, naming the file and line."""
    if counts.lines == 0:
        raise piece.error("empty file: no customs rows")
    if counts.wrong_field_count > STRUCTURAL_FIELD_COUNT_SHARE * counts.lines:
        raise piece.error(
            f"not a DGDDI regional file: {counts.wrong_field_count:,} of {counts.lines:,} lines do not have "
            f"{validation.EXPECTED_FIELDS} ';'-separated fields",
            line=counts.first_wrong_line,
        )
    if counts.valid == 0:
        raise piece.error(
            f"no line could be read ({counts.lines:,} rejected); the commonest reason, on "
            f"{counts.commonest_reason_lines:,} lines: {counts.commonest_reason}"
        )
    if facts.other_flux_lines and piece.hint.flux:
        raise piece.error(
            f"the name says {_FLOWS[piece.hint.flux]} but the file holds {_FLOWS.get(facts.other_flux or '', '?')} "
            f"rows ({facts.other_flux_lines:,} lines of flux '{facts.other_flux}')",
            line=facts.first_other_flux_line,
        )
    if facts.duplicate_lines >= REPEATED_LINES_SHARE * counts.lines:
        raise piece.error(
            f"the file repeats itself: {facts.duplicate_lines:,} of {counts.lines:,} lines are copies of earlier "
            "lines (pasted twice?); its euros would count twice"
        )
