"""Deterministic generator of SYNTHETIC DGDDI regional foreign-trade files (see data/sample).

Its names are imported on first use (PEP 562): `orchestration.sample.checksums` or `.bundle`
must not pay for numpy, pandas and pyarrow.
"""

from importlib import import_module
from typing import Any

_FROM = {
    "CALIBRATION_2024": "calibration",
    "CALIBRATION_YEAR": "calibration",
    "COLUMNS": "generator",
    "FULL_SCALE": "generator",
    "SAMPLE_SCALE": "generator",
    "generate_year": "generator",
    "last_publication_quarters": "generator",
    "write_annual_zips": "generator",
    "write_last_publication": "generator",
}

__all__ = sorted(_FROM)


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_FROM[name]}"), name)
