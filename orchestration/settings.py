"""Where things live: raw drop zone, warehouse file, exports folder (CLI flags > env vars > defaults)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SEEDS_DIR = REPO_ROOT / "seeds"

DEFAULT_RAW_DIR = REPO_ROOT / "data" / "raw"
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse" / "comex.duckdb"
DEFAULT_EXPORTS_DIR = REPO_ROOT / "exports"

ENV_RAW_DIR = "COMEX_RAW_DIR"
ENV_WAREHOUSE = "COMEX_WAREHOUSE"
ENV_EXPORTS_DIR = "COMEX_EXPORTS_DIR"


@dataclass(frozen=True)
class Paths:
    """The three locations a refresh reads from and writes to."""

    raw_dir: Path
    warehouse: Path
    exports_dir: Path

    @classmethod
    def resolve(
        cls,
        raw_dir: Path | str | None = None,
        warehouse: Path | str | None = None,
        exports_dir: Path | str | None = None,
        *,
        sample: bool = False,
    ) -> Paths:
        """Explicit arguments win, then the COMEX_* env vars, then the defaults."""
        default_raw = SAMPLE_DIR if sample else DEFAULT_RAW_DIR
        return cls(
            raw_dir=_pick(raw_dir, ENV_RAW_DIR, default_raw, ignore_env=sample),
            warehouse=_pick(warehouse, ENV_WAREHOUSE, DEFAULT_WAREHOUSE),
            exports_dir=_pick(exports_dir, ENV_EXPORTS_DIR, DEFAULT_EXPORTS_DIR),
        )


def _pick(explicit: Path | str | None, env_var: str, default: Path, *, ignore_env: bool = False) -> Path:
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser().resolve()
    env_value = None if ignore_env else os.environ.get(env_var)
    if env_value:
        return Path(env_value).expanduser().resolve()
    return default


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """These environment variables set for the duration, then each as it was (or unset)."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
