"""Thresholds of the quality gates (environment variables, with defaults) and where reports go."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from orchestration.errors import ComexError
from orchestration.yaml_files import dbt_project_vars

ENV_MAX_REJECTED_RATE = "COMEX_MAX_REJECTED_RATE"
ENV_REVISION_THRESHOLD = "COMEX_REVISION_THRESHOLD"
ENV_MAX_NATIONAL_REVISION = "COMEX_MAX_NATIONAL_REVISION"
DEFAULT_MAX_REJECTED_RATE = 0.01
DEFAULT_REVISION_THRESHOLD = 0.05
DEFAULT_MAX_NATIONAL_REVISION = 0.05


@dataclass(frozen=True)
class QualitySettings:
    """What the checks tolerate."""

    max_rejected_rate: float = DEFAULT_MAX_REJECTED_RATE  # rejected / read, per new vintage, in rows and in euros
    revision_threshold: float = DEFAULT_REVISION_THRESHOLD  # |after - before| / before, reported above it
    max_national_revision: float = DEFAULT_MAX_NATIONAL_REVISION  # France's move in a quarter; blocks above it
    top_n: int = 10  # dbt var top_n
    highlight_n: int = 5  # dbt var highlight_n

    @classmethod
    def from_env(cls) -> QualitySettings:
        top_n, highlight_n = dbt_vars()
        return cls(
            max_rejected_rate=_fraction(ENV_MAX_REJECTED_RATE, DEFAULT_MAX_REJECTED_RATE),
            revision_threshold=_fraction(ENV_REVISION_THRESHOLD, DEFAULT_REVISION_THRESHOLD),
            max_national_revision=_fraction(ENV_MAX_NATIONAL_REVISION, DEFAULT_MAX_NATIONAL_REVISION),
            top_n=top_n,
            highlight_n=highlight_n,
        )


def _fraction(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
    except ValueError:
        raise ComexError(f"{name}={raw!r} is not a fraction (0.01) or a percentage (1%)") from None
    if not 0 <= value <= 1:
        raise ComexError(f"{name}={raw!r} must be between 0 and 1 (or 0% and 100%)")
    return value


@lru_cache(maxsize=1)
def dbt_vars() -> tuple[int, int]:
    """(top_n, highlight_n) as the dbt project declares them."""
    variables = dbt_project_vars()
    return int(variables.get("top_n", 10)), int(variables.get("highlight_n", 5))


def quality_dir(warehouse: Path) -> Path:
    """The run's quality reports, beside the warehouse: gx/ (GX file context) and report.html."""
    return warehouse.parent / "quality"
