"""Fiche data preparation: export tables → view models → figure dicts → HTML (no warehouse, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.fiches import charts
from orchestration.fiches.build import FicheRequestError, build_fiches
from orchestration.fiches.data import ExportTables, read_table
from orchestration.fiches.formatting import normalize_spaces
from orchestration.fiches.render import FicheRenderer, dump_figure, search_key

TOTALS = (
    (
        "year,level,territory_code,territory_label,flow,value_eur,share_of_region,share_of_france,"
        "quarters_covered,is_complete_year\n"
    )
    + """2024,departement,88,Vosges,export,2906700000,0.042956961755934345,0.005008490500202893,4,true
2024,departement,88,Vosges,import,2277200000,0.035850295262729516,0.0033254655571461804,4,true
2024,departement,01,Ain,export,1000,0.5,0.1,2,false
2024,departement,01,Ain,import,1000,0.5,0.1,2,false
2024,region,13,Grand Est,export,67665400000,,0.11659322017835651,4,true
2024,region,13,Grand Est,import,63519700000,,0.09275978155201925,4,true
2024,france,FR,France,export,580354500000,,1.0,4,true
2024,france,FR,France,import,684776300000,,1.0,4,true
"""
)
PARTNERS = (
    ("year,level,territory_code,country_code,country_label,import_eur,export_eur,balance_eur,export_rank,import_rank\n")
    + """2024,departement,88,CN,Chine,1089294203,0,-1089294203,,1
