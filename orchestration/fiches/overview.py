"""The index page's overview: one row of key figures per territory, and a tile-grid map of the départements.

The map needs no geometry: each département is a square at a grid position read from
static/departements_grid.csv (see its header for where the layout comes from). Colours are computed
here, per indicator, so the page's script only swaps them when the reader picks another indicator.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orchestration.fiches.data import ExportTables, Territory
from orchestration.fiches.formatting import (
    format_hhi,
    format_millions,
    format_percent,
    format_signed_percent,
    or_missing,
)

GRID_CSV = Path(__file__).resolve().parent / "static" / "departements_grid.csv"
SEQUENTIAL = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")  # ColorBrewer Purples (5 classes)
DIVERGING = ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0")  # ColorBrewer RdBu (5 classes), red = fall
NO_DATA = "#d9d9e0"
DARK_TEXT, LIGHT_TEXT = "#1e1e28", "#ffffff"
GROWTH_QUANTILE = 0.95  # a few outliers must not wash out the growth map: beyond this, the end colour


@dataclass(frozen=True)
class OverviewRow:
    """A territory's key figures of one year (both flows) for the index."""

    territory: Territory
    export_eur: int | None
    import_eur: int | None
    export_growth: float | None
    import_growth: float | None
    export_us_share: float | None
    import_us_share: float | None
    export_partner_hhi: float | None
    export_extra_eu27_share: float | None

    @property
    def balance_eur(self) -> int | None:
        """Exports minus imports."""
        return None if self.export_eur is None or self.import_eur is None else self.export_eur - self.import_eur


@dataclass(frozen=True)
class Indicator:
    """A figure the index shows: key, French label (and short one for the table), kind, getter.

    `kind` is `share`, `growth`, `hhi` or `meur`: it picks the formatting and the map's colour scale.
    """

    key: str
    label: str
    short: str
    kind: str
    value: Callable[[OverviewRow], float | None]

    def format(self, value: float | None) -> str:
        """The figure in French, `n.d.` when missing."""
        return or_missing(value, FORMATTERS[self.kind])


FORMATTERS: dict[str, Callable[[float], str]] = {
    "share": format_percent,
    "growth": format_signed_percent,
    "hhi": format_hhi,
    "meur": format_millions,
}

EXPORTS = Indicator("export_eur", "Exportations (millions d'euros)", "Exportations", "meur", lambda r: r.export_eur)
IMPORTS = Indicator("import_eur", "Importations (millions d'euros)", "Importations", "meur", lambda r: r.import_eur)
BALANCE = Indicator("balance_eur", "Solde (millions d'euros)", "Solde", "meur", lambda r: r.balance_eur)
EXPORT_GROWTH = Indicator(
    "export_growth", "Évolution des exportations sur un an", "Évol. export. 1 an", "growth", lambda r: r.export_growth
)
IMPORT_GROWTH = Indicator(
    "import_growth", "Évolution des importations sur un an", "Évol. import. 1 an", "growth", lambda r: r.import_growth
)
EXPORT_US = Indicator(
    "export_us_share",
    "Part des États-Unis dans les exportations",
    "Part É.-U. export.",
    "share",
    lambda r: r.export_us_share,
)
IMPORT_US = Indicator(
    "import_us_share",
    "Part des États-Unis dans les importations",
    "Part É.-U. import.",
    "share",
    lambda r: r.import_us_share,
)
EXPORT_HHI = Indicator(
    "export_partner_hhi",
    "Concentration des exportations par pays (indice HHI)",
    "HHI pays export.",
    "hhi",
    lambda r: r.export_partner_hhi,
)
EXPORT_EXTRA_EU = Indicator(
    "export_extra_eu27_share",
    "Part des exportations hors Union européenne",
    "Part hors UE export.",
    "share",
    lambda r: r.export_extra_eu27_share,
)
TABLE_COLUMNS = (EXPORTS, IMPORTS, BALANCE, EXPORT_GROWTH, IMPORT_GROWTH, EXPORT_US, EXPORT_HHI)
MAP_INDICATORS = (EXPORT_US, IMPORT_US, EXPORT_GROWTH, IMPORT_GROWTH, EXPORT_HHI, EXPORT_EXTRA_EU)


def overview_rows(tables: ExportTables, year: int) -> list[OverviewRow]:
    """Every territory of `year` (France, régions, départements) with its key figures; None where a table lacks them."""
    return [overview_row(tables, year, territory) for territory in tables.territories(year)]


def overview_row(tables: ExportTables, year: int, territory: Territory) -> OverviewRow:
    """One territory's key figures of `year`."""
    key = (year, territory.level, territory.code)
    totals, trends, exposure = tables.flow_totals(key), tables.year_trends(key), tables.exposure(key)
    export, imports = exposure.get("export"), exposure.get("import")
    return OverviewRow(
        territory,
        export_eur=totals["export"].value_eur if "export" in totals else None,
        import_eur=totals["import"].value_eur if "import" in totals else None,
        export_growth=trends["export"].growth_1y if "export" in trends else None,
        import_growth=trends["import"].growth_1y if "import" in trends else None,
        export_us_share=export.us_share if export else None,
        import_us_share=imports.us_share if imports else None,
        export_partner_hhi=export.partner_hhi if export else None,
        export_extra_eu27_share=export.extra_eu27_share if export else None,
    )


