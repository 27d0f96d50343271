"""The fiche's « Évolution », « Exposition et dépendance » and « Spécialisation » sections and the index overview,
from the contract 1.1.0 export tables (tiny hand-written CSVs beside those of test_fiches_data)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from orchestration.fiches import charts
from orchestration.fiches.data import (
    ExportTables,
    Exposure,
    ProductWeight,
    QuarterTotal,
    last_quarters,
    read_table,
    top_specialisations,
    top_us_products,
)
from orchestration.fiches.formatting import MINUS, normalize_spaces
from orchestration.fiches.overview import (
    DIVERGING,
    NO_DATA,
    SEQUENTIAL,
    Scale,
    interpolate,
    load_grid,
    map_layers,
    overview_rows,
    text_color,
)
from orchestration.fiches.readings import exposure_readings, us_reading
from orchestration.fiches.render import FicheRenderer
from orchestration.settings import SEEDS_DIR
from tests.unit.test_fiches_data import exports  # noqa: F401 (the base tables' fixture)

QUARTERLY = (
    "year,quarter,level,territory_code,territory_label,flow,value_eur,share_of_region,share_of_france,growth_yoy\n"
)
TRENDS = (
    "year,level,territory_code,territory_label,flow,quarters_covered,value_eur,prior_year_value_eur,growth_1y,"
    "value_eur_5y_earlier,cagr_5y\n"
    "2023,departement,88,Vosges,export,4,2888492096,,,,\n"
    "2023,departement,88,Vosges,import,4,2429241078,,,,\n"
    "2024,departement,88,Vosges,export,4,2906700000,2888492096,0.0063,2268798836,0.0508\n"
    "2024,departement,88,Vosges,import,4,2277200000,2429241078,-0.0626,1883921846,0.0386\n"
    "2024,departement,01,Ain,export,2,1000,900,0.1111,,\n"
    "2024,region,13,Grand Est,export,4,67665400000,66869710543,0.0119,,\n"
    "2024,france,FR,France,export,4,580354500000,583160134708,-0.0048,500665283887,0.0300\n"
    "2024,france,FR,France,import,4,684776300000,688892059947,-0.0060,551659262456,0.0442\n"
)
EXPOSURE_HEADER = (
    "year,level,territory_code,territory_label,flow,value_eur,partner_count,partner_hhi,product_count,product_hhi,"
    "top_partner_code,top_partner_label,top_partner_share,top3_partners_share,eu27_share,extra_eu27_share,us_share,"
    "cn_share\n"
)
EXPOSURE = EXPOSURE_HEADER + (
    "2024,departement,88,Vosges,export,2906700000,22,0.169,28,0.150,GB,Royaume-Uni,0.2697,0.6658,0.4375,0.5625,"
    "0.1981,0.0\n"
    "2024,departement,88,Vosges,import,2277200000,23,0.284,29,0.158,NA,Namibie,0.4783,0.7660,0.3300,0.6700,0.0,0.0\n"
    "2024,region,13,Grand Est,export,67665400000,112,0.089,67,0.076,ES,Espagne,0.1362,0.3638,0.5779,0.4215,0.0915,"
    "0.1006\n"
    "2024,france,FR,France,export,580354500000,209,0.097,74,0.060,DE,Allemagne,0.1583,0.4288,0.6433,0.3560,0.0853,"
    "0.0558\n"
    "2024,france,FR,France,import,684776300000,223,0.087,73,0.061,DE,Allemagne,0.1509,0.3668,0.5652,0.4340,0.0975,"
    "0.1184\n"
)
SPECIALISATION = (
    "year,level,territory_code,flow,product_code,product_label,value_eur,share_of_flow,france_share_of_flow,rca,"
    "us_value_eur,mass_kg,unit_value_eur_per_kg\n"
    "2024,departement,88,export,C31Z,Meubles,367449374,0.1264,0.0077,16.43,84655923,1,1\n"
    "2024,departement,88,export,C22B,Produits en plastique,535888114,0.1844,0.0282,6.54,131012224,1,1\n"
    "2024,departement,88,export,C13Z,Produits textiles,5000000,0.0017,0.0002,8.69,0,1,1\n"
    "2024,departement,88,export,C28C,Machines-outils,400000000,0.1376,0.1500,0.92,0,1,1\n"
    "2024,france,FR,export,C28C,Machines-outils,87000000000,0.1500,0.1500,1.0,6180700000,1,1\n"
)


def _quarters() -> str:
    rows = [QUARTERLY]
    for i, (year, quarter) in enumerate([(2022, 4)] + [(y, q) for y in (2023, 2024) for q in (1, 2, 3, 4)]):
        growth = "" if year == 2022 else f"{0.05 * (i - 4):.2f}"
        for flow in ("export", "import"):
            rows.append(f"{year},{quarter},departement,88,Vosges,{flow},{700_000_000 + i},0.04,0.005,{growth}\n")
    return "".join(rows)


@pytest.fixture
def exports11(exports: Path) -> Path:  # noqa: F811 (the imported fixture)
    """The base tables plus the four contract 1.1.0 tables."""
    (exports / "territory_quarterly_totals.csv").write_text(_quarters(), encoding="utf-8")
    (exports / "territory_trends.csv").write_text(TRENDS, encoding="utf-8")
    (exports / "territory_exposure.csv").write_text(EXPOSURE, encoding="utf-8")
    (exports / "product_specialisation.csv").write_text(SPECIALISATION, encoding="utf-8")
    return exports


def _product(code: str, share: float, rca: float | None, us: int = 0, value: int = 100) -> ProductWeight:
    return ProductWeight(code, code, value, share, 0.01, rca, us)


def test_selections() -> None:
    products = [
        _product("A", 0.20, 3.0, us=50),
        _product("B", 0.005, 40.0, us=90),  # under 1 % of the flow: not ranked by rca
        _product("C", 0.05, 7.0),
        _product("D", 0.30, None, us=10),
        _product("E", 0.01, 0.5, us=50),
    ]
    assert [p.code for p in top_specialisations(products)] == ["C", "A", "E"]
    assert [p.code for p in top_specialisations(products, n=1)] == ["C"]
    assert [p.code for p in top_us_products(products)] == ["B", "A", "E", "D"]  # ties by code
    quarters = [QuarterTotal(2020 + i // 4, i % 4 + 1, i, None) for i in range(11)][::-1]
    assert [q.label for q in last_quarters(quarters)] == [
        "T4 2020",
        "T1 2021",
        "T2 2021",
        "T3 2021",
        "T4 2021",
        "T1 2022",
        "T2 2022",
        "T3 2022",
    ]


def test_view_model_of_the_new_tables(exports11: Path) -> None:
    tables = ExportTables(exports11)
    vosges = tables.fiche(2024, tables.territory("departement", "88"))
    assert [t.year for t in vosges.trends["export"]] == [2023, 2024]
    assert vosges.trends["export"][0].growth_1y is None
    assert vosges.france_trends["import"].growth_1y == pytest.approx(-0.006)
    assert vosges.quarters["export"][0].label == "T1 2023"  # the last 8 of 9
    assert len(vosges.quarters["import"]) == 8
    assert [t.code for t, _ in vosges.exposures["export"]] == ["88", "13", "FR"]
    assert [t.code for t, _ in vosges.exposures["import"]] == ["88", "FR"]  # no région row: left out
    assert vosges.exposures["import"][0][1].top_partner_code == "NA"  # Namibia, not a missing value
    assert vosges.france_exposure["export"].us_share == pytest.approx(0.0853)
    assert [p.code for p in vosges.specialisations["export"]] == ["C31Z", "C22B", "C28C"]  # C13Z: under 1 %
    assert [p.code for p in vosges.us_products["export"]] == ["C22B", "C31Z"]
    assert vosges.us_products["import"] == []
    france = tables.fiche(2024, tables.territory("france", "FR"))
    assert france.france_trends == {} and france.france_exposure == {}
    ain = tables.fiche(2024, tables.territory("departement", "01"))
    assert ain.trends["export"][0].is_partial
    assert [t.code for t, _ in ain.exposures["export"]] == ["FR"]  # no row of its own: the section leaves it out


def test_older_exports_render_without_the_new_sections(exports: Path, tmp_path: Path) -> None:  # noqa: F811
    tables = ExportTables(exports)  # contract 1.0.0: none of the four tables
    html = FicheRenderer(tables, tmp_path).render(2024, tables.territory("departement", "88")).path.read_text("utf-8")
    for section in ('id="evolution"', 'id="exposition"', 'id="specialisation"'):
        assert section not in html
    assert 'id="balance-commerciale"' in html


def test_exposure_readings() -> None:
    own = Exposure(100_000_000, 22, 0.169, 28, 0.150, "GB", "Royaume-Uni", 0.27, 0.67, 0.44, 0.56, 0.198, 0.0)
    france = Exposure(1000, 209, 0.097, 74, 0.060, "DE", "Allemagne", 0.158, 0.43, 0.64, 0.36, 0.085, 0.056)
    lines = [normalize_spaces(x) for x in exposure_readings("export", own, france)]
    assert lines == [
        "19,8 % des exportations vont aux États-Unis, contre 8,5 % pour la France.",
        "44,0 % des exportations vont vers l'Union européenne (UE à 27), contre 64,0 % pour la France.",
        "56,0 % des exportations vont hors de l'Union européenne, contre 36,0 % pour la France.",
        "Premier client : Royaume-Uni, avec 27,0 % des exportations (France : Allemagne, 15,8 %).",
        "Les exportations sont moyennement concentrées par pays (indice de Herfindahl-Hirschman 0,17, contre 0,10 "
        "pour la France).",
        "Les exportations sont moyennement concentrées par produit (indice de Herfindahl-Hirschman 0,15, contre 0,06 "
        "pour la France).",
    ]
    alone = exposure_readings("import", france)  # France's own fiche
    assert not any("pour la France" in line for line in alone) and len(alone) == 6
    assert normalize_spaces(us_reading("export", own, france)) == (
        "Exportations vers les États-Unis : 19,8 M€, soit 19,8 % des exportations, contre 8,5 % pour la France."
    )
    nothing = Exposure(100, 1, 1.0, 1, 1.0, "CN", "Chine", 1.0, 1.0, 0.0, 1.0, 0.0, 1.0)
    assert us_reading("import", nothing, france).startswith("Aucune importation ne provient des États-Unis")
    assert us_reading("import", None) is None


def test_section_charts(exports11: Path) -> None:
    tables = ExportTables(exports11)
    data = tables.fiche(2024, tables.territory("departement", "01"))
    annual = charts.annual_chart("a", data.trends, "Ain")
    trace = annual.figure["data"][0]
    assert trace["x"] == ["2024 (2 trim.)"] and trace["marker"]["pattern"]["shape"] == ["/"]  # partial: hatched
    assert annual.table.rows == [("2024", "2", "0,0", "+11,1\u00a0%", "n.d.", "n.d.", "n.d.")]
    vosges = tables.fiche(2024, tables.territory("departement", "88"))
    quarterly = charts.quarterly_chart("q", vosges.quarters, "Vosges")
    assert len(quarterly.figure["data"][0]["x"]) == 8
    assert quarterly.figure["data"][0]["text"][0] == f"{MINUS}15,0\u00a0%"
    exposure = charts.exposure_chart("e", "export", vosges.exposures["export"], "Vosges")
    assert [t["name"] for t in exposure.figure["data"]] == ["Vosges", "Grand Est", "France entière"]
    assert exposure.figure["data"][2]["marker"]["color"] == charts.FRANCE_COLOR
    table = {row[0]: row for row in exposure.table.rows}
    assert exposure.table.headers[-1] == "Écart avec la France"
    assert normalize_spaces(table["États-Unis"][-1]) == "+11,3 pt"
    assert table["Premier client (pays)"][1:4] == ("Royaume-Uni", "Espagne", "Allemagne")
    assert table["Concentration par pays (indice HHI)"][1:] == ("0,17", "0,09", "0,10", "+0,07")
    assert table["Nombre de pays partenaires"][-1] == f"{MINUS}187"
    rca = charts.specialisation_chart("r", "export", vosges.specialisations["export"], "Vosges")
    bars = rca.figure["data"][0]
    assert bars["x"] == [16.43, 6.54, 0.92]
    assert bars["marker"]["color"][-1] == charts.BELOW_ONE_COLOR  # not specialised: grey
    assert rca.figure["layout"]["shapes"][0]["x0"] == 1
    us = charts.us_products_chart("u", "export", vosges.us_products["export"], "Vosges")
    assert us.table.rows[0][0] == "Produits en plastique" and normalize_spaces(us.table.rows[0][1]) == "131,0"


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, section_id
    return normalize_spaces(match.group(1))


def test_fiche_sections(exports11: Path, tmp_path: Path) -> None:
    tables = ExportTables(exports11)
    renderer = FicheRenderer(tables, tmp_path)
    html = renderer.render(2024, tables.territory("departement", "88")).path.read_text(encoding="utf-8")
    evolution = _section(html, "evolution")
    assert "Exportations 2024 : +0,6 % sur un an, contre −0,5 % pour la France" in evolution
    assert "8 derniers trimestres" in evolution
    exposure = _section(html, "exposition")
    assert "19,8 % des exportations vont aux États-Unis, contre 8,5 % pour la France." in exposure
    assert "Aucune importation ne provient des États-Unis, contre 9,8 % pour la France." in exposure
    special = _section(html, "specialisation")
    assert "Meubles : 12,6 % des exportations, contre 0,8 % pour la France (indice de spécialisation 16,4)." in special
    assert 'id="rca-export"' in special and 'id="us-export"' in special and 'id="us-import"' not in special
    france = renderer.render(2024, tables.territory("france", "FR")).path.read_text(encoding="utf-8")
    exposure = _section(france, "exposition")
    assert "8,5 % des exportations vont aux États-Unis." in exposure and "contre" not in exposure
    assert "référence nationale" in exposure
    special = _section(france, "specialisation")
    assert 'id="rca-export"' not in special and "vaut 1 pour chaque produit de la France" in special
    assert "pour la France" not in _section(france, "evolution")


def test_french_dialect_of_the_new_tables(tmp_path: Path) -> None:
    (tmp_path / "territory_exposure.csv").write_bytes(
        (
            "\ufeff" + EXPOSURE_HEADER.replace(",", ";") + "2024;departement;88;Vosges;export;2906700000;22;0,169;28;"
            "0,15;NA;Namibie;0,27;0,67;0,44;0,56;;0\n"
        ).encode()
    )
    df = read_table(tmp_path, "territory_exposure")
    assert df["partner_hhi"].tolist() == [0.169] and df["us_share"].isna().all()
    assert df["top_partner_code"].tolist() == ["NA"]


def test_colour_scales() -> None:
    assert interpolate(SEQUENTIAL, 0) == SEQUENTIAL[0] and interpolate(SEQUENTIAL, 1) == SEQUENTIAL[-1]
    assert interpolate(SEQUENTIAL, 2) == SEQUENTIAL[-1]  # clipped
    assert interpolate(("#000000", "#ffffff"), 0.5) == "#808080"
    assert text_color("#ffffff") == "#1e1e28" and text_color(SEQUENTIAL[-1]) == "#ffffff"
    growth = Scale.for_values("growth", [-0.05, 0.02, 0.01, 0.5] + [0.0] * 30)
    assert growth.low == -growth.high and growth.clipped  # 0.5 is an outlier beyond the 95th percentile
    assert growth.color(0.0) == DIVERGING[2] and growth.color(-1.0) == DIVERGING[0] and growth.color(None) == NO_DATA
    share = Scale.for_values("share", [0.1, 0.4])
    assert (share.low, share.high, share.clipped) == (0.0, 0.4, False)
    assert share.color(0.4) == SEQUENTIAL[-1]


def test_grid_covers_every_dgddi_departement() -> None:
    grid = load_grid()
    with (SEEDS_DIR / "dgddi" / "dgddi_departements.csv").open(encoding="utf-8") as fh:
        codes = {row["departement_code"] for row in csv.DictReader(fh)}
    assert set(grid) == codes
    metropole = [(c.row, c.col) for c in grid.values() if c.group == "metropole"]
    assert len(metropole) == len(set(metropole))  # one département per square
    assert sorted(code for code, c in grid.items() if c.group == "outre-mer") == ["9A", "9B", "9C", "9D", "9E"]


def test_index_overview(exports11: Path, tmp_path: Path) -> None:
    tables = ExportTables(exports11)
    rows = {r.territory.code: r for r in overview_rows(tables, 2024)}
    assert rows["88"].balance_eur == 2_906_700_000 - 2_277_200_000
    assert rows["88"].export_us_share == pytest.approx(0.1981) and rows["01"].export_us_share is None
    layers = map_layers(list(rows.values()))
    assert set(layers["export_us_share"]["tiles"]) == {"01", "88"}  # départements only
    assert layers["export_us_share"]["tiles"]["01"][0] == NO_DATA
    _, index = FicheRenderer(tables, tmp_path).render_all(2024)
    html = index.read_text(encoding="utf-8")
    assert html.count('<a class="tile"') == 2 and 'data-code="88"' in html
    assert '<select id="indicator">' in html and 'value="export_growth"' in html
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert body.count("<tr ") == 4
    vosges = re.search(r'<tr data-search="88 vosges departement"[^>]*>(.*?)</tr>', body, re.S).group(1)
    cells = [normalize_spaces(c) for c in re.findall(r'<td class="num" data-value="[^"]*">([^<]*)</td>', vosges)]
    assert cells == ["2 906,7", "2 277,2", "629,5", "+0,6 %", "−6,3 %", "19,8 %", "0,17"]
    assert 'data-value="0.1981"' in vosges
    layers_json = re.search(r'<script type="application/json" id="map-layers">(.*?)</script>', html, re.S).group(1)
    assert set(json.loads(layers_json)) >= {"export_us_share", "export_growth", "export_partner_hhi"}
    assert (tmp_path / "assets" / "index.js").is_file()
    assert "http://" not in html and "https://" not in html
