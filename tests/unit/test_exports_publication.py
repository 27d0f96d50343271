"""Atomic publication: staged sets swap in whole; a kill before or during the swap is harmless."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from orchestration.errors import ComexError
from orchestration.exports import publication
from orchestration.exports.publication import journal_path, publish, recover, reset_staging


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stage(exports: Path, files: dict[str, bytes], generated_at: str = "t1") -> Path:
    """A staged export set: its files and a manifest listing them."""
    staged = reset_staging(exports)
    for name, data in files.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        (staged / name).write_bytes(data)
    manifest = {
        "contract_version": "1.0.0",
        "generated_at": generated_at,
        "files": [{"name": n, "sha256": _sha(d)} for n, d in files.items() if "/" not in n],
        "pack_files": [{"name": n, "sha256": _sha(d)} for n, d in files.items() if "/" in n],
    }
    (staged / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return staged


def _published(exports: Path) -> dict[str, bytes]:
    return {
        p.relative_to(exports).as_posix(): p.read_bytes()
        for p in sorted(exports.rglob("*"))
        if p.is_file() and not p.relative_to(exports).as_posix().startswith(".")
    }


SET_A = {"a.csv": b"a1\n", "b.csv": b"b1\n", "territories/departement-88/a.csv": b"a88\n"}
SET_B = {"a.csv": b"a2\n", "c.csv": b"c2\n"}


def test_publish_swaps_the_whole_set_and_removes_obsolete_files(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    (exports).mkdir()
    (exports / "README.md").write_bytes(b"tracked readme\n")
    _stage(exports, SET_A)
    publish(exports)
    assert {k: v for k, v in _published(exports).items() if k != "manifest.json"} == SET_A | {
        "README.md": b"tracked readme\n"
    }
    set_b = SET_B
    _stage(exports, set_b, "t2")
    result = publish(exports)
    published = _published(exports)
    assert published.pop("README.md") == b"tracked readme\n"  # not part of any set: never touched
    assert published.pop("manifest.json")
    assert published == set_b
    assert sorted(result.removed) == ["b.csv", "territories/departement-88/a.csv"]
    assert not (exports / "territories").exists()
    assert not journal_path(exports).exists() and not (exports / ".staging").exists()


def test_an_identical_set_is_not_published_again(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    _stage(exports, SET_A, "t1")
    publish(exports)
    before = {p: p.stat().st_mtime_ns for p in exports.rglob("*") if p.is_file()}
    manifest = (exports / "manifest.json").read_bytes()
    _stage(exports, SET_A, "t2")  # same content, later generation time
    assert publish(exports).unchanged
    assert (exports / "manifest.json").read_bytes() == manifest
    assert {p: p.stat().st_mtime_ns for p in exports.rglob("*") if p.is_file()} == before


def test_a_kill_before_the_commit_point_leaves_the_previous_set_byte_identical(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    _stage(exports, SET_A)
    publish(exports)
    before = _published(exports)
    _stage(exports, {"a.csv": b"half-writ"})  # a killed run's staging (no journal)
    assert not recover(exports)
    reset_staging(exports)
    assert _published(exports) == before


def test_an_incomplete_staged_set_is_refused(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    staged = _stage(exports, SET_A)
    (staged / "b.csv").unlink()
    with pytest.raises(ComexError, match="staged files missing"):
        publish(exports)
    assert _published(exports) == {}


@pytest.mark.parametrize("moves_done", [0, 1, 2, 3])
def test_a_kill_during_the_swap_is_rolled_forward(tmp_path: Path, moves_done: int) -> None:
    """The state a kill leaves mid-swap (journal written, some files moved) recovers to the new set."""
    exports = tmp_path / "exports"
    _stage(exports, SET_A)
    publish(exports)
    set_b = SET_B
    staged = _stage(exports, set_b, "t2")
    moves, removals, _ = publication._plan(staged, exports)
    publication._write_journal(exports, {"staging": ".staging", "move": moves, "remove": removals})
    for name in moves[:moves_done]:  # what the killed process had done
        (staged / name).replace(exports / name)
    mixed = _published(exports)
    assert mixed != set_b
    assert recover(exports)
    published = _published(exports)
    assert json.loads(published.pop("manifest.json"))["generated_at"] == "t2"
    assert published == set_b
    assert not journal_path(exports).exists() and not recover(exports)


def test_a_second_publisher_is_refused(tmp_path: Path) -> None:
    with publication.exports_lock(tmp_path), pytest.raises(publication.ExportsBusyError):  # noqa: SIM117
        with publication.exports_lock(tmp_path):
            pass
