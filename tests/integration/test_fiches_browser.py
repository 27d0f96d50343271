"""The Vosges 2024 fiche, built from the sample's export tables, loaded in headless Chromium.

The page's own script writes what Plotly actually drew (Sankey nodes per column, links, red links)
into <pre id="render-report">; Chromium's --dump-dom hands the DOM back and --screenshot a PNG.
"""

from __future__ import annotations

import csv
import html
import json
import re
import struct
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from orchestration.fiches.browser import BrowserNotFoundError, dump_dom, find_chromium, print_pdf, screenshot
from orchestration.fiches.build import build_fiches

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def chromium() -> Path:
    try:
        return find_chromium()
    except BrowserNotFoundError as exc:
        pytest.fail(f"{exc} — the test set-up (`make test`) installs it")


@pytest.fixture(scope="module")
def fiches(sample_refresh, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(exports dir, fiches dir) with every 2024 fiche and the index rendered."""
    paths, _ = sample_refresh
    out = tmp_path_factory.mktemp("fiches")
    result = build_fiches(paths.exports_dir, out, year=2024, all_territories=True)
    assert len(result.pages) >= 100
    return paths.exports_dir, out


@pytest.fixture(scope="module")
def vosges_dom(chromium: Path, fiches: tuple[Path, Path]) -> tuple[str, list[str]]:
    page = fiches[1] / "2024" / "departement-88.html"
    run = dump_dom(page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.console


def _report(dom: str) -> dict:
    match = re.search(r'<pre id="render-report"[^>]*>(.*?)</pre>', dom, re.S)
    assert match and match.group(1).strip(), "the page's script did not write its render report"
    return json.loads(html.unescape(match.group(1)))


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, every space (no-break ones included) as one plain space."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip().replace(" ,", ",")


def _fr(value: Decimal, decimals: int) -> str:
    """French rendering computed independently of the formatting module, plain spaces."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,.{decimals}f}".replace(",", " ").replace(".", ",")


def _expected_sentence(exports: Path, flow: str) -> str:
    with (exports / "territory_totals.csv").open(encoding="utf-8") as fh:
        rows = {(r["year"], r["level"], r["territory_code"], r["flow"]): r for r in csv.DictReader(fh)}
    vosges = rows[("2024", "departement", "88", flow)]
    region = rows[("2024", "region", "13", flow)]
    word, participle = ("exportations", "exportée") if flow == "export" else ("importations", "importée")
    value = _fr(Decimal(vosges["value_eur"]) / 1_000_000, 1)
    share_region = _fr(Decimal(vosges["share_of_region"]) * 100, 1)
    share_france = _fr(Decimal(vosges["share_of_france"]) * 100, 2)
    return (
        f"Total des {word} : {value} millions d'euros, soit {share_region} % de la valeur {participle} par la région "
        f"{region['territory_label']}, soit {share_france} % de la valeur {participle} au niveau national"
    )


def test_page_renders_without_console_error(vosges_dom: tuple[str, list[str]]) -> None:
    dom, console = vosges_dom
    report = _report(dom)
    assert report["errors"] == []
    assert console == [], console
    assert report["plotly"]  # the bundled plotly.js loaded from ../assets/, offline
    assert 'data-rendered="ok"' in dom
    kinds = [c["kind"] for c in report["charts"]]
    assert kinds.count("sankey") == 6  # export and import: the département, its région, France
    assert kinds.count("treemap") == 2 and kinds.count("balance") == 1


@pytest.mark.parametrize("flow", ["export", "import"])
def test_sankey_drawn_like_the_fiche(vosges_dom: tuple[str, list[str]], flow: str) -> None:
    charts = {c["id"]: c for c in _report(vosges_dom[0])["charts"]}
    sankey = charts[f"sankey-{flow}"]
    assert sankey["left_nodes"] == 11 and sankey["right_nodes"] == 11  # top 10 + "autres", each side
    assert sankey["highlighted_links"] == 5
    assert sankey["links"] > 5
    products_side = sankey["node_labels"][:11] if flow == "export" else sankey["node_labels"][11:]
    assert "Autres produits" in products_side
    for scope in ("region", "france"):
        assert charts[f"sankey-{flow}-{scope}"]["highlighted_links"] == 5
    assert charts["balance"]["bars"] > 10
    assert charts[f"treemap-{flow}"]["tiles"] > 5


@pytest.mark.parametrize("flow", ["export", "import"])
def test_totals_sentence_equals_the_exports(
    vosges_dom: tuple[str, list[str]], fiches: tuple[Path, Path], flow: str
) -> None:
    match = re.search(rf'<div class="totals" id="totals-{flow}"[^>]*>(.*?)</div>', vosges_dom[0], re.S)
    assert match
    assert _text(match.group(1)) == _expected_sentence(fiches[0], flow)


def test_published_vosges_figures(vosges_dom: tuple[str, list[str]]) -> None:
    # the sample is calibrated on the published 2024 fiche
    text = _text(vosges_dom[0])
    assert (
        "Total des exportations : 2 906,7 millions d'euros, soit 4,3 % de la valeur exportée par la région Grand Est, "
        "soit 0,50 % de la valeur exportée au niveau national" in text
    )
    assert "Total des importations : 2 277,2 millions d'euros, soit 3,6 %" in text
    assert "Total des exportations : 67 665,4 millions d'euros" in text
    assert "Total des importations : 684 776,3 millions d'euros" in text
    assert "Les indicateurs clés : commerce extérieur — Vosges" in text
    assert "Données synthétiques" in text


def test_screenshot(chromium: Path, fiches: tuple[Path, Path], tmp_path: Path) -> None:
    png = tmp_path / "vosges-2024.png"
    run = screenshot((fiches[1] / "2024" / "departement-88.html").as_uri(), png)
    assert run.returncode == 0, run.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1100, 5400)
    assert len(data) > 200_000  # charts drawn, not a blank page


