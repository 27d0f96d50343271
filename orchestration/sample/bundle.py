"""The bundled synthetic sample (data/sample/): six annual years, generated on first use.

The zips are not committed: the generator is deterministic, so they are written at set-up
(`make setup`) or by the first `comex refresh --sample`, and `SHA256SUMS` (committed) says
what they must be, byte for byte.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from orchestration.sample.flows import FLOW_NAMES, FLUXES
from orchestration.settings import SAMPLE_DIR

# The generator (numpy, pandas, pyarrow: ~0.5 s to import) is imported only to write zips: a
# refresh of the sample with nothing new only names and checks them.

#: 2019–2024: six years, so that five-year figures (cagr_5y) show for 2024.
SAMPLE_YEARS: tuple[int, ...] = tuple(range(2019, 2025))
#: The two latest years at full sample scale (the 2024 fiche figures, rankings, Sankeys); the
#: earlier ones, which only feed growth rates, thinner: every refresh of the sample reads them.
RECENT_YEARS: tuple[int, ...] = SAMPLE_YEARS[-2:]
EARLIER_YEARS_SCALE = 40_000
CHECKSUMS_NAME = "SHA256SUMS"


def sample_zip_names(years: tuple[int, ...] = SAMPLE_YEARS) -> list[str]:
    """The file names of the bundled sample, in year then flow order."""
    return [f"Regional-{year}-{FLOW_NAMES[flux]}.zip" for year in years for flux in FLUXES]


def sample_scale(year: int) -> int:
    """Rows (both flows) of one year of the bundled sample."""
    from orchestration.sample.generator import SAMPLE_SCALE

    return SAMPLE_SCALE if year in RECENT_YEARS else EARLIER_YEARS_SCALE


def ensure_bundled_sample(sample_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Write the years of the sample that are missing from `sample_dir`; return every zip."""
    missing = [year for year in SAMPLE_YEARS if not all((sample_dir / n).exists() for n in sample_zip_names((year,)))]
    if missing:
        from orchestration.sample.generator import write_annual_zips
    for year in missing:
        write_annual_zips(sample_dir, [year], scale=sample_scale(year))
    return [sample_dir / name for name in sample_zip_names()]


def expected_checksums(sample_dir: Path = SAMPLE_DIR) -> dict[str, str]:
    """File name → sha256, as committed in `SHA256SUMS` (`sha256sum` format)."""
    lines = (sample_dir / CHECKSUMS_NAME).read_text(encoding="utf-8").splitlines()
    return {name.strip(): digest for digest, name in (line.split(maxsplit=1) for line in lines if line.strip())}


def actual_checksums(sample_dir: Path = SAMPLE_DIR) -> dict[str, str]:
    """File name → sha256 of the sample's zips as they are on disk."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(sample_dir.glob("Regional-*.zip"))
    }
