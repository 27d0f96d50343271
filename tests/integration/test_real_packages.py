"""A drop zone shaped like a real user's, through a real refresh (Dagster, dbt in process, GX, exports).

It holds what DGDDI ships and what users do with it: an annual zip with its folder, the four
label files and the PDF; another annual package unzipped into the drop zone; a last
publication holding both flows, the label lists (CPF4 under its 2021 name, with a header line,
in Windows-1252; countries with one label revised) and LISEZ-MOI; DGDDI's LISEZ-MOI loose; and
rows whose codes no label list knows, in each code field. Every euro of every file must reach
the marts, under the shipped labels, with the unknown codes labelled and reported.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass

import duckdb
import pytest

from orchestration.runner import RunOutcome, run_refresh
from orchestration.sample import generate_year
from orchestration.settings import Paths
from orchestration.status import load_warnings
from tests.helpers import DGDDI_FIXTURES, annual_package, label_members, row, rows_bytes, write_package

pytestmark = pytest.mark.integration

SCALE = 4_000
UNKNOWN = [  # one row per code field no label list knows, with its own value
    row(annee="2025", trimestre="1", pays="ZZ", valeur="1111"),
    row(annee="2025", trimestre="1", cpf4="9999", valeur="2222"),
    row(annee="2025", trimestre="1", a129="C33Z", cpf4="3312", valeur="3333"),
    row(annee="2025", trimestre="1", dep="2A", reg="16", valeur="4444"),
]
REVISED_LABEL = "Allemagne (libellé de la dernière publication)"


def _lines(year: int, flux: str, quarters: tuple[int, ...] = (1, 2, 3, 4)) -> list[str]:
    frame = generate_year(year, scale=SCALE)
    frame = frame[(frame["flux"] == flux) & frame["trimestre"].isin(quarters)]
    return [";".join(str(v) for v in values) for values in frame.itertuples(index=False)]


@dataclass
class Drop:
    paths: Paths
    outcome: RunOutcome
    lines: dict[tuple[str, int, int], int]  # euros written in the files, per (flux, year, quarter) counted


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> Drop:
    root = tmp_path_factory.mktemp("real-packages")
    raw = root / "raw"
    raw.mkdir()
    annual_package(raw, 2023, "export", _lines(2023, "E"), when=(2024, 3, 1, 9, 0, 0))
    unzipped = annual_package(root, 2023, "import", _lines(2023, "I"), when=(2024, 3, 1, 9, 0, 0))
    with zipfile.ZipFile(unzipped) as zf:
        zf.extractall(raw)
    exports = _lines(2024, "E") + _lines(2025, "E", (1,)) + UNKNOWN
    imports = _lines(2024, "I") + _lines(2025, "I", (1,))
    cpf4 = (DGDDI_FIXTURES / "Libelle_CPF4_rev2.1.txt").read_bytes()
    countries = (DGDDI_FIXTURES / "Libelle_PAYS.txt").read_text(encoding="utf-8")
    countries = countries.replace("DE;Allemagne;", f"DE;{REVISED_LABEL};")
    labels = {name: data for name, data in label_members().items() if "CPF4" not in name and "PAYS" not in name}
    write_package(
        raw / "REGIONAL_CPF4PAYS.zip",
        {
            "REGIONAL_CPF4PAYSE.txt": rows_bytes(exports),
            "REGIONAL_CPF4PAYSI.txt": rows_bytes(imports),
            **labels,
            "Libelle_CPF4_rev2.1_2.txt": "Code;Libellé;Début;Fin\r\n".encode("cp1252") + cpf4,
            "Libelle_PAYS.txt": countries.encode("utf-8"),
            "Description-des-jeux-de-donnees.pdf": b"%PDF-1.4 DGDDI",
        },
        when=(2025, 6, 5, 9, 0, 0),
    )
    (raw / "LISEZ-MOI.txt").write_bytes((DGDDI_FIXTURES / "LISEZ-MOI.txt").read_bytes())
    counted: dict[tuple[str, int, int], int] = {}
    for line in [*_lines(2023, "E"), *_lines(2023, "I"), *exports, *imports]:
        fields = line.split(";")
        key = (fields[0], int(fields[2]), int(fields[1]))
        counted[key] = counted.get(key, 0) + int(fields[8])
    paths = Paths(raw_dir=raw, warehouse=root / "warehouse" / "comex.duckdb", exports_dir=root / "exports")
    return Drop(paths, run_refresh(paths), counted)


def _query(drop: Drop, sql: str) -> list[tuple]:
    with duckdb.connect(str(drop.paths.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_refresh_publishes_and_reports_the_unknown_codes_with_their_euros(drop: Drop) -> None:
    assert drop.outcome.success, f"{drop.outcome.failed_step}: {drop.outcome.error_message}"
    summary = "\n".join(drop.outcome.quality_lines)
    for expected in (
        "country code 'ZZ' is in no label list (1 rows, 1,111 €)",
        "CPF4 code '9999' is in no label list (1 rows, 2,222 €)",
        "A129 code 'C33Z' is in no label list (1 rows, 3,333 €)",
        "département code '2A' is in no label list (1 rows, 4,444 €)",
    ):
        assert f"REGIONAL_CPF4PAYS.zip (REGIONAL_CPF4PAYSE.txt): {expected}" in summary
    with duckdb.connect(str(drop.paths.warehouse), read_only=True) as con:
        assert any("country code 'ZZ' is in no label list" in line for line in load_warnings(con))


def test_every_euro_of_every_file_is_in_the_marts(drop: Drop) -> None:
    france = _query(
        drop,
        "select case flow when 'export' then 'E' else 'I' end, year, quarter, value_eur "
        "from marts.territory_quarterly_totals where level = 'france'",
    )
    assert {(f, y, q): v for f, y, q, v in france} == drop.lines
    assert _query(drop, "select count(*), sum(rejected_eur) from raw.vintages") == [(4, 0)]


def test_each_piece_is_read_for_what_it_is(drop: Drop) -> None:
    kinds = _query(
        drop,
        "select f.file_name, coalesce(m.member_name, ''), m.kind, m.detail from raw.file_members as m "
        "join raw.received_files as f using (file_id) order by all",
    )
    assert ("LISEZ-MOI.txt", "", "other", "documentation") in kinds
    assert ("REGIONAL_CPF4PAYS.zip", "Libelle_CPF4_rev2.1_2.txt", "labels", "cpf4") in kinds
    assert ("Regional-2023-import/Region_2023_Import.txt", "", "data", "regional rows") in kinds
    assert sum(1 for _, member, kind, _ in kinds if kind == "other" and member.endswith(".pdf")) == 2
    assert _query(
        drop, "select header_lines, encoding from raw.label_files where kind = 'cpf4' and header_lines = 1"
    ) == [(1, "cp1252")]


def test_shipped_labels_win_and_say_where_they_come_from(drop: Drop) -> None:
    [(label, source)] = _query(
        drop, "select country_label, label_source from marts.dim_country where country_code = 'DE'"
    )
    assert (label, source) == (REVISED_LABEL, "REGIONAL_CPF4PAYS.zip (Libelle_PAYS.txt)")
    [(cpf4, cpf4_source)] = _query(
        drop, "select cpf4_label, label_source from marts.dim_product where cpf4_code = '0147'"
    )
    assert cpf4 == "Volailles vivantes et œufs" and cpf4_source == "REGIONAL_CPF4PAYS.zip (Libelle_CPF4_rev2.1_2.txt)"


def test_unknown_codes_count_in_every_total_under_a_label_that_says_so(drop: Drop) -> None:
    partners = _query(
        drop,
        "select country_label, value_eur from marts.partner_ranking "
        "where year = 2025 and level = 'france' and flow = 'export' and country_code = 'ZZ'",
    )
    assert partners == [("Code inconnu (ZZ)", 1111)]
    products = _query(
        drop,
        "select product_label from marts.product_activity "
        "where year = 2025 and level = 'france' and flow = 'export' and product_code = 'C33Z'",
    )
    assert products == [("Code inconnu (C33Z)",)]
    [(label, region)] = _query(
        drop, "select territory_label, parent_region_code from marts.dim_territory where territory_code = '2A'"
    )
    assert (label, region) == ("Code inconnu (2A)", "16")  # the région its row carries
    [(departement, region, region_departements)] = _query(
        drop,
        "select sum(t.value_eur) filter (where t.level = 'departement' and t.territory_code = '2A'), "
        "sum(t.value_eur) filter (where t.level = 'region' and t.territory_code = '16'), "
        "sum(t.value_eur) filter (where t.level = 'departement' and d.parent_region_code = '16') "
        "from marts.territory_totals as t left join marts.dim_territory as d "
        "on d.level = t.level and d.territory_code = t.territory_code "
        "where t.year = 2025 and t.flow = 'export'",
    )
    assert departement == 4444 and region == region_departements  # the région counts it with its own


def test_the_manifest_reconciles_every_file(drop: Drop) -> None:
    manifest = json.loads((drop.paths.exports_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is False
    vintages = manifest["source_vintages"]
    assert len(vintages) == 4 and all(v["reconciliation"]["balanced"] for v in vintages)
    last = next(v for v in vintages if v["member_name"] == "REGIONAL_CPF4PAYSE.txt")
    assert last["published_at"] == "2025-06-05T09:00:00"
    assert last["reconciliation"]["euros_read"] == sum(
        v for (f, y, _), v in drop.lines.items() if f == "E" and y >= 2024
    )
