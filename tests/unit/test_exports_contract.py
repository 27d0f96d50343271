"""The export contract file: its shape, and its agreement with the dbt marts and the dictionary."""

from __future__ import annotations

import json

from orchestration.exports import dictionary
from orchestration.exports.contract import CONTRACT, CONTRACT_VERSION, EXPORT_TABLES, MART_TABLES, TYPES, UNITS

EXPECTED_FILES = [
    "territory_totals",
    "partner_balance",
    "product_activity",
    "flow_links",
    "territory_quarterly_totals",
    "territory_trends",
    "territory_exposure",
    "product_specialisation",
    "industry_territories",
]


def test_contract_lists_the_v1_files_with_keys() -> None:
    assert CONTRACT_VERSION.startswith("1.")
    assert [t.name for t in EXPORT_TABLES] == EXPECTED_FILES
    keys = {t.name: t.key for t in EXPORT_TABLES}
    assert keys["territory_totals"] == ("year", "level", "territory_code", "flow")
    assert keys["partner_balance"] == ("year", "level", "territory_code", "country_code")
    assert keys["flow_links"] == ("year", "level", "territory_code", "flow", "product_code", "country_code")
    assert keys["industry_territories"] == ("departement_code", "ti_id")
    for table in EXPORT_TABLES:
        assert set(table.key) <= set(table.column_names)
        assert len(set(table.column_names)) == len(table.columns)
        for column in table.columns:
            assert column.type in TYPES and column.unit in UNITS and column.fr


#: The files and columns of contract 1.0.0, as published: a 1.x contract keeps them unchanged.
V1_0_COLUMNS = {
    "territory_totals": (
        "year", "level", "territory_code", "territory_label", "flow", "value_eur",
        "share_of_region", "share_of_france", "quarters_covered", "is_complete_year",
    ),
    "partner_balance": (
        "year", "level", "territory_code", "country_code", "country_label",
        "import_eur", "export_eur", "balance_eur", "export_rank", "import_rank",
    ),
    "product_activity": (
        "year", "level", "territory_code", "flow", "product_code", "product_label",
        "value_eur", "share_of_flow", "rank",
    ),
    "flow_links": (
        "year", "level", "territory_code", "flow", "product_code", "product_label",
        "country_code", "country_label", "value_eur", "is_highlighted",
    ),
    "industry_territories": ("departement_code", "ti_id", "ti_label", "communes_in_departement", "is_main"),
}  # fmt: skip


def test_contract_1_1_keeps_the_1_0_files_and_columns_unchanged() -> None:
    assert CONTRACT_VERSION == "1.1.0"
    for name, columns in V1_0_COLUMNS.items():
        assert CONTRACT.table(name).column_names[: len(columns)] == columns, name


def test_money_is_bigint_euros_and_shares_are_double_fractions() -> None:
    for table in EXPORT_TABLES:
        for column in table.columns:
            if column.name.endswith("_eur"):
                assert (column.type, column.unit) == ("bigint", "eur"), f"{table.name}.{column.name}"
            if column.name.startswith("share_"):
                assert (column.type, column.unit) == ("double", "fraction"), f"{table.name}.{column.name}"


def test_v1_keeps_partial_year_flags_and_partner_ranks() -> None:
    assert {"quarters_covered", "is_complete_year"} <= set(CONTRACT.table("territory_totals").column_names)
    assert {"export_rank", "import_rank"} <= set(CONTRACT.table("partner_balance").column_names)


def test_every_contract_column_exists_in_its_mart_with_the_same_type() -> None:
    docs = dictionary.mart_docs()
    for table in MART_TABLES:
        mart_columns = {c["name"]: c for c in docs[table.mart]["columns"]}
        for column in table.columns:
            assert column.name in mart_columns, f"{table.name}.{column.name} not in mart {table.mart}"
            assert mart_columns[column.name]["data_type"] == column.type, f"{table.name}.{column.name}"
        unique_tests = [
            t["row_rules"]["arguments"].get("unique")
            for t in docs[table.mart].get("data_tests", [])
            if isinstance(t, dict) and "row_rules" in t
        ]
        assert list(table.key) in unique_tests, f"{table.name}: key is not a tested grain of {table.mart}"


def test_dictionary_has_every_column_in_english_and_french(tmp_path) -> None:
    md_path, json_path = dictionary.write(CONTRACT, tmp_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert [t["name"] for t in data["tables"]] == EXPECTED_FILES
    markdown = md_path.read_text(encoding="utf-8")
    for table, entry in zip(EXPORT_TABLES, data["tables"], strict=True):
        assert entry["description"]["en"] and entry["description"]["fr"]
        assert [c["name"] for c in entry["columns"]] == list(table.column_names)
        for column in entry["columns"]:
            assert column["description"]["en"] and column["description"]["fr"], column["name"]
            assert column["type"] == table.column(column["name"]).type
        assert f"## {table.name}" in markdown
    share = next(c for c in data["tables"][0]["columns"] if c["name"] == "share_of_region")
    assert share["nullable"] and "région" in share["description"]["fr"]
    # the English text is the dbt docs' text
    docs = dictionary.mart_docs()["territory_totals"]["columns"]
    documented = next(c for c in docs if c["name"] == "share_of_region")["description"]
    assert share["description"]["en"] == " ".join(documented.split())
