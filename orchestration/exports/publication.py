"""Atomic publication of an export set: staged aside, swapped in under a journal.

How a set reaches `<exports>/` (and how it survives a kill at any moment):

1. The writer stages the whole set in `<exports>/.staging/` (same filesystem, so every move
   is a rename). Published files are not touched while the run ingests, builds, checks and
   writes: a failed or killed run leaves only `.staging/` behind, deleted by the next run,
   so the previous exports stay byte-identical.
2. Commit point: once every blocking check passed, `<exports>/.publishing.json` (the
   journal) is written atomically (temporary file, fsync, rename). It lists the staged files
   to move in (manifest last), the files of the previous set to remove, and, for a refresh,
   the warehouse working copy to swap in. From then on the publication is decided.
3. Apply: the warehouse is swapped (`os.replace`), each staged file replaces its published
   twin (`os.replace`, atomic per file), obsolete files are removed, then the journal and the
   staging folder are deleted.
4. A kill during step 3 leaves the journal. The next writer (a refresh or `comex export`,
   both under the warehouse writer lock and the exports lock) calls `recover()` before
   anything else: it rolls the publication forward (idempotent: a file already moved is no
   longer in staging; a warehouse already swapped has no working copy left).

A file whose bytes did not change is not moved (it keeps its mtime); a set identical to the
published one (same manifest but for its generation time) is not published at all. Readers
may see old and new files side by side only during step 3 (or until recovery after a kill);
`manifest.json` moves last and lists every file's sha256.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration import warehouse
from orchestration.checksums import sha256_of
from orchestration.errors import ComexError
from orchestration.exports import manifest as manifest_module
from orchestration.exports.writer import MANIFEST_NAME

STAGING_NAME = ".staging"
JOURNAL_NAME = ".publishing.json"
LOCK_NAME = ".publish.lock"


class ExportsBusyError(ComexError):
    """Another process is publishing into the same exports folder."""


@dataclass(frozen=True)
class Publication:
    """What `publish` did."""

    moved: list[str]
    removed: list[str]
    unchanged: bool  # the staged set was identical to the published one

    @property
    def changed_files(self) -> int:
        return len(self.moved) + len(self.removed)


def staging_dir(exports_dir: Path) -> Path:
    return exports_dir / STAGING_NAME


def journal_path(exports_dir: Path) -> Path:
    return exports_dir / JOURNAL_NAME


@contextlib.contextmanager
def exports_lock(exports_dir: Path) -> Iterator[None]:
    """Exclusive, non-blocking lock on an exports folder (released when the process ends, even killed)."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    with (exports_dir / LOCK_NAME).open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportsBusyError(
                f"{exports_dir}: another process is publishing exports there; try again later"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def reset_staging(exports_dir: Path) -> Path:
    """An empty staging folder (whatever a killed run left there is deleted). Call `recover` first."""
    folder = staging_dir(exports_dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(exports_dir: Path, journal: dict[str, Any]) -> None:
    path = journal_path(exports_dir)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(journal, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    _fsync_dir(exports_dir)


def _comparable(manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if manifest is None else {k: v for k, v in manifest.items() if k != "generated_at"}


def _plan(staged: Path, exports_dir: Path) -> tuple[list[str], list[str], bool]:
    """(files to move in, manifest last; files to remove; whether the set is unchanged)."""
    new, old = manifest_module.read(staged), manifest_module.read(exports_dir)
    if new is None:
        raise ComexError(f"{staged}: no {MANIFEST_NAME}: the export set is incomplete, nothing published")
    new_files = manifest_module.listed_files(new)
    missing = [name for name in new_files if not (staged / name).is_file()]
    if missing:
        raise ComexError(f"{staged}: staged files missing ({', '.join(missing[:5])}): nothing published")
    recorded = {e["name"]: e["sha256"] for e in new.get("files", []) + new.get("pack_files", [])}
    recorded |= {e["name"]: e["sha256"] for e in new.get("documentation", [])}
    moves = [
        name
        for name in new_files
        if not ((exports_dir / name).is_file() and sha256_of(exports_dir / name) == recorded.get(name))
    ]
    if not moves and _comparable(new) == _comparable(old):
        return [], [], True
    removals = sorted(set(manifest_module.listed_files(old)) - set(new_files))
    return [*moves, MANIFEST_NAME], removals, False


def publish(
    exports_dir: Path, *, working_warehouse: Path | None = None, live_warehouse: Path | None = None
) -> Publication:
    """Swap the staged set (and, for a refresh, the working warehouse) in; see the module docstring."""
    staged = staging_dir(exports_dir)
    moves, removals, unchanged = _plan(staged, exports_dir)
    journal: dict[str, Any] = {"staging": STAGING_NAME, "move": moves, "remove": removals}
    if working_warehouse is not None and live_warehouse is not None:
        journal["warehouse"] = {"working": str(working_warehouse), "live": str(live_warehouse)}
    _write_journal(exports_dir, journal)  # the commit point
    _apply(exports_dir, journal)
    return Publication(moves, removals, unchanged)


def _apply(exports_dir: Path, journal: dict[str, Any]) -> None:
    """Carry out a journal (idempotent: safe to run again after a kill)."""
    staged = exports_dir / journal["staging"]
    if wh := journal.get("warehouse"):
        working = Path(wh["working"])
        if working.exists():
            warehouse.publish(working, Path(wh["live"]))
    for name in journal["move"]:
        source, target = staged / name, exports_dir / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
    for name in journal["remove"]:
        (exports_dir / name).unlink(missing_ok=True)
        _remove_empty_parents(exports_dir / name, exports_dir)
    _fsync_dir(exports_dir)
    journal_path(exports_dir).unlink(missing_ok=True)
    shutil.rmtree(staged, ignore_errors=True)


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def recover(exports_dir: Path) -> bool:
    """Roll forward a publication a kill interrupted (call under the locks). True if there was one."""
    path = journal_path(exports_dir)
    if not path.is_file():
        path.with_name(path.name + ".tmp").unlink(missing_ok=True)  # killed before the commit point
        return False
    _apply(exports_dir, json.loads(path.read_text(encoding="utf-8")))
    return True