def _table_rows(dom: str) -> list[str]:
    """The index table's rows as the script left them (order, `hidden`)."""
    body = re.search(r"<tbody>(.*?)</tbody>", dom, re.S)
    assert body
    return re.findall(r"<tr [^>]*>.*?</tr>", body.group(1), re.S)


def test_index_filters_by_name_and_code(chromium: Path, fiches: tuple[Path, Path]) -> None:
    index = fiches[1] / "2024" / "index.html"

    def visible(query: str) -> list[str]:
        dom = dump_dom(f"{index.as_uri()}?q={query}").stdout
        rows = [row for row in _table_rows(dom) if " hidden" not in row.split(">", 1)[0]]
        return [re.search(r'<a href="([^"]+)"', row).group(1) for row in rows]

    assert visible("vosges") == ["departement-88.html"]
    assert visible("88") == ["departement-88.html"]
    assert "region-13.html" in visible("grand%20est")
    assert visible("cote%20d%20or") == ["departement-21.html"]  # accents folded
    assert visible("2a") == visible("2B") == ["departement-20.html"]  # INSEE codes: Corsica is DGDDI's 20
    assert visible("971") == ["departement-9A.html"]
    assert len(visible("")) >= 100


SECTIONS = {"evolution": "Évolution", "exposition": "Exposition et dépendance", "specialisation": "Spécialisation"}


