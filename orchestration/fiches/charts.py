"""Plotly figure dicts (no plotly.py round trip: plain dicts, JSON-dumped into the page) and their data tables."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from orchestration.fiches import tiling
from orchestration.fiches.data import (
    FLOWS,
    OTHERS_CODE,
    Activity,
    Exposure,
    Link,
    Partner,
    ProductWeight,
    QuarterTotal,
    Territory,
    YearTrend,
)
from orchestration.fiches.formatting import (
    MISSING,
    format_hhi,
    format_meur,
    format_millions,
    format_number,
    format_percent,
    format_points,
    format_signed_number,
    format_signed_percent,
    or_missing,
)

EXPORT_COLOR = "#7b3f9e"  # violet: goods exported (as in the published fiche)
IMPORT_COLOR = "#2f6eb5"  # blue: goods imported
DEFICIT_COLOR = "#d62728"
SURPLUS_COLOR = "#2ca02c"
HIGHLIGHT_LINK = "rgba(214, 39, 40, 0.78)"
OTHER_LINK = "rgba(140, 140, 140, 0.32)"
NODE_COLOR = "#5b5b66"
OTHERS_NODE_COLOR = "#a8a8b3"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif", "size": 12}
SEPARATORS = ",\u00a0"  # d3 decimal then thousands separator
TREEMAP_MAX_ITEMS = 20
TREEMAP_HEIGHT = 380
TREEMAP_WIDTHS = range(394, 495, 10)  # px: a treemap on two columns, in a 901 px window to print (494)
TREEMAP_LABEL_PX = 9.5  # a label must fit at this size; Plotly hides those below 8 px (uniformtext)
LABEL_MAX = 42
FLOW_COLOR = {"export": EXPORT_COLOR, "import": IMPORT_COLOR}


@dataclass(frozen=True)
class Table:
    """The text alternative of a chart: a caption, headers and formatted rows."""

    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[bool, ...]  # per column: right-aligned figures


@dataclass(frozen=True)
class Chart:
    """One chart of a fiche: a Plotly figure dict, its accessible description and data table."""

    chart_id: str
    kind: str  # balance | treemap | sankey
    figure: dict
    description: str
    table: Table
    flow: str | None = None
    legend: tuple[tuple[int, str], ...] = ()  # numbered treemap tiles: (number, name and share)


def shorten(label: str, limit: int = LABEL_MAX) -> str:
    """A label cut at a word boundary with an ellipsis when longer than `limit`."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:'’-\u00a0\u202f")
    return cut + "…"


def wrap(label: str, width: int = 22) -> str:
    """A label on several lines (`<br>`) of about `width` characters: Plotly treemaps do not wrap text."""
    return "<br>".join(textwrap.wrap(label, width, break_long_words=False)) or label


