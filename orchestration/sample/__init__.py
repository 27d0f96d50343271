"""Deterministic generator of SYNTHETIC DGDDI regional foreign-trade files (see data/sample)."""

from orchestration.sample.calibration import CALIBRATION_2024, CALIBRATION_YEAR
from orchestration.sample.generator import (
    COLUMNS,
    FULL_SCALE,
    SAMPLE_SCALE,
    generate_year,
    last_publication_quarters,
    write_annual_zips,
    write_last_publication,
)

__all__ = [
    "CALIBRATION_2024",
    "CALIBRATION_YEAR",
    "COLUMNS",
    "FULL_SCALE",
    "SAMPLE_SCALE",
    "generate_year",
    "last_publication_quarters",
    "write_annual_zips",
    "write_last_publication",
]