def _section(dom: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', dom, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def _exposure_rows(exports: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (exports / "territory_exposure.csv").open(encoding="utf-8") as fh:
        return {(r["territory_code"], r["flow"]): r for r in csv.DictReader(fh) if r["year"] == "2024"}


def _vosges_rows(exports: Path, table: str) -> list[dict[str, str]]:
    with (exports / f"{table}.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if (r["level"], r["territory_code"]) == ("departement", "88")]


def test_new_sections_drawn(vosges_dom: tuple[str, list[str]], fiches: tuple[Path, Path]) -> None:
    dom = vosges_dom[0]
    charts = {c["id"]: c for c in _report(dom)["charts"]}
    assert charts["annual"]["bars"] == len(_vosges_rows(fiches[0], "territory_trends"))  # every year, both flows
    quarters = sorted(
        _vosges_rows(fiches[0], "territory_quarterly_totals"), key=lambda r: (int(r["year"]), int(r["quarter"]))
    )[-16:]  # the last 8 quarters, both flows
    assert charts["quarterly"]["bars"] == 16
    signed = [t for t in charts["quarterly"]["bar_texts"] if re.fullmatch(r"[+\u2212]\d+,\d\u00a0%", t)]
    assert len(signed) == sum(1 for r in quarters if r["growth_yoy"])  # a label wherever a year-earlier quarter is
    for flow in ("export", "import"):
        assert charts[f"exposure-{flow}"]["bars"] == 18  # 6 shares × Vosges, Grand Est, France
        assert charts[f"rca-{flow}"]["bars"] > 0
    for section_id, heading in SECTIONS.items():
        html_section = _section(dom, section_id)
        assert f"<h2>{heading}</h2>" in html_section
        tables = re.findall(r"<tbody>(.*?)</tbody>", html_section, re.S)
        assert tables and all("<tr>" in t for t in tables), f"{section_id}: a chart without its data table rows"
    exposures = _exposure_rows(fiches[0])
    vosges, france = exposures[("88", "export")], exposures[("FR", "export")]
    expected = (
        f"{_fr(Decimal(vosges['us_share']) * 100, 1)} % des exportations vont aux États-Unis, "
        f"contre {_fr(Decimal(france['us_share']) * 100, 1)} % pour la France."
    )
    if Decimal(vosges["us_share"]) == 0:
        expected = f"Aucune exportation ne va aux États-Unis, contre {_fr(Decimal(france['us_share']) * 100, 1)} %"
    assert expected in _text(_section(dom, "exposition"))
    assert re.search(r"Exportations 2024 : [+−]\d+,\d % sur un an, contre", _text(_section(dom, "evolution")))


def test_france_compares_with_itself(fiches: tuple[Path, Path]) -> None:
    page = (fiches[1] / "2024" / "france-FR.html").read_text(encoding="utf-8")  # readings are server-side: no browser
    exposure = _text(_section(page, "exposition"))
    assert re.search(r"\d+,\d % des exportations vont aux États-Unis\.", exposure)
    assert "pour la France" not in exposure and "contre" not in exposure


def test_index_overview_sorts_and_maps(chromium: Path, fiches: tuple[Path, Path]) -> None:
    index = fiches[1] / "2024" / "index.html"
    dom = dump_dom(f"{index.as_uri()}?sort=export_growth&dir=desc&indicator=export_growth").stdout
    assert 'data-indicator="export_growth"' in dom  # the script ran and recoloured the map
    rows = _table_rows(dom)
    assert len(rows) >= 100
    growth = [re.findall(r'<td class="num" data-value="([^"]*)"', row)[3] for row in rows]
    known = [float(v) for v in growth if v]
    assert known == sorted(known, reverse=True) and len(known) > 90
    assert all(not v for v in growth[len(known) :])  # n.d. last
    tiles = re.findall(r'<a class="tile" href="departement-(\w+)\.html" data-code="\1" title="([^"]+)"', dom)
    assert len(tiles) >= 100 and {"88", "20", "9A"} <= {code for code, _ in tiles}
    assert any("Évolution des exportations sur un an" in title for _, title in tiles)
    assert "<h2>Carte des départements</h2>" in dom and 'id="tilemap-dom"' in dom


def test_treemap_small_tiles_numbered_in_a_legend(vosges_dom: tuple[str, list[str]]) -> None:
    dom = vosges_dom[0]
    charts = {c["id"]: c for c in _report(dom)["charts"]}
    for flow in ("export", "import"):
        labels = charts[f"treemap-{flow}"]["tile_labels"]
        numbers = [int(m.group(1)) for t in labels if (m := re.fullmatch(r"<b>(\d+)</b>", t["label"]))]
        assert numbers and sorted(numbers) == list(range(1, len(numbers) + 1))
        assert all(t["shown"] for t in labels if not re.fullmatch(r"<b>\d+</b>", t["label"]))  # no name hidden
        legend = re.search(rf'<ol class="chart-legend" id="legend-treemap-{flow}"[^>]*>(.*?)</ol>', dom, re.S)
        assert legend, f"no legend under treemap-{flow}"
        items = re.findall(r'<li value="(\d+)"><b>\1</b> [^<]+ \([^()<]*%\)</li>', legend.group(1))
        assert [int(n) for n in items] == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("width", [901, 1400])
def test_treemap_names_fit_at_any_two_column_width(chromium: Path, fiches: tuple[Path, Path], width: int) -> None:
    page = fiches[1] / "2024" / "region-13.html"
    charts = {c["id"]: c for c in _report(dump_dom(page.as_uri(), window=(width, 1400)).stdout)["charts"]}
    for flow in ("export", "import"):
        labels = charts[f"treemap-{flow}"]["tile_labels"]
        assert all(t["shown"] for t in labels if not re.fullmatch(r"<b>\d+</b>", t["label"])), labels


@pytest.mark.parametrize(("slug", "comparisons"), [("departement-88", 2), ("region-13", 1), ("france-FR", 0)])
def test_comparisons_leave_no_hole(chromium: Path, fiches: tuple[Path, Path], slug: str, comparisons: int) -> None:
    page = fiches[1] / "2024" / f"{slug}.html"
    charts = {c["id"]: c for c in _report(dump_dom(page.as_uri()).stdout)["charts"]}
    for flow in ("export", "import"):
        main = charts[f"sankey-{flow}"]["width"]
        shown = [charts[k]["width"] for k in (f"sankey-{flow}-region", f"sankey-{flow}-france") if k in charts]
        assert len(shown) == comparisons
        if comparisons == 1:  # alone on its row: as wide as a small chart gets, not half the row
            assert shown[0] >= min(main, 760) - 1
        elif comparisons == 2:
            assert all(main / 2 - 20 <= w <= main / 2 for w in shown)


# --- printing: A4 pages, breaks between figures (the PDF read with regexes: Chromium writes plain objects and
# a tagged structure, whose headings, paragraphs and figures say what lies on which page)

A4_PT = (595.0, 842.0)
PRINTED = ("departement-88", "region-13", "france-FR")
PDF_OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream|endobj)", re.S)
PDF_REF = re.compile(rb"(\d+) 0 R")
BLOCK_TAGS = ("P", "L", "Figure", "Table")


@dataclass(frozen=True)
class Printed:
    """A printed fiche: each page's size (pt) and its tagged content in reading order."""

    sizes: list[tuple[float, float]]
    content: list[tuple[int, int | None, str, str | None]]  # (page, heading element, its tag, outer block tag)

    def orphaned_headings(self) -> list[str]:
        """Headings followed on their page by nothing but paragraphs (no figure, list or table): left alone."""
        found = []
        for i, (page, heading, tag, _) in enumerate(self.content):
            if heading is None or (i + 1 < len(self.content) and self.content[i + 1][1] == heading):
                continue  # not the heading's last piece
            rest = [c for c in self.content[i + 1 :] if c[0] == page]
            if not any(c[1] is None and c[3] != "P" for c in rest):
                found.append(f"{tag} at the foot of page {page + 1}")
        return found


def _pdf_ref(body: bytes, key: bytes) -> int:
    match = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    assert match, f"no /{key.decode()} in {body[:200]!r}"
    return int(match.group(1))


def _page_tree(objects: dict[int, bytes], node: int) -> list[int]:
    body = objects[node]
    if re.search(rb"/Type\s*/Page\b", body):
        return [node]
    kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
    assert kids, body[:200]
    return [page for kid in PDF_REF.findall(kids.group(1)) for page in _page_tree(objects, int(kid))]


def _read_printed(data: bytes) -> Printed:
    objects = {int(n): body for n, body in PDF_OBJECT.findall(data)}
    catalog = next(body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body))
    pages = _page_tree(objects, _pdf_ref(catalog, b"Pages"))
    sizes = []
    for page in pages:
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", objects[page])
        assert box, objects[page][:200]
        x0, y0, x1, y1 = map(float, box.group(1).split())
        sizes.append((x1 - x0, y1 - y0))
    number = {page: i for i, page in enumerate(pages)}
    content: list[tuple[int, int | None, str, str | None]] = []

    def walk(node: int, page: int | None, heading: tuple[int, str] | None, block: str | None) -> None:
        body = objects[node]
        tag = re.search(rb"/S\s*/(\w+)", body)
        name = tag.group(1).decode() if tag else ""
        heading = (node, name) if re.fullmatch(r"H\d", name) else heading
        block = block or (name if name in BLOCK_TAGS else None)
        if own := re.search(rb"/Pg\s+(\d+) 0 R", body):
            page = number[int(own.group(1))]
        kids = re.search(rb"/K\s*(\[.*\]|\d+ 0 R|\d+)", body, re.S)
        for token in re.findall(rb"<<.*?>>|\d+ 0 R|\d+", kids.group(1), re.S) if kids else []:
            if token.endswith(b" R"):
                walk(int(token.split()[0]), page, heading, block)
            elif not token.startswith(b"<<") and page is not None:  # a marked-content id: drawn on `page`
                content.append((page, heading[0] if heading else None, heading[1] if heading else "", block))

    root = objects[_pdf_ref(catalog, b"StructTreeRoot")]
    top = re.search(rb"/K\s*(\[.*?\]|\d+ 0 R)", root, re.S)
    assert top, "the PDF carries no tagged structure"
    for kid in PDF_REF.findall(top.group(1)):
        walk(int(kid), None, None, None)
    return Printed(sizes, content)


