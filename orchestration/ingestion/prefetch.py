"""The next file of the drop zone made ready while DuckDB reads the current one.

Before DuckDB reads a new file, Python hashes it, unzips its data members and reads their
text facts (encoding, blank lines): ~0.45 s for a DGDDI year of one flow. One worker thread
does that for file i+1 while the pass reads file i (DuckDB leaves the GIL free, though rarely
a core: a year's ingestion gains ~0.2 s). A failure is kept and raised when the pass reaches the
file, piece or member it belongs to, so the pass fails as it would have without reading ahead.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from orchestration import text_decoding as decoding
from orchestration.checksums import sha256_of
from orchestration.ingestion import archives
from orchestration.ingestion.drop_zone import Piece, ReceivedFile, pieces
from orchestration.ingestion.sniff import Kind


@dataclass(frozen=True)
class DataText:
    """A data piece's text as DuckDB reads it: where it is, its sha256, what its bytes say."""

    path: Path
    sha256: str
    facts: decoding.TextFacts


@dataclass
class PreparedFile:
    """A received file, hashed; unless received before, its pieces and their data texts."""

    file: ReceivedFile
    sha256: str
    known: bool  # received before (same bytes): nothing else was read
    listed: list[Piece] = field(default_factory=list)
    listing_error: BaseException | None = None  # raised after the pieces listed before it
    texts: dict[str | None, DataText | BaseException] = field(default_factory=dict)  # by member name
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    def pieces(self) -> Iterator[Piece]:
        """The file's pieces in order, then the error that stopped listing them, if any."""
        yield from self.listed
        if self.listing_error is not None:
            raise self.listing_error

    def data_text(self, piece: Piece) -> DataText:
        """The text of a data piece (raises what extracting or reading it raised)."""
        text = self.texts[piece.member_name]
        if isinstance(text, BaseException):
            raise text
        return text

    def done_with(self, piece: Piece) -> None:
        """Remove an extracted member's text once read (a loose file is left where it is)."""
        text = self.texts.get(piece.member_name)
        if piece.member and isinstance(text, DataText):
            text.path.unlink(missing_ok=True)

    def new_text_path(self) -> Path:
        """A path for one more extracted member, in this file's own temporary folder."""
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="comex-ingest-")
        return Path(self._tmp.name) / f"member-{len(self.texts)}.txt"

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def prepare(file: ReceivedFile, known_sha256: frozenset[str]) -> PreparedFile:
    """Hash `file`; unless received before, list its pieces and make each data text ready."""
    sha256 = sha256_of(file.path)
    if sha256 in known_sha256:
        return PreparedFile(file, sha256, known=True)
    prepared = PreparedFile(file, sha256, known=False)
    try:
        for piece in pieces(file):
            prepared.listed.append(piece)
            if piece.sniffed.kind is Kind.DATA:
                prepared.texts[piece.member_name] = _data_text(prepared, piece)
    except Exception as exc:  # raised when the pass reaches it
        prepared.listing_error = exc
    return prepared


def _data_text(prepared: PreparedFile, piece: Piece) -> DataText | BaseException:
    try:
        if piece.member is None:
            return DataText(piece.file.path, prepared.sha256, decoding.read_text_facts(piece.file.path))
        path = prepared.new_text_path()
        sha256 = archives.extract(piece.file.path, piece.member, path, piece.file.name)
        return DataText(path, sha256, decoding.read_text_facts(path))
    except Exception as exc:  # raised when the pass reaches this piece
        return exc


class ReadAhead:
    """Prepared files in order, each one started while the one before it is read."""

    def __init__(self, files: Sequence[ReceivedFile], known_sha256: frozenset[str]) -> None:
        self._files = list(files)
        self._known = known_sha256
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="comex-read-ahead")
        self._futures: dict[int, Future[PreparedFile]] = {}

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        for future in self._futures.values():
            future.cancel()
        self._executor.shutdown(wait=True)
        for future in self._futures.values():
            if future.done() and not future.cancelled() and future.exception() is None:
                future.result().close()

    def take(self, index: int) -> PreparedFile:
        """File `index`, prepared (waits for it), once file `index + 1` is started."""
        future = self._future(index)
        if index + 1 < len(self._files):
            self._future(index + 1)
        prepared = future.result()
        del self._futures[index]
        return prepared

    def _future(self, index: int) -> Future[PreparedFile]:
        if index not in self._futures:
            self._futures[index] = self._executor.submit(prepare, self._files[index], self._known)
        return self._futures[index]
