"""Render fiches (one HTML page per territory) and their index with jinja2; assets shared in `<out>/assets/`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from orchestration.fiches import charts
from orchestration.fiches.data import FLOWS, ExportTables, FicheData, Provenance, Territory
from orchestration.fiches.formatting import format_date, partial_period, totals_sentence
from orchestration.fiches.overview import (
    MAP_INDICATORS,
    TABLE_COLUMNS,
    OverviewRow,
    load_grid,
    map_layers,
    map_tiles,
    overview_rows,
    table_cells,
)
from orchestration.fiches.readings import evolution_reading, exposure_readings, specialisation_lead, us_reading
from orchestration.settings import REPO_ROOT
from orchestration.territory_codes import insee_aliases

DEFAULT_FICHES_DIR = REPO_ROOT / "fiches"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
ASSETS_DIRNAME = "assets"
INDEX_NAME = "index.html"
LEVEL_LABELS = {"departement": "Département", "region": "Région", "france": "France"}
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def plotly_js_path() -> Path:
    """plotly.min.js as shipped in the plotly wheel's package_data (no CDN)."""
    spec = importlib.util.find_spec("plotly")  # located, not imported
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the plotly package is not installed")
    path = Path(spec.origin).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package ({path})")
    return path


def copy_assets(out_dir: Path) -> Path:
    """Copy plotly.min.js, fiche.css and fiche.js into `<out_dir>/assets/` (only when changed)."""
    assets = out_dir / ASSETS_DIRNAME
    assets.mkdir(parents=True, exist_ok=True)
    for source in (plotly_js_path(), *sorted(STATIC_DIR.iterdir())):
        target = assets / source.name
        same = target.is_file() and target.stat().st_size == source.stat().st_size
        if same and source.stat().st_size < 1_000_000:  # small files: compare bytes, not just sizes
            same = target.read_bytes() == source.read_bytes()
        if not same:
            shutil.copyfile(source, target)
    return assets