@dataclass(frozen=True)
class GridCell:
    """Where a département's tile sits: `row`/`col` from the north-west, in the `metropole` or `outre-mer` grid."""

    row: int
    col: int
    group: str


@cache
def load_grid(path: Path = GRID_CSV) -> dict[str, GridCell]:
    """DGDDI département code → its tile position (comment lines `#` skipped)."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return {r["departement_code"]: GridCell(int(r["row"]), int(r["col"]), r["group"]) for r in csv.DictReader(lines)}


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def interpolate(palette: tuple[str, ...], t: float) -> str:
    """The colour at `t` (0–1, clipped) along `palette`'s evenly spaced stops."""
    t = min(max(t, 0.0), 1.0)
    position = t * (len(palette) - 1)
    i = min(int(position), len(palette) - 2)
    frac = position - i
    a, b = _rgb(palette[i]), _rgb(palette[i + 1])
    return _hex(tuple(x + (y - x) * frac for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def text_color(background: str) -> str:
    """Dark or white text, whichever reads better on `background` (relative luminance)."""
    r, g, b = (c / 255 for c in _rgb(background))
    return DARK_TEXT if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else LIGHT_TEXT


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Scale:
    """A colour scale: `low`–`high` of the values, diverging around 0 for growth; clipped ends say so."""

    kind: str
    low: float
    high: float
    clipped: bool = False

    @classmethod
    def for_values(cls, kind: str, values: list[float]) -> Scale:
        """Growth: symmetric around 0, up to the 95th percentile of |change|; else 0 to the largest value."""
        if not values:
            return cls(kind, 0.0, 1.0)
        if kind == "growth":
            top = _quantile([abs(v) for v in values], GROWTH_QUANTILE) or max(abs(v) for v in values) or 1.0
            return cls(kind, -top, top, clipped=max(abs(v) for v in values) > top)
        return cls(kind, 0.0, max(values) or 1.0)

    @property
    def palette(self) -> tuple[str, ...]:
        """Red–blue around 0 for growth, light to dark violet otherwise."""
        return DIVERGING if self.kind == "growth" else SEQUENTIAL

    def color(self, value: float | None) -> str:
        """A value's tile colour (grey when missing)."""
        if value is None:
            return NO_DATA
        return interpolate(self.palette, (value - self.low) / (self.high - self.low))

    def gradient(self) -> str:
        """The legend's CSS gradient."""
        return f"linear-gradient(to right, {', '.join(self.palette)})"

    def legend(self, indicator: Indicator) -> tuple[str, str, str]:
        """Left, middle and right labels of the legend (`≤`/`≥` at clipped ends)."""
        low, high = indicator.format(self.low), indicator.format(self.high)
        if self.clipped:
            low, high = f"≤ {low}", f"≥ {high}"
        return low, indicator.format((self.low + self.high) / 2), high


@dataclass(frozen=True)
class Tile:
    """One département's square: where it sits, where it links, and its look for the default indicator."""

    code: str
    label: str
    href: str
    cell: GridCell
    background: str
    color: str
    title: str


def map_layers(rows: list[OverviewRow]) -> dict[str, dict]:
    """Per map indicator: its label, legend and, per département code, [background, text colour, title]."""
    deps = [r for r in rows if r.territory.level == "departement"]
    layers = {}
    for indicator in MAP_INDICATORS:
        values = [v for r in deps if (v := indicator.value(r)) is not None]
        scale = Scale.for_values(indicator.kind, values)
        tiles = {}
        for r in deps:
            value = indicator.value(r)
            background = scale.color(value)
            title = f"{r.territory.code} {r.territory.label} — {indicator.label} : {indicator.format(value)}"
            tiles[r.territory.code] = [background, text_color(background), title]
        layers[indicator.key] = {
            "label": indicator.label,
            "gradient": scale.gradient(),
            "legend": list(scale.legend(indicator)),
            "tiles": tiles,
        }
    return layers


def map_tiles(rows: list[OverviewRow], layer: dict, grid: dict[str, GridCell]) -> list[Tile]:
    """The départements with a grid position, drawn as `layer` colours them (codes the grid lacks are left out)."""
    tiles = []
    for r in rows:
        cell = grid.get(r.territory.code)
        if r.territory.level != "departement" or cell is None:
            continue
        background, color, title = layer["tiles"][r.territory.code]
        tiles.append(
            Tile(r.territory.code, r.territory.label, f"{r.territory.slug}.html", cell, background, color, title)
        )
    return tiles


def table_cells(row: OverviewRow) -> list[tuple[str, str]]:
    """(raw value for sorting, French text) of each numeric column of the overview table."""
    cells = []
    for column in TABLE_COLUMNS:
        value = column.value(row)
        cells.append(("" if value is None else repr(float(value)), column.format(value)))
    return cells
