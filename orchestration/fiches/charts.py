"""Plotly figure dicts (no plotly.py round trip: plain dicts, JSON-dumped into the page) and their data tables."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from orchestration.fiches.data import OTHERS_CODE, Activity, Link, Partner
from orchestration.fiches.formatting import format_meur, format_millions, format_number, format_percent

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
    """Treemap of a flow's A129 products (area ∝ value); beyond the first 20, one "Autres activités" tile."""
    shown = activities[:TREEMAP_MAX_ITEMS]
    rest = activities[TREEMAP_MAX_ITEMS:]
    labels = [wrap(shorten(a.label, 64)) for a in shown]
    values = [a.value_eur for a in shown]
    shares = [a.share_of_flow for a in shown]
    full = [a.label for a in shown]
    if rest:
        labels.append("Autres activités")
        values.append(sum(a.value_eur for a in rest))
        shares.append(sum(a.share_of_flow for a in rest))
        full.append(f"Autres activités ({len(rest)} produits)")
    color = FLOW_COLOR[flow]
    data = [
        {
            "type": "treemap",
            "labels": labels,
            "parents": [""] * len(labels),
            "values": values,
            "ids": [f"{flow}-{i}" for i in range(len(labels))],
            "text": [format_percent(s) for s in shares],
            "texttemplate": "<b>%{label}</b><br>%{text}",
            "textposition": "top left",
            "customdata": [
                f"{name}<br>{format_meur(v)} ({format_percent(s)})"
                for name, v, s in zip(full, values, shares, strict=True)
            ],
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {
                "colors": [color] * len(labels),
                "line": {"color": "#ffffff", "width": 2},
            },
            "opacity": 1,
            "sort": True,
            "tiling": {"pad": 2},
            "insidetextfont": {"color": "#ffffff"},
            "pathbar": {"visible": False},
        }
    ]
    layout = _base_layout(380)
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
    return Chart(chart_id, "treemap", {"data": data, "layout": layout}, description, table, flow)


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