def dump_figure(figure: dict) -> str:
    """A figure dict as JSON safe inside a <script> element."""
    text = json.dumps(figure, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return text


def search_key(*parts: str) -> str:
    """Accent- and case-folded text the index filters on (the page's JS folds the query the same way)."""
    text = unicodedata.normalize("NFD", " ".join(parts))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _french_datetime(value: str | None) -> str:
    if not value:
        return "(date inconnue)"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_date(moment.year, moment.month, moment.day)


@dataclass(frozen=True)
class FicheOutput:
    """A written page."""

    territory: Territory
    path: Path


class FicheRenderer:
    """Renders the fiches of one exports folder into `out_dir/<year>/` (templates compiled once)."""

    def __init__(self, tables: ExportTables, out_dir: Path, *, today: dt.date | None = None) -> None:
        self.tables = tables
        self.out_dir = out_dir
        self.provenance: Provenance = tables.provenance()
        today = today or dt.date.today()
        self.generated_on = format_date(today.year, today.month, today.day)
        self.exports_generated = _french_datetime(self.provenance.exports_generated_at)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
            autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
            trim_blocks=False,
            lstrip_blocks=False,
            undefined=jinja2.StrictUndefined,
        )
        self._fiche_template = self.env.get_template("fiche.html.j2")
        self._chart_template = self.env.get_template("chart.html.j2")
        self._index_template = self.env.get_template("index.html.j2")
        self._comparison_cache: dict[tuple[int, str, str, str], tuple[Markup | None, list[str]]] = {}
        self._assets_ready = False

    def year_dir(self, year: int) -> Path:
        """Folder of one year's pages."""
        return self.out_dir / str(year)

    def _ensure_assets(self) -> None:
        if not self._assets_ready:
            copy_assets(self.out_dir)
            self._assets_ready = True

    def chart_html(self, chart: charts.Chart | None, scope: str = "territory", *, small: bool = False) -> Markup | None:
        """A chart's container, its figure JSON and its data table (the text alternative), as HTML."""
        if chart is None:
            return None
        html = self._chart_template.render(chart=chart, scope=scope, small=small, figure_json=dump_figure(chart.figure))
        return Markup(html)

    def _comparison(self, year: int, other: Territory, flow: str) -> tuple[Markup | None, list[str]]:
        """The smaller Sankey of a région or France with its total, rendered once for every page showing it."""
        key = (year, other.level, other.code, flow)
        if key not in self._comparison_cache:
            scope = "region" if other.level == "region" else "france"
            links = self.tables.links((year, other.level, other.code), flow)
            chart = (
                charts.sankey_chart(f"sankey-{flow}-{scope}", links, flow, other.display_label, height=430)
                if links
                else None
            )
            total = self.tables.flow_totals((year, other.level, other.code)).get(flow)
            lines = totals_sentence(flow, total.value_eur) if total else []
            self._comparison_cache[key] = (self.chart_html(chart, scope, small=True), lines)
        return self._comparison_cache[key]

    def context(self, data: FicheData) -> dict[str, Any]:
        """Template variables of one fiche."""
        place = data.territory.display_label
        year = data.year
        keep = self.chart_html
        balance = keep(charts.balance_chart("balance", data.partners, place)) if data.partners else None
        treemaps = {
            flow: keep(charts.treemap_chart(f"treemap-{flow}", data.activities[flow], flow, place))
            if data.activities[flow]
            else None
            for flow in FLOWS
        }
        flows = {}
        for flow in FLOWS:
            total = data.totals.get(flow)
            is_dep = data.territory.level == "departement"
            lines = (
                totals_sentence(
                    flow,
                    total.value_eur,
                    region_label=data.region.label if (is_dep and data.region) else None,
                    share_of_region=total.share_of_region if is_dep else None,
                    share_of_france=total.share_of_france if data.territory.level != "france" else None,
                )
                if total
                else []
            )
            comparisons = []
            for other in data.comparisons:
                chart, other_lines = self._comparison(year, other, flow)
                word = "l'export" if flow == "export" else "l'import"
                comparisons.append(
                    {
                        "caption": f"Flux à {word}, {other.display_label} (en valeur, {year})",
                        "chart": chart,
                        "totals": other_lines,
                        "scope": "region" if other.level == "region" else "france",
                    }
                )
            chart = keep(
                charts.sankey_chart(f"sankey-{flow}", data.links[flow], flow, place) if data.links[flow] else None
            )
            if flow == "export":
                caption = f"Flux à l'export par produit et par pays, {place} (en valeur, {year})"
                intro = (
                    "Sont représentés les dix premiers biens exportés ainsi que les dix principaux pays acheteurs. "
                    "La catégorie « autres » comprend les biens et les pays au-delà de ce classement. Les cinq "
                    "principaux flux (tel produit vers telle destination) sont représentés en rouge."
                )
                reading = "Figurent à gauche les principaux biens exportés, à droite les pays de destination."
            else:
                caption = f"Flux à l'import par pays et par produit, {place} (en valeur, {year})"
                intro = (
                    "Sont représentés les dix principaux pays vendeurs ainsi que les dix premiers biens importés. "
                    "La catégorie « autres » comprend les pays et les biens au-delà de ce classement. Les cinq "
                    "principaux flux (telle origine pour tel produit) sont représentés en rouge."
                )
                reading = "Figurent à gauche les principaux pays d'origine, à droite les biens importés."
            flows[flow] = {
                "chart": chart,
                "totals": lines,
                "caption": caption,
                "intro": intro,
                "reading": reading,
                "comparisons": comparisons,
            }
        incomplete = ""
        partial = {f: t for f, t in data.totals.items() if not t.is_complete_year}
        if partial:
            quarters = min((t.quarters_covered or 0) for t in partial.values())
            incomplete = f"{quarters} trimestre{'s' if quarters > 1 else ''} publié{'s' if quarters > 1 else ''}"
        return {
            "evolution": self._evolution(data, place),
            "exposure": self._exposure(data, place),
            "specialisation": self._specialisation(data, place),
            "year": year,
            "territory": data.territory,
            "place": place,
            "level_label": LEVEL_LABELS[data.territory.level],
            "ti": data.industry_territories,
            "balance": balance,
            "treemaps": treemaps,
            "flows": flows,
            "provenance": self.provenance,
            "incomplete": incomplete,
            "assets": f"../{ASSETS_DIRNAME}",
            "index_href": INDEX_NAME if (self.year_dir(year) / INDEX_NAME).is_file() else None,
            "generated_on": self.generated_on,
            "exports_generated": self.exports_generated,
        }

    def _evolution(self, data: FicheData, place: str) -> dict[str, Any] | None:
        """« Évolution »: every year's totals, the last quarters, and this year's growth beside France's."""
        if not any(data.trends.values()):
            return None
        latest = {flow: next((t for t in data.trends[flow] if t.year == data.year), None) for flow in FLOWS}
        readings = [evolution_reading(flow, latest[flow], data.france_trends.get(flow)) for flow in FLOWS]
        partial = {t.year: t.quarters_covered for rows in data.trends.values() for t in rows if t.is_partial}
        quarterly = charts.quarterly_chart("quarterly", data.quarters, place) if any(data.quarters.values()) else None
        years = sorted({t.year for rows in data.trends.values() for t in rows})
        return {
            "annual": self.chart_html(charts.annual_chart("annual", data.trends, place)),
            "quarterly": self.chart_html(quarterly),
            "quarters_shown": len(quarterly.table.rows) if quarterly else 0,
            "readings": [r for r in readings if r],
            "partial": [partial_period(year, q) for year, q in sorted(partial.items())],
            "span": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]),
        }

    def _exposure(self, data: FicheData, place: str) -> dict[str, Any] | None:
        """« Exposition et dépendance »: per flow, the readings and the chart beside the région and France."""
        france = data.france_exposure
        flows = {}
        for flow in FLOWS:
            rows = data.exposures.get(flow) or []
            if rows and rows[0][0] == data.territory:
                flows[flow] = {
                    "readings": exposure_readings(flow, rows[0][1], france.get(flow)),
                    "chart": self.chart_html(charts.exposure_chart(f"exposure-{flow}", flow, rows, place)),
                }
        return {"flows": flows} if flows else None

    def _specialisation(self, data: FicheData, place: str) -> dict[str, Any] | None:
        """« Spécialisation »: per flow, the products weighing most against France and those most traded with the US."""
        if not any(data.specialisations.values()) and not any(data.us_products.values()):
            return None
        is_france = data.territory.level == "france"
        own = {flow: rows[0][1] for flow, rows in data.exposures.items() if rows and rows[0][0] == data.territory}
        flows = {}
        for flow in FLOWS:
            products, us = data.specialisations.get(flow) or [], data.us_products.get(flow) or []
            rca = (
                None if is_france or not products else charts.specialisation_chart(f"rca-{flow}", flow, products, place)
            )
            flows[flow] = {
                "rca_chart": self.chart_html(rca),
                "rca_reading": None if is_france else specialisation_lead(flow, products),
                "us_chart": self.chart_html(charts.us_products_chart(f"us-{flow}", flow, us, place) if us else None),
                "us_reading": us_reading(flow, own.get(flow), data.france_exposure.get(flow)),
            }
        return {"flows": flows}

    def render(self, year: int, territory: Territory) -> FicheOutput:
        """Write one territory's page (linking to the year's index if it exists); its path."""
        self._ensure_assets()
        html = self._fiche_template.render(self.context(self.tables.fiche(year, territory)))
        target = self.year_dir(year) / f"{territory.slug}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return FicheOutput(territory, target)

    def render_index(self, year: int, territories: list[Territory]) -> Path:
        """Write `<year>/index.html`: a tile map of the départements and a sortable table of every territory."""
        self._ensure_assets()
        wanted = set(territories)
        rows = [r for r in overview_rows(self.tables, year) if r.territory in wanted]
        layers = map_layers(rows)
        default = MAP_INDICATORS[0].key
        tiles = map_tiles(rows, layers[default], load_grid())
        france = self.tables.flow_totals((year, "france", "FR")).values()
        quarters = min((t.quarters_covered or 4 for t in france if not t.is_complete_year), default=4)
        html = self._index_template.render(
            year=year,
            incomplete=partial_period(year, quarters, article=True) if quarters < 4 else "",
            table=[self._overview_line(r) for r in rows],
            columns=TABLE_COLUMNS,
            indicators=MAP_INDICATORS,
            default_indicator=layers[default],
            metropole=[t for t in tiles if t.cell.group == "metropole"],
            outre_mer=[t for t in tiles if t.cell.group != "metropole"],
            layers_json=dump_figure(layers),
            provenance=self.provenance,
            assets=f"../{ASSETS_DIRNAME}",
            generated_on=self.generated_on,
        )
        target = self.year_dir(year) / INDEX_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return target

    @staticmethod
    def _overview_line(row: OverviewRow) -> dict[str, Any]:
        """One line of the index table: link, search key, level (sortable) and the figures."""
        t = row.territory
        return {
            "code": "" if t.level == "france" else t.code,
            "label": t.display_label,
            "href": f"{t.slug}.html",
            "search": search_key(t.code, *insee_aliases(t.level, t.code), t.display_label, LEVEL_LABELS[t.level]),
            "sort_label": search_key(t.display_label),
            "level": t.level,
            "level_label": LEVEL_LABELS[t.level],
            "level_rank": ("france", "region", "departement").index(t.level),
            "cells": table_cells(row),
        }

    def render_all(self, year: int) -> tuple[list[FicheOutput], Path]:
        """The index of `year`, then every département, région and France (each page links to the index)."""
        territories = self.tables.territories(year)
        index = self.render_index(year, territories)
        return [self.render(year, t) for t in territories], index

    def render_one(self, year: int, territory: Territory) -> tuple[FicheOutput, Path]:
        """One territory's page and the index refreshed over the year's fiches present in the folder."""
        folder = self.year_dir(year)
        present = [t for t in self.tables.territories(year) if t == territory or (folder / f"{t.slug}.html").is_file()]
        index = self.render_index(year, present)
        return self.render(year, territory), index