@pytest.fixture(scope="module")
def printed(chromium: Path, fiches: tuple[Path, Path]) -> dict[str, Printed]:
    """The Vosges, Grand Est and France fiches printed to PDF as `comex fiche --pdf` prints them."""
    out = {}
    for slug in PRINTED:
        page = fiches[1] / "2024" / f"{slug}.html"
        run = print_pdf(page.as_uri(), page.with_suffix(".pdf"))
        assert run.returncode == 0, run.stderr[-2000:]
        out[slug] = _read_printed(page.with_suffix(".pdf").read_bytes())
    return out


@pytest.mark.parametrize("slug", PRINTED)
def test_pdf_pages_are_a4(printed: dict[str, Printed], slug: str) -> None:
    sizes = printed[slug].sizes
    assert all(abs(w - A4_PT[0]) <= 1 and abs(h - A4_PT[1]) <= 1 for w, h in sizes), sizes
    # seven sections and 15 charts at 70 %: a page or two each (US Letter and 16 pages before)
    assert 6 <= len(sizes) <= 10, len(sizes)


@pytest.mark.parametrize("slug", PRINTED)
def test_pdf_first_page_holds_the_first_figure(printed: dict[str, Printed], slug: str) -> None:
    content = printed[slug].content
    first = [(tag, block) for page, _, tag, block in content if page == 0]
    assert ("H1", None) in first and "H2" in {tag for tag, _ in first}
    after_h2 = first[[tag for tag, _ in first].index("H2") :]
    assert ("", "Figure") in after_h2  # the balance chart under its heading, not alone on page 2
    assert {page for page, *_ in content} == set(range(len(printed[slug].sizes)))  # no blank page


@pytest.mark.parametrize("slug", PRINTED)
def test_pdf_no_orphaned_heading(printed: dict[str, Printed], slug: str) -> None:
    assert printed[slug].orphaned_headings() == []
