"""Fiches as printed and published: treemap tiles numbered when too small, the kicker by level, the index link
of a single fiche, the print geometry (the PDFs themselves: tests/integration/test_fiches_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestration.fiches import browser, charts, tiling
from orchestration.fiches.build import build_fiches
from orchestration.fiches.data import Activity, ExportTables
from orchestration.fiches.render import STATIC_DIR, FicheRenderer
from tests.unit.test_fiches_data import exports  # noqa: F401 (the base tables' fixture)

# the Vosges' 2024 export treemap of the sample (20 products and « Autres »), and the first tiles Plotly drew
# in a 488 px wide chart (read from the page's SVG paths in Chromium)
VOSGES_EXPORT = [818676550, 535888114, 367449374, 247639341, 212056771, 195107022, 89034743, 80567931, 78560087]
VOSGES_EXPORT += [74528700, 57082700, 32245103, 26645113, 19402130, 15479377, 13518873, 11266397, 9720450]
VOSGES_EXPORT += [8697977, 8105483, 5027764]
PLOTLY_TILES = [(211.43, 198.66), (211.43, 129.34), (144.1, 129.57), (96.46, 129.57), (104.27, 102.39)]


def test_tiles_laid_out_as_plotly_draws_them() -> None:
    sizes = tiling.tile_sizes(VOSGES_EXPORT, 488 - 20, 380 - 20)
    assert [(round(w, 2), round(h, 2)) for w, h in sizes[: len(PLOTLY_TILES)]] == PLOTLY_TILES
    inner = (488 - 20 - 12 + 2) * (380 - 20 - 30 + 2)  # the root's padding, then 2 px between tiles
    assert sum((w + 2) * (h + 2) for w, h in sizes) == pytest.approx(inner)
    assert tiling.squarify([3, 0], 10, 10) == [(10.0, 10.0), (0.0, 0.0)]  # an empty tile gets no area


def test_label_fits_every_width_or_none() -> None:
    wide, narrow = (200.0, 120.0), (90.0, 120.0)
    lines = tiling.fit_label("Produits en plastique et ouvrages", "18,4 %", [wide, narrow], 9.5)
    assert lines == ["Produits en", "plastique et", "ouvrages"]  # wrapped to the narrowest tile
    assert tiling.fit_label("Meubles", "12,6 %", [(30.0, 100.0)], 9.5) is None  # too narrow for « Meubles »
    assert tiling.fit_label("Meubles", "12,6 %", [(200.0, 20.0)], 9.5) is None  # too low for two lines


def _activities(values: list[int]) -> list[Activity]:
    total = sum(values)
    return [
        Activity(f"C{i:02d}", f"Produit numéro {i} de la nomenclature", v, v / total, i)
        for i, v in enumerate(values, start=1)
    ]


def test_small_treemap_tiles_numbered_and_named_in_the_legend() -> None:
    chart = charts.treemap_chart("treemap-export", _activities([5000, 3000, *[40] * 18, *[1] * 6]), "export", "Vosges")
    trace = chart.figure["data"][0]
    labels, templates = trace["labels"], trace["texttemplate"]
    assert labels[0].replace("<br>", " ") == "Produit numéro 1 de la nomenclature"
    assert templates[0] == "<b>%{label}</b><br>%{text}"
    numbered = [i for i, label in enumerate(labels) if label.isdigit()]
    assert len(labels) == 21 and numbered == list(range(2, 21))  # 20 products and « Autres », the small ones
    assert [labels[i] for i in numbered] == [str(n) for n in range(1, len(numbered) + 1)]  # 1, 2… by size
    assert all(templates[i] == "<b>%{label}</b>" for i in numbered)  # no share in a numbered tile
    assert [n for n, _ in chart.legend] == list(range(1, len(numbered) + 1))
    assert chart.legend[0][1] == "Produit numéro 3 de la nomenclature (0,5\u00a0%)"
    assert chart.legend[-1][1].startswith("Autres activités (6 produits)")


def test_a_big_tile_keeps_its_name() -> None:
    chart = charts.treemap_chart("treemap-import", _activities([1000, 900]), "import", "Vosges")
    assert chart.legend == ()
    assert [label.replace("<br>", " ") for label in chart.figure["data"][0]["labels"]] == [
        "Produit numéro 1 de la nomenclature",
        "Produit numéro 2 de la nomenclature",
    ]


def _kicker(html: str) -> str:
    kickers = re.findall(r'<p class="kicker">(.*?)</p>', html, re.S)
    assert len(kickers) == 2
    return kickers[1]


@pytest.mark.parametrize(
    ("level", "code", "kicker"),
    [
        ("departement", "88", "Territoires d'industrie · données douanières 2024"),
        ("region", "13", "Données douanières 2024"),
        ("france", None, "Données douanières 2024"),
    ],
)
def test_kicker_by_level(exports: Path, tmp_path: Path, level: str, code: str | None, kicker: str) -> None:  # noqa: F811
    page = build_fiches(exports, tmp_path, level=level, territory=code).pages[0].path
    assert _kicker(page.read_text(encoding="utf-8")) == kicker


def test_a_single_fiche_links_to_an_index_of_the_fiches_present(exports: Path, tmp_path: Path) -> None:  # noqa: F811
    vosges = build_fiches(exports, tmp_path, territory="88").pages[0].path
    index = vosges.parent / "index.html"
    assert '<a href="index.html">Toutes les fiches 2024</a>' in vosges.read_text(encoding="utf-8")
    assert set(re.findall(r'href="(\w+-\w+)\.html"', index.read_text(encoding="utf-8"))) == {"departement-88"}
    build_fiches(exports, tmp_path, level="region", territory="13")
    listed = set(re.findall(r'href="(\w+-\w+)\.html"', index.read_text(encoding="utf-8")))
    assert listed == {"departement-88", "region-13"}  # refreshed over the fiches in the folder
    assert all((index.parent / f"{slug}.html").is_file() for slug in listed)


def test_no_index_no_link(exports: Path, tmp_path: Path) -> None:  # noqa: F811
    tables = ExportTables(exports)
    page = FicheRenderer(tables, tmp_path).render(2024, tables.territory("departement", "88")).path
    html = page.read_text(encoding="utf-8")
    assert not (page.parent / "index.html").exists() and 'href="index.html"' not in html
    assert "Toutes les fiches" not in html


def test_print_geometry_matches_the_stylesheet() -> None:
    css = (STATIC_DIR / "fiche.css").read_text(encoding="utf-8")
    page = re.search(r"@page \{ size: A4; margin: (\d+)mm (\d+)mm (\d+)mm; \}", css)
    assert page and int(page.group(2)) == browser.PRINT_MARGIN_MM
    assert f"html {{ zoom: {browser.PRINT_ZOOM}; }}" in css
    main = re.search(r"\nmain, [^{]*\{[^}]*padding: 0 (\d+)px", css)  # the side paddings on screen
    section = re.search(r"\nsection \{[^}]*padding: \d+px (\d+)px", css)
    assert main and section and 2 * (int(main.group(1)) + int(section.group(1))) == browser.SCREEN_GUTTERS_PX
    width, _ = browser.print_window()
    text_px = (210 - 2 * browser.PRINT_MARGIN_MM) * 96 / 25.4 / browser.PRINT_ZOOM
    assert width - browser.SCREEN_GUTTERS_PX == round(text_px)  # the charts' width on screen = their printed width
    assert max(charts.TREEMAP_WIDTHS) == round((text_px - 16) / 2)  # the printed treemaps' labels are checked too
