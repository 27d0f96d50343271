"""What `comex fiche` does: pick the territories, render their pages (and the index), time it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from orchestration.fiches.data import LEVELS, ExportTables
from orchestration.fiches.render import FicheOutput, FicheRenderer
from orchestration.territory_codes import to_dgddi


class FicheRequestError(ValueError):
    """The command line asked for something the exports cannot give."""


@dataclass(frozen=True)
class BuildResult:
    """Pages written by one `comex fiche` run."""

    year: int
    pages: list[FicheOutput]
    index: Path | None  # `<year>/index.html`: written by --all, refreshed by a single fiche's run
    seconds: float


def build_fiches(
    exports_dir: Path,
    out_dir: Path,
    *,
    year: int | None = None,
    level: str = "departement",
    territory: str | None = None,
    all_territories: bool = False,
) -> BuildResult:
    """Render one territory's fiche and refresh the index over the fiches present, or (`all_territories`) every
    territory of the year and the index."""
    started = time.perf_counter()
    if level not in LEVELS:
        raise FicheRequestError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    if not all_territories and territory is None and level != "france":
        raise FicheRequestError("give --territory CODE (e.g. --territory 88), or --all")
    tables = ExportTables(exports_dir)
    years = tables.years()
    if not years:
        raise FicheRequestError(f"{exports_dir}/territory_totals holds no year")
    chosen_year = year if year is not None else years[-1]
    if chosen_year not in years:
        raise FicheRequestError(f"no data for {chosen_year} in {exports_dir} (years: {', '.join(map(str, years))})")
    renderer = FicheRenderer(tables, out_dir)
    if all_territories:
        pages, index = renderer.render_all(chosen_year)
        return BuildResult(chosen_year, pages, index, time.perf_counter() - started)
    code = "FR" if level == "france" else to_dgddi(level, str(territory)).code  # 2A → 20, 971 → 9A, 1 → 01
    try:
        target = tables.territory(level, code)
    except KeyError as exc:
        raise FicheRequestError(str(exc.args[0])) from exc
    page, index = renderer.render_one(chosen_year, target)  # the index too: the page's link leads somewhere
    return BuildResult(chosen_year, [page], index, time.perf_counter() - started)
