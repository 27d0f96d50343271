"""dagster-dbt's per-run target folders are rotated: the newest kept, the current one never removed."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.assets.dbt import prune_run_targets


def test_only_the_newest_run_folders_of_the_op_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "target"
    runs = []
    for age in range(8):  # run 0 is the newest
        folder = target / f"comex_dbt_assets-{age:07x}-abcdef0"
        (folder / "compiled").mkdir(parents=True)
        (folder / "run_results.json").write_text("{}")
        os.utime(folder, (1_700_000_000 - age * 60, 1_700_000_000 - age * 60))
        runs.append(folder)
    current = runs[5]  # even an older-looking current run is kept
    (target / "partial_parse.msgpack").write_bytes(b"cache")
    (target / "other_op-1234567-abcdef0").mkdir()

    removed = prune_run_targets(current, keep=3)

    assert sorted(removed) == sorted([runs[2], runs[3], runs[4], runs[6], runs[7]])
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [runs[0].name, runs[1].name, current.name, "other_op-1234567-abcdef0", "partial_parse.msgpack"]
    )