def nice_step(span: float, ticks: int = 4) -> float:
    """A 1/2/5 × 10^k step giving about `ticks` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _base_layout(height: int) -> dict:
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": FONT,
        "separators": SEPARATORS,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": FONT},
    }


def balance_chart(chart_id: str, partners: list[Partner], place: str) -> Chart:
    """Horizontal bars: imports to the left (negative side), exports to the right, balance red/green."""
    names = [p.label for p in partners]
    imports_m = [-p.import_eur / 1e6 for p in partners]
    exports_m = [p.export_eur / 1e6 for p in partners]
    extent = max([abs(v) for v in imports_m + exports_m] + [1.0])
    step = nice_step(extent)
    top = math.ceil(extent / step) * step
    tickvals = [i * step for i in range(-round(top / step), round(top / step) + 1) if abs(i * step) <= extent * 1.05]
    ticktext = [format_number(abs(v), 0) for v in tickvals]
    deficit = [p for p in partners if p.balance_eur < 0]
    surplus = [p for p in partners if p.balance_eur >= 0]

    def balance_trace(rows: list[Partner], name: str, color: str) -> dict:
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": [p.label for p in rows],
            "x": [p.balance_eur / 1e6 for p in rows],
            "width": 0.34,
            "marker": {"color": color},
            "customdata": [f"{p.label}<br>Solde : {format_meur(p.balance_eur)}" for p in rows],
            "hovertemplate": "%{customdata}<extra></extra>",
        }

    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "Importations",
            "y": names,
            "x": imports_m,
            "marker": {"color": IMPORT_COLOR, "opacity": 0.45},
            "customdata": [f"{p.label}<br>Importations : {format_meur(p.import_eur)}" for p in partners],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "name": "Exportations",
            "y": names,
            "x": exports_m,
            "marker": {"color": EXPORT_COLOR, "opacity": 0.45},
            "customdata": [f"{p.label}<br>Exportations : {format_meur(p.export_eur)}" for p in partners],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        balance_trace(deficit, "Solde déficitaire", DEFICIT_COLOR),
        balance_trace(surplus, "Solde excédentaire", SURPLUS_COLOR),
    ]
    layout = _base_layout(max(260, 34 * len(partners) + 110))
    layout.update(
        {
            "barmode": "overlay",
            "bargap": 0.25,
            "margin": {"l": 10, "r": 20, "t": 10, "b": 50},
            "xaxis": {
                "tickvals": tickvals,
                "ticktext": ticktext,
                "range": [-extent * 1.05, extent * 1.05],
                "zeroline": True,
                "zerolinecolor": "#444",
                "gridcolor": "#e6e6e6",
                "title": {"text": "← importations   millions d'euros   exportations →", "font": {"size": 11}},
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array", "categoryarray": names},
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        }
    )
    table = Table(
        f"Importations, exportations et solde par pays, {place} (millions d'euros)",
        ("Pays", "Importations", "Exportations", "Solde"),
        [
            (p.label, format_millions(p.import_eur), format_millions(p.export_eur), format_millions(p.balance_eur))
            for p in partners
        ],
        (False, True, True, True),
    )
    description = (
        f"Diagramme en barres horizontales des {len(partners)} principaux pays partenaires, {place} : importations "
        "à gauche, exportations à droite, solde en rouge (déficit) ou en vert (excédent)."
    )
    return Chart(chart_id, "balance", {"data": data, "layout": layout}, description, table)


def treemap_chart(chart_id: str, activities: list[Activity], flow: str, place: str) -> Chart:
    """Treemap of a flow's A129 products (area ∝ value); beyond the first 20, one "Autres activités" tile.

    Tiles too small for their label carry a number instead, named in the legend under the chart.
    """
    tiles = _treemap_tiles(activities)
    labels, numbered = _tile_labels(tiles)
    color = FLOW_COLOR[flow]
    data = [
        {
            "type": "treemap",
            "labels": labels,
            "parents": [""] * len(tiles),
            "values": [t.value for t in tiles],
            "ids": [f"{flow}-{i}" for i in range(len(tiles))],
            "text": [format_percent(t.share) for t in tiles],
            "texttemplate": [
                "<b>%{label}</b>" if i in numbered else "<b>%{label}</b><br>%{text}" for i in range(len(tiles))
            ],
            "textposition": "top left",
            "customdata": [f"{t.name}<br>{format_meur(t.value)} ({format_percent(t.share)})" for t in tiles],
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {
                "colors": [color] * len(tiles),
                "line": {"color": "#ffffff", "width": 2},
            },
            "opacity": 1,
            "sort": True,
            "tiling": {"pad": tiling.TILE_PAD},
            "insidetextfont": {"color": "#ffffff"},
            "pathbar": {"visible": False},
        }
    ]
    layout = _base_layout(TREEMAP_HEIGHT)
    layout["uniformtext"] = {"minsize": 8, "mode": "hide"}  # no unreadable labels in tiny tiles
    word = "exportés" if flow == "export" else "importés"
    table = Table(
        f"Principales activités, biens {word}, {place} (millions d'euros et part du total)",
        ("Rang", "Activité (A129)", "Valeur", "Part"),
        [(str(a.rank), a.label, format_millions(a.value_eur), format_percent(a.share_of_flow)) for a in activities],
        (True, False, True, True),
    )
    description = (
        f"Carte proportionnelle (treemap) des activités des biens {word}, {place} : "
        + ", ".join(f"{a.label} {format_percent(a.share_of_flow)}" for a in activities[:5])
        + ("…" if len(activities) > 5 else ".")
    )
    legend = tuple((n, f"{tiles[i].name} ({format_percent(tiles[i].share)})") for i, n in numbered.items())
    return Chart(chart_id, "treemap", {"data": data, "layout": layout}, description, table, flow, legend)


@dataclass(frozen=True)
class TreemapTile:
    """One tile of a treemap: its label (shortened), full name, value and share of the flow."""

    short: str
    name: str
    value: int
    share: float


def _treemap_tiles(activities: list[Activity]) -> list[TreemapTile]:
    """The first 20 products, then one "Autres activités" tile for the rest, in rank order."""
    tiles = [TreemapTile(shorten(a.label, 64), a.label, a.value_eur, a.share_of_flow) for a in activities]
    shown, rest = tiles[:TREEMAP_MAX_ITEMS], activities[TREEMAP_MAX_ITEMS:]
    if rest:
        value, share = sum(a.value_eur for a in rest), sum(a.share_of_flow for a in rest)
        shown.append(TreemapTile("Autres activités", f"Autres activités ({len(rest)} produits)", value, share))
    return shown


def _tile_labels(tiles: list[TreemapTile]) -> tuple[list[str], dict[int, int]]:
    """Each tile's label wrapped to its width, and {tile index: number} of those too small for it (1, 2… by size).

    The tiles are laid out as Plotly draws them at each width a treemap gets on two columns (the
    layout changes with the width); a label must fit in all of them at `TREEMAP_LABEL_PX`.
    """
    order = sorted(range(len(tiles)), key=lambda i: -tiles[i].value)  # Plotly's `sort`: stable, descending
    values = [tiles[i].value for i in order]
    layouts = [tiling.tile_sizes(values, width - 20, TREEMAP_HEIGHT - 20) for width in TREEMAP_WIDTHS]
    labels = [""] * len(tiles)
    numbered: dict[int, int] = {}
    for rank, i in enumerate(order):
        sizes = [layout[rank] for layout in layouts]
        lines = tiling.fit_label(tiles[i].short, format_percent(tiles[i].share), sizes, TREEMAP_LABEL_PX)
        if lines:
            labels[i] = "<br>".join(lines)
        else:
            numbered[i] = len(numbered) + 1
            labels[i] = str(numbered[i])
    return labels, numbered


def _node_order(totals: dict[str, tuple[str, int]]) -> list[str]:
    """Codes by value descending (code ascending on ties), the `AUTRES` bucket last."""
    named = sorted((c for c in totals if c != OTHERS_CODE), key=lambda c: (-totals[c][1], c))
    return named + ([OTHERS_CODE] if OTHERS_CODE in totals else [])


def _column_positions(values: list[int], pad: float) -> list[float]:
    """Node centres (0–1, top down) of one Sankey column stacked in the given order, `pad` apart."""
    total = sum(values) or 1
    free = 1 - pad * (len(values) - 1)
    heights = [free * v / total for v in values]
    positions, cursor = [], 0.0
    for h in heights:
        positions.append(min(max(cursor + h / 2, 0.001), 0.999))
        cursor += h + pad
    return positions


def sankey_chart(chart_id: str, links: list[Link], flow: str, place: str, *, height: int = 560) -> Chart:
    """Products → countries (export) or countries → products (import); the 5 highlighted cells red."""
    products: dict[str, tuple[str, int]] = {}
    countries: dict[str, tuple[str, int]] = {}
    for link in links:
        label, value = products.get(link.product_code, (link.product_label, 0))
        products[link.product_code] = (label, value + link.value_eur)
        label, value = countries.get(link.country_code, (link.country_label, 0))
        countries[link.country_code] = (label, value + link.value_eur)
    product_order, country_order = _node_order(products), _node_order(countries)

    def node_label(code: str, kind: str) -> str:
        if code == OTHERS_CODE:
            return "Autres produits" if kind == "product" else "Autres pays"
        names = products if kind == "product" else countries
        return names[code][0]

    left = [("product", c) for c in product_order] if flow == "export" else [("country", c) for c in country_order]
    right = [("country", c) for c in country_order] if flow == "export" else [("product", c) for c in product_order]
    nodes = left + right
    index = {node: i for i, node in enumerate(nodes)}
    value_of = {("product", c): v for c, (_, v) in products.items()} | {
        ("country", c): v for c, (_, v) in countries.items()
    }
    full_labels = [node_label(code, kind) for kind, code in nodes]
    node_pad = 14 if height >= 450 else 11  # px between nodes: room for the labels of small nodes
    pad_fraction = node_pad / (height - 20)
    # highlighted cells last: drawn on top of the grey ones
    ordered_links = sorted(links, key=lambda lk: (lk.is_highlighted, lk.value_eur))
    sources, targets, values, colors, hover = [], [], [], [], []
    for link in ordered_links:
        if link.value_eur <= 0:
            continue
        p, c = index[("product", link.product_code)], index[("country", link.country_code)]
        src, dst = (p, c) if flow == "export" else (c, p)
        sources.append(src)
        targets.append(dst)
        values.append(link.value_eur / 1e6)
        colors.append(HIGHLIGHT_LINK if link.is_highlighted else OTHER_LINK)
        hover.append(f"{full_labels[src]} → {full_labels[dst]}<br>{format_meur(link.value_eur)}")
    data = [
        {
            "type": "sankey",
            "arrangement": "fixed",
            "valueformat": ",.1f",
            "node": {
                "label": [shorten(lbl) for lbl in full_labels],
                "x": [0.001] * len(left) + [0.999] * len(right),
                "y": _column_positions([value_of[n] for n in left], pad_fraction)
                + _column_positions([value_of[n] for n in right], pad_fraction),
                "pad": node_pad,
                "thickness": 14,
                "color": [OTHERS_NODE_COLOR if code == OTHERS_CODE else NODE_COLOR for _, code in nodes],
                "line": {"width": 0},
                "customdata": [
                    f"{lbl}<br>{format_meur(value_of[n])}" for lbl, n in zip(full_labels, nodes, strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            "link": {
                "source": sources,
                "target": targets,
                "value": values,
                "color": colors,
                "customdata": hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            "meta": {"left": len(left), "right": len(right)},
        }
    ]
    layout = _base_layout(height)
    layout["margin"] = {"l": 10, "r": 10, "t": 10, "b": 10}
    layout["font"] = {**FONT, "size": 11 if height >= 450 else 10}
    direction = "produit → pays de destination" if flow == "export" else "pays d'origine → produit"
    table = Table(
        f"Flux {'à l’export' if flow == 'export' else 'à l’import'} ({direction}), {place} (millions d'euros)",
        ("Produit", "Pays", "Valeur", "Principal flux"),
        [
            (
                node_label(lk.product_code, "product"),
                node_label(lk.country_code, "country"),
                format_millions(lk.value_eur),
                "oui" if lk.is_highlighted else "",
            )
            for lk in sorted(links, key=lambda lk: (-lk.value_eur, lk.product_code, lk.country_code))
        ],
        (False, False, True, False),
    )
    highlighted = [lk for lk in ordered_links if lk.is_highlighted]
    description = (
        f"Diagramme de Sankey des flux {'à l’export' if flow == 'export' else 'à l’import'}, {place} "
        f"({direction}), {len(product_order)} groupes de produits et {len(country_order)} groupes de pays. "
        "Principaux flux : "
        + "; ".join(
            f"{node_label(lk.product_code, 'product')} – {node_label(lk.country_code, 'country')} "
            f"{format_meur(lk.value_eur)}"
            for lk in highlighted
        )
        + "."
    )
    return Chart(chart_id, "sankey", {"data": data, "layout": layout}, description, table, flow)


REGION_ALPHA = 0.55  # the région's bars: the territory's colour, lighter
FRANCE_COLOR = "#8c8c99"
BELOW_ONE_COLOR = "#b9b9c6"  # products the territory is not specialised in (rca < 1)
FLOW_TITLES = {"export": "Exportations", "import": "Importations"}
FLOW_RGB = {"export": (123, 63, 158), "import": (47, 110, 181)}


def _rgba(flow: str, alpha: float) -> str:
    r, g, b = FLOW_RGB[flow]
    return f"rgba({r}, {g}, {b}, {alpha})"


def _value_axis(title: str) -> dict:
    return {"title": {"text": title, "font": {"size": 11}}, "tickformat": ",.0f", "gridcolor": "#e6e6e6"}


def _legend() -> dict:
    return {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"}


def _category_axis(names: list[str]) -> dict:
    """The category axis of horizontal bars: first item on top, labels a little off the bars."""
    return {
        "autorange": "reversed",
        "automargin": True,
        "categoryorder": "array",
        "categoryarray": names,
        "ticklabelstandoff": 6,
    }


def year_label(trend: YearTrend) -> str:
    """`2024`, or `2025 (2 trim.)` for a partial year."""
    return str(trend.year) if not trend.is_partial else f"{trend.year} ({trend.quarters_covered} trim.)"


def annual_chart(chart_id: str, trends: dict[str, list[YearTrend]], place: str) -> Chart:
    """Exports and imports of every year, side by side (M€); a partial year hatched."""
    by_year = {flow: {t.year: t for t in trends.get(flow, [])} for flow in FLOWS}
    years = sorted({y for rows in by_year.values() for y in rows})
    labels = {
        y: year_label(min((by_year[f][y] for f in FLOWS if y in by_year[f]), key=lambda t: t.quarters_covered))
        for y in years
    }
    data = []
    for flow in FLOWS:
        rows = [by_year[flow][y] for y in years if y in by_year[flow]]
        data.append(
            {
                "type": "bar",
                "name": FLOW_TITLES[flow],
                "x": [labels[t.year] for t in rows],
                "y": [t.value_eur / 1e6 for t in rows],
                "marker": {
                    "color": FLOW_COLOR[flow],
                    "pattern": {
                        "shape": ["/" if t.is_partial else "" for t in rows],
                        "fillmode": "overlay",
                        "fgcolor": "#ffffff",
                        "size": 8,
                    },
                },
                "customdata": [
                    f"{FLOW_TITLES[flow]} {labels[t.year]} : {format_meur(t.value_eur)}"
                    + (f"<br>{format_signed_percent(t.growth_1y)} sur un an" if t.growth_1y is not None else "")
                    for t in rows
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    layout = _base_layout(320)
    layout.update(
        {
            "barmode": "group",
            "bargap": 0.25,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
            "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": [labels[y] for y in years]},
            "yaxis": {**_value_axis("millions d'euros"), "automargin": True},
            "legend": _legend(),
        }
    )

    def cells(flow: str, year: int) -> tuple[str, str]:
        trend = by_year[flow].get(year)
        if trend is None:
            return MISSING, MISSING
        return format_millions(trend.value_eur), or_missing(trend.growth_1y, format_signed_percent)

    lines = []
    for year in years:
        exp, imp = by_year["export"].get(year), by_year["import"].get(year)
        balance = format_millions(exp.value_eur - imp.value_eur) if exp and imp else MISSING
        quarters = min(t.quarters_covered for t in (exp, imp) if t is not None)
        lines.append((str(year), str(quarters), *cells("export", year), *cells("import", year), balance))
    table = Table(
        f"Exportations et importations annuelles, {place} (millions d'euros et évolution sur un an)",
        ("Année", "Trimestres", "Exportations", "Évolution", "Importations", "Évolution", "Solde"),
        lines,
        (False, True, True, True, True, True, True),
    )
    span = f"{years[0]} à {years[-1]}" if years else ""
    partial = any(t.is_partial for rows in by_year.values() for t in rows.values())
    description = (
        f"Diagramme en barres des exportations (violet) et des importations (bleu) annuelles, {place}, {span}, "
        "en millions d'euros" + (" ; une année incomplète est hachurée." if partial else ".")
    )
    return Chart(chart_id, "annual", {"data": data, "layout": layout}, description, table)


def quarterly_chart(chart_id: str, quarters: dict[str, list[QuarterTotal]], place: str) -> Chart:
    """The last quarters' exports and imports (M€), each bar labelled with its change on a year earlier."""
    labels = sorted({(q.year, q.quarter) for rows in quarters.values() for q in rows})
    names = [f"T{q} {y}" for y, q in labels]
    data = []
    for flow in FLOWS:
        rows = quarters.get(flow, [])
        data.append(
            {
                "type": "bar",
                "name": FLOW_TITLES[flow],
                "x": [q.label for q in rows],
                "y": [q.value_eur / 1e6 for q in rows],
                "text": [format_signed_percent(q.growth_yoy) if q.growth_yoy is not None else "" for q in rows],
                "textposition": "outside",
                "textfont": {"size": 10, "color": FLOW_COLOR[flow]},
                "cliponaxis": False,
                "marker": {"color": FLOW_COLOR[flow]},
                "customdata": [
                    f"{FLOW_TITLES[flow]}, {q.label} : {format_meur(q.value_eur)}<br>"
                    f"{or_missing(q.growth_yoy, format_signed_percent)} sur un an"
                    for q in rows
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    layout = _base_layout(340)
    layout.update(
        {
            "barmode": "group",
            "bargap": 0.2,
            "margin": {"l": 10, "r": 10, "t": 24, "b": 40},
            "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": names},
            "yaxis": {**_value_axis("millions d'euros"), "automargin": True},
            "legend": _legend(),
        }
    )
    by_flow = {flow: {(q.year, q.quarter): q for q in quarters.get(flow, [])} for flow in FLOWS}

    def cells(flow: str, key: tuple[int, int]) -> tuple[str, str]:
        q = by_flow[flow].get(key)
        return (
            (MISSING, MISSING)
            if q is None
            else (format_millions(q.value_eur), or_missing(q.growth_yoy, format_signed_percent))
        )

    table = Table(
        f"Exportations et importations trimestrielles, {place} (millions d'euros et évolution sur le même trimestre "
        "de l'année précédente)",
        ("Trimestre", "Exportations", "Évolution sur un an", "Importations", "Évolution sur un an"),
        [(name, *cells("export", key), *cells("import", key)) for name, key in zip(names, labels, strict=True)],
        (False, True, True, True, True),
    )
    description = (
        f"Diagramme en barres des exportations et importations des {len(names)} derniers trimestres, {place}, en "
        "millions d'euros ; chaque barre porte son évolution par rapport au même trimestre de l'année précédente."
    )
    return Chart(chart_id, "quarterly", {"data": data, "layout": layout}, description, table)


def exposure_indicators(flow: str) -> list[tuple[str, str]]:
    """(Exposure attribute, French label) of the shares the exposure chart compares."""
    one, many = ("client", "clients") if flow == "export" else ("fournisseur", "fournisseurs")
    return [
        ("eu27_share", "Union européenne (UE à 27)"),
        ("extra_eu27_share", "Hors Union européenne"),
        ("us_share", "États-Unis"),
        ("cn_share", "Chine"),
        ("top_partner_share", f"Premier {one}"),
        ("top3_partners_share", f"Trois premiers {many}"),
    ]


def _series_color(flow: str, level: str, index: int) -> str:
    if level == "france" and index > 0:
        return FRANCE_COLOR
    return FLOW_COLOR[flow] if index == 0 else _rgba(flow, REGION_ALPHA)


def exposure_chart(chart_id: str, flow: str, rows: list[tuple[Territory, Exposure]], place: str) -> Chart:
    """Shares of the flow by zone and for the first partners: the territory beside its région and France."""
    indicators = exposure_indicators(flow)
    names = [label for _, label in indicators]
    data = []
    for index, (territory, exposure) in enumerate(rows):
        shares = [getattr(exposure, attr) for attr, _ in indicators]
        partner = exposure.top_partner_label or ""
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": territory.display_label,
                "y": names,
                "x": [None if s is None else s * 100 for s in shares],
                "text": [or_missing(s, format_percent) for s in shares],
                "textposition": "outside",
                "textfont": {"size": 10},
                "cliponaxis": False,
                "marker": {"color": _series_color(flow, territory.level, index)},
                "customdata": [
                    f"{territory.display_label}, {label}"
                    + (f" ({partner})" if attr == "top_partner_share" and partner else "")
                    + f" : {or_missing(s, format_percent)}"
                    for (attr, label), s in zip(indicators, shares, strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    layout = _base_layout(120 + len(indicators) * (18 * len(rows) + 22))
    layout.update(
        {
            "barmode": "group",
            "bargap": 0.25,
            "margin": {"l": 10, "r": 40, "t": 10, "b": 40},
            "xaxis": {
                "title": {"text": f"part des {FLOW_TITLES[flow].lower()} (%)", "font": {"size": 11}},
                "ticksuffix": "\u00a0%",
                "gridcolor": "#e6e6e6",
                "rangemode": "tozero",
            },
            "yaxis": _category_axis(names),
            "legend": _legend(),
        }
    )
    return Chart(
        chart_id,
        "exposure",
        {"data": data, "layout": layout},
        _exposure_description(flow, rows, place),
        exposure_table(flow, rows, place),
        flow,
    )


def _exposure_description(flow: str, rows: list[tuple[Territory, Exposure]], place: str) -> str:
    others = ", ".join(t.display_label for t, _ in rows[1:])
    return (
        f"Diagramme en barres horizontales des parts des {FLOW_TITLES[flow].lower()}, {place} : Union européenne, "
        "hors Union européenne, États-Unis, Chine, premier et trois premiers partenaires"
        + (f", comparées à {others}." if others else ".")
    )


def exposure_table(flow: str, rows: list[tuple[Territory, Exposure]], place: str) -> Table:
    """Every exposure indicator of the flow, one column per territory, then the gap with France when compared."""
    france = next((e for t, e in rows[1:] if t.level == "france"), None)
    own = rows[0][1]

    def line(label: str, attr: str, fmt: Callable[[float], str], gap: Callable[[float], str]) -> tuple[str, ...]:
        values = [getattr(e, attr) for _, e in rows]
        cells = [or_missing(v, fmt) for v in values]
        if france is not None:
            mine, ref = getattr(own, attr), getattr(france, attr)
            cells.append(MISSING if mine is None or ref is None else gap(mine - ref))
        return (label, *cells)

    body = [line(label, attr, format_percent, format_points) for attr, label in exposure_indicators(flow)]
    word = "client" if flow == "export" else "fournisseur"
    partner_row = (f"Premier {word} (pays)", *[e.top_partner_label or MISSING for _, e in rows])
    body.insert(4, partner_row + (("",) if france is not None else ()))
    body += [
        line("Nombre de pays partenaires", "partner_count", format_number, format_signed_number),
        line("Concentration par pays (indice HHI)", "partner_hhi", format_hhi, lambda d: format_signed_number(d, 2)),
        line("Nombre de produits", "product_count", format_number, format_signed_number),
        line("Concentration par produit (indice HHI)", "product_hhi", format_hhi, lambda d: format_signed_number(d, 2)),
    ]
    headers = ("Indicateur", *[t.display_label for t, _ in rows]) + (("Écart avec la France",) if france else ())
    return Table(
        f"Exposition et dépendance des {FLOW_TITLES[flow].lower()}, {place} (parts en % du flux, écarts en points)",
        headers,
        body,
        (False, *[True] * (len(headers) - 1)),
    )


def specialisation_chart(chart_id: str, flow: str, products: list[ProductWeight], place: str) -> Chart:
    """The products with the highest specialisation index (rca), against a line at 1 (France)."""
    labels = [shorten(p.label, 48) for p in products]
    rca = [p.rca or 0.0 for p in products]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "Indice de spécialisation",
            "y": labels,
            "x": rca,
            "text": [format_number(v, 1) for v in rca],
            "textposition": "outside",
            "textfont": {"size": 10},
            "cliponaxis": False,
            "marker": {"color": [FLOW_COLOR[flow] if v >= 1 else BELOW_ONE_COLOR for v in rca]},
            "customdata": [
                f"{p.label}<br>{format_percent(p.share_of_flow)} des {FLOW_TITLES[flow].lower()}, "
                f"contre {or_missing(p.france_share_of_flow, format_percent)} pour la France<br>"
                f"Indice : {format_number(v, 1)}"
                for p, v in zip(products, rca, strict=True)
            ],
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]
    layout = _base_layout(90 + 30 * len(products))
    layout.update(
        {
            "margin": {"l": 10, "r": 40, "t": 10, "b": 40},
            "bargap": 0.3,
            "showlegend": False,
            "xaxis": {
                "title": {"text": "indice de spécialisation (France = 1)", "font": {"size": 11}},
                "gridcolor": "#e6e6e6",
                "rangemode": "tozero",
            },
            "yaxis": _category_axis(labels),
            "shapes": [
                {
                    "type": "line",
                    "x0": 1,
                    "x1": 1,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": FRANCE_COLOR, "width": 1.5, "dash": "dash"},
                }
            ],
        }
    )
    word = FLOW_TITLES[flow].lower()
    table = Table(
        f"Produits où le poids {'à l’export' if flow == 'export' else 'à l’import'} est le plus élevé par rapport à "
        f"la France, {place} (produits pesant au moins 1 % des {word})",
        ("Produit (A129)", "Valeur (M€)", f"Part des {word}", "Part pour la France", "Indice de spécialisation"),
        [
            (
                p.label,
                format_millions(p.value_eur),
                format_percent(p.share_of_flow),
                or_missing(p.france_share_of_flow, format_percent),
                or_missing(p.rca, lambda v: format_number(v, 1)),
            )
            for p in products
        ],
        (False, True, True, True, True),
    )
    description = (
        f"Diagramme en barres horizontales de l'indice de spécialisation des {len(products)} produits où le poids "
        f"des {word} de {place} dépasse le plus celui de la France : "
        + ", ".join(f"{p.label} {format_number(v, 1)}" for p, v in zip(products[:3], rca, strict=False))
        + "."
    )
    return Chart(chart_id, "rca", {"data": data, "layout": layout}, description, table, flow)


def us_products_chart(chart_id: str, flow: str, products: list[ProductWeight], place: str) -> Chart:
    """The products with the most trade with the United States (M€)."""
    labels = [shorten(p.label, 48) for p in products]
    towards = "vers les États-Unis" if flow == "export" else "en provenance des États-Unis"
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": f"{FLOW_TITLES[flow]} {towards}",
            "y": labels,
            "x": [p.us_value_eur / 1e6 for p in products],
            "text": [format_millions(p.us_value_eur) for p in products],
            "textposition": "outside",
            "textfont": {"size": 10},
            "cliponaxis": False,
            "marker": {"color": FLOW_COLOR[flow]},
            "customdata": [
                f"{p.label}<br>{format_meur(p.us_value_eur)} {towards}, "
                f"soit {or_missing(p.us_share_of_product, format_percent)} du produit"
                for p in products
            ],
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]
    layout = _base_layout(90 + 30 * len(products))
    layout.update(
        {
            "margin": {"l": 10, "r": 50, "t": 10, "b": 40},
            "bargap": 0.3,
            "showlegend": False,
            "xaxis": {**_value_axis(f"millions d'euros {towards}"), "rangemode": "tozero"},
            "yaxis": _category_axis(labels),
        }
    )
    table = Table(
        f"Produits les plus {'exportés' if flow == 'export' else 'importés'} {towards}, {place} (millions d'euros)",
        ("Produit (A129)", f"Valeur {towards}", "Valeur totale du produit", "Part des États-Unis dans le produit"),
        [
            (
                p.label,
                format_millions(p.us_value_eur),
                format_millions(p.value_eur),
                or_missing(p.us_share_of_product, format_percent),
            )
            for p in products
        ],
        (False, True, True, True),
    )
    description = (
        f"Diagramme en barres horizontales des {len(products)} produits les plus "
        f"{'exportés' if flow == 'export' else 'importés'} {towards}, {place}, en millions d'euros : "
        + ", ".join(f"{p.label} {format_meur(p.us_value_eur)}" for p in products[:3])
        + "."
    )
    return Chart(chart_id, "us", {"data": data, "layout": layout}, description, table, flow)