2024,departement,88,GB,Royaume-Uni,0,783868364,783868364,1,
2024,departement,88,NA,Namibie,10,20,10,2,2
"""
)
ACTIVITY = """year,level,territory_code,flow,product_code,product_label,value_eur,share_of_flow,rank
2024,departement,88,export,C31Z,Meubles,600,0.6,1
2024,departement,88,export,C22B,Produits en plastique,400,0.4,2
2024,departement,88,import,C28C,Machines-outils,1000,1.0,1
"""
LINK_HEADER = (
    "year,level,territory_code,flow,product_code,product_label,country_code,country_label,value_eur,is_highlighted\n"
)


def _links(level: str, code: str) -> str:
    rows = []
    for flow in ("export", "import"):
        rows += [
            f"2024,{level},{code},{flow},C31Z,Meubles,IT,Italie,500,true",
            f"2024,{level},{code},{flow},C31Z,Meubles,NA,Namibie,50,false",
            f"2024,{level},{code},{flow},C22B,Produits en plastique,IT,Italie,300,true",
            f"2024,{level},{code},{flow},C22B,Produits en plastique,AUTRES,Autres,100,false",
            f"2024,{level},{code},{flow},AUTRES,Autres,NA,Namibie,70,false",
            f"2024,{level},{code},{flow},AUTRES,Autres,AUTRES,Autres,30,false",
        ]
    return "\n".join(rows) + "\n"


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    out = tmp_path / "exports"
    out.mkdir()
    (out / "territory_totals.csv").write_text(TOTALS, encoding="utf-8")
    (out / "partner_balance.csv").write_text(PARTNERS, encoding="utf-8")
    (out / "product_activity.csv").write_text(ACTIVITY, encoding="utf-8")
    (out / "flow_links.csv").write_text(
        LINK_HEADER + _links("departement", "88") + _links("region", "13") + _links("france", "FR"), encoding="utf-8"
    )
    manifest = {
        "generated_at": "2026-11-21T22:37:32+00:00",
        "synthetic": True,
        "source_vintages": [{"file_name": "Regional-2024-export.zip", "sha256": "5c5707c1ad47"}],
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def test_codes_stay_text(exports: Path) -> None:
    partners = read_table(exports, "partner_balance")
    assert "NA" in set(partners["country_code"])  # Namibia, not a missing value
    totals = read_table(exports, "territory_totals")
    assert "01" in set(totals["territory_code"])
    assert totals["share_of_region"].isna().sum() == 4


def test_view_model(exports: Path) -> None:
    tables = ExportTables(exports)
    assert tables.years() == [2024]
    assert [t.slug for t in tables.territories(2024)] == [
        "departement-01",
        "departement-88",
        "region-13",
        "france-FR",
    ]
    vosges = tables.fiche(2024, tables.territory("departement", "88"))
    assert vosges.region is not None and vosges.region.label == "Grand Est"  # from the reference seed
    assert [t.code for t in vosges.comparisons] == ["13", "FR"]
    assert vosges.industry_territories is None  # table absent: the fiche leaves the section out
    assert [p.code for p in vosges.partners] == ["CN", "GB", "NA"]  # by total trade
    assert [a.code for a in vosges.activities["export"]] == ["C31Z", "C22B"]
    assert vosges.totals["export"].value_eur == 2_906_700_000
    assert tables.fiche(2024, tables.territory("france", "FR")).comparisons == []
    assert tables.provenance().is_sample


def test_industry_territories_when_present(exports: Path, tmp_path: Path) -> None:
    (exports / "industry_territories.csv").write_text(
        "departement_code,ti_id,ti_label,communes_in_departement,is_main\n"
        "88,TI1,Plaine des Vosges,40,true\n"
        "88,TI2,Epinal – Rambervillers,60,true\n"
        "88,TI3,Voisin,2,false\n",
        encoding="utf-8",
    )
    tables = ExportTables(exports)
    ti = tables.fiche(2024, tables.territory("departement", "88")).industry_territories
    assert [t.label for t in ti] == ["Epinal – Rambervillers", "Plaine des Vosges"]
    assert tables.fiche(2024, tables.territory("departement", "01")).industry_territories == []
    html = FicheRenderer(tables, tmp_path / "fiches").render(2024, tables.territory("departement", "88")).path
    text = html.read_text(encoding="utf-8")
    assert "<li>Epinal – Rambervillers</li>" in text and "Voisin" not in text
    assert "moins de 5 communes" in text


@pytest.mark.parametrize("flow", ["export", "import"])
def test_sankey_figure(exports: Path, flow: str) -> None:
    tables = ExportTables(exports)
    links = tables.links((2024, "departement", "88"), flow)
    chart = charts.sankey_chart("s", links, flow, "Vosges")
    trace = chart.figure["data"][0]
    labels = trace["node"]["label"]
    products = ["Meubles", "Produits en plastique", "Autres produits"]
    countries = ["Italie", "Namibie", "Autres pays"]
    assert labels == (products + countries if flow == "export" else countries + products)  # by value, "autres" last
    assert trace["node"]["x"] == [0.001] * 3 + [0.999] * 3
    assert trace["link"]["color"].count(charts.HIGHLIGHT_LINK) == 2
    assert trace["link"]["color"][-2:] == [charts.HIGHLIGHT_LINK] * 2  # drawn last, on top
    assert sum(trace["link"]["value"]) == pytest.approx(1050 / 1e6)
    sources = {labels[i] for i in trace["link"]["source"]}
    assert sources <= set(products if flow == "export" else countries)
    ys = trace["node"]["y"][:3]
    assert ys == sorted(ys) and all(0 < y < 1 for y in ys)
    assert len(chart.table.rows) == 6


def test_balance_and_treemap(exports: Path) -> None:
    tables = ExportTables(exports)
    data = tables.fiche(2024, tables.territory("departement", "88"))
    balance = charts.balance_chart("b", data.partners, "Vosges")
    traces = {t["name"]: t for t in balance.figure["data"]}
    assert traces["Importations"]["x"][0] == pytest.approx(-1089.294203)  # imports on the negative side
    assert traces["Solde déficitaire"]["y"] == ["Chine"]
    assert traces["Solde déficitaire"]["marker"]["color"] == charts.DEFICIT_COLOR
    assert traces["Solde excédentaire"]["y"] == ["Royaume-Uni", "Namibie"]
    assert normalize_spaces(balance.table.rows[0][3]) == "-1 089,3"
    treemap = charts.treemap_chart("t", data.activities["export"], "export", "Vosges")
    assert treemap.figure["data"][0]["values"] == [600, 400]
    assert [normalize_spaces(x) for x in treemap.figure["data"][0]["text"]] == ["60,0 %", "40,0 %"]


def test_shorten_and_nice_step() -> None:
    assert charts.shorten("Meubles") == "Meubles"
    short = charts.shorten("Produits sidérurgiques et de première transformation de l'acier")
    assert short.endswith("…") and len(short) <= charts.LABEL_MAX
    assert charts.nice_step(1089) == 500
    assert charts.nice_step(7) == 2


def test_figure_json_cannot_close_its_script() -> None:
    text = dump_figure({"label": "</script><b>&"})
    assert "</" not in text and "&" not in text
    assert json.loads(text) == {"label": "</script><b>&"}


def test_search_key_folds_accents() -> None:
    assert search_key("9A", "Guadeloupe") == "9a guadeloupe"
    assert search_key("21", "Côte-d'Or") == "21 cote d or"


def test_render_one_page(exports: Path, tmp_path: Path) -> None:
    out = tmp_path / "fiches"
    result = build_fiches(exports, out, level="departement", territory="88")
    page = result.pages[0].path
    assert page == out / "2024" / "departement-88.html"
    html = page.read_text(encoding="utf-8")
    assert 'Les indicateurs clés : commerce extérieur — <span class="territory">Vosges</span>' in html
    assert "Données synthétiques" in html
    assert "Regional-2024-export.zip" in html
    assert "http://" not in html and "https://" not in html  # offline: no CDN
    assert '<script src="../assets/plotly.min.js"></script>' in html
    assert (out / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    assert (out / "assets" / "fiche.css").is_file() and (out / "assets" / "fiche.js").is_file()
    assert "Territoires d&#39;industrie du département" not in html  # no TI table: section left out
    flat = normalize_spaces(html)
    assert "Total des exportations : 2 906,7 millions d&#39;euros" in flat
    assert "soit 0,50 % de la valeur exportée au niveau national" in flat
    assert "Total des importations : 684 776,3 millions d&#39;euros" in flat  # France comparison
    assert "Année 2024 incomplète" not in html


def test_render_all_with_index(exports: Path, tmp_path: Path) -> None:
    renderer = FicheRenderer(ExportTables(exports), tmp_path / "fiches")
    pages, index = renderer.render_all(2024)
    assert len(pages) == 4
    ain = (tmp_path / "fiches" / "2024" / "departement-01.html").read_text(encoding="utf-8")
    assert "Année 2024 incomplète : 2 trimestres publiés" in ain
    html = index.read_text(encoding="utf-8")
    for slug in ("departement-01", "departement-88", "region-13", "france-FR"):
        assert f'href="{slug}.html"' in html
    assert 'data-search="88 vosges departement"' in html


def test_bad_requests(exports: Path, tmp_path: Path) -> None:
    with pytest.raises(FicheRequestError, match="--territory"):
        build_fiches(exports, tmp_path, level="departement")
    with pytest.raises(FicheRequestError, match="no departement with code '77'"):
        build_fiches(exports, tmp_path, territory="77")
    with pytest.raises(FicheRequestError, match="no data for 2019"):
        build_fiches(exports, tmp_path, territory="88", year=2019)
    assert build_fiches(exports, tmp_path, territory="1").pages[0].territory.code == "01"


def test_french_csv_dialect(tmp_path: Path) -> None:
    # `comex export --csv-dialect fr`: `;`, decimal comma, UTF-8 with BOM
    (tmp_path / "territory_totals.csv").write_bytes(
        "\ufeffyear;level;territory_code;territory_label;flow;value_eur;share_of_region;share_of_france\n"
        "2024;departement;01;Ain;export;1000;0,5;0,125\n"
        "2024;region;13;Grand Est;export;2000;;0,25\n".encode()
    )
    totals = read_table(tmp_path, "territory_totals")
    assert list(totals["territory_code"]) == ["01", "13"]
    assert list(totals["share_of_france"]) == [0.125, 0.25]
    assert totals["share_of_region"].isna().tolist() == [False, True]
    assert totals["year"].tolist() == [2024, 2024]
