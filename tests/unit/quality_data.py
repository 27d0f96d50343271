"""A tiny, consistent warehouse for the quality suites' tests: raw vintages, marts, staged exports.

Raw: vintage 1 = an annual 2023 export file, vintage 2 = a "dernière publication" export file
covering 2023Q4-2024Q4 (the new one, `SINCE` = 1). Marts: built here in SQL from a small fact
table (3 départements in 2 régions, 4 products, 4 countries, 4 quarters, both flows) with
top_n = highlight_n = 2, independently of the dbt models. Tests break one row and expect the
matching expectation to fail.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.exports.contract import EXPORT_TABLES
from orchestration.ingestion.registry import ensure_raw_schema
from orchestration.quality.settings import QualitySettings

SINCE = 1
SETTINGS = QualitySettings(max_rejected_rate=0.01, revision_threshold=0.05, top_n=2, highlight_n=2)
DEPARTEMENTS = {"88": "13", "10": "13", "01": "18"}
PRODUCTS = ["C10A", "C20B", "C24A", "C29A"]
COUNTRIES = ["BE", "DE", "IT", "ES"]


def _raw(con: duckdb.DuckDBPyConnection) -> None:
    ensure_raw_schema(con)
    rows = []
    periods = {1: [(2023, q) for q in (1, 2, 3, 4)], 2: [(2023, 4)] + [(2024, q) for q in (1, 2, 3, 4)]}
    for vintage, quarters in periods.items():
        line = 0
        for year, quarter in quarters:
            for dep, pays, value in (("88", "BE", 1000), ("88", "DE", 2500), ("01", "BE", 400)):
                line += 1
                rows.append(
                    (
                        vintage,
                        line,
                        "E",
                        quarter,
                        year,
                        dep,
                        DEPARTEMENTS[dep],
                        "A01Z",
                        "0111",
                        pays,
                        value * quarter,
                        10,
                    )
                )
    con.executemany("insert into raw.customs_flows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for vintage, name, packaging in (
        (1, "Regional-2023-export.zip", "annual"),
        (2, "REGIONAL_CPF4PAYSE.txt", "last_publication"),
    ):
        con.execute(
            """
            insert into raw.vintages by name
            select ? as vintage_id, ? as file_name, null as member_name, ? as packaging, 'sha' || ? as sha256,
                1 as size_bytes, 'utf-8' as encoding, 0 as header_lines, count(*) as line_count,
                count(*) as row_count, 0 as rejected_count, sum(valeur) as value_eur, sum(valeur) as kept_eur,
                0 as rejected_eur, 0 as duplicate_lines, null as published_at,
                max(annee * 4 + trimestre) as coverage_end, ? as publication_order, false as revisions_accepted,
                now() as ingested_at, 'archive/' || ? as archived_path
            from raw.customs_flows where vintage_id = ?
            """,
            [vintage, name, packaging, vintage, vintage, name, vintage],
        )
    refresh_periods(con)


def refresh_periods(con: duckdb.DuckDBPyConnection) -> None:
    """raw.vintage_periods from raw.customs_flows (what the ingestion records)."""
    con.execute("delete from raw.vintage_periods")
    con.execute(
        "insert into raw.vintage_periods select vintage_id, flux, annee, trimestre, count(*), sum(valeur) "
        "from raw.customs_flows group by all"
    )


_MARTS_SQL = """
create schema marts;
create table marts.dim_territory as
    select 'departement' as level, d as territory_code, r as parent_region_code from deps
    union all select distinct 'region', r, null from deps
    union all select 'france', 'FR', null;
create table t_flows as
    select f.year, f.quarter, f.flow, 'departement' as level, f.dep as territory_code, f.product_code, f.country_code,
        f.value_eur
    from fct as f
    union all select f.year, f.quarter, f.flow, 'region', d.r, f.product_code, f.country_code, f.value_eur
    from fct as f join deps as d on d.d = f.dep
    union all select f.year, f.quarter, f.flow, 'france', 'FR', f.product_code, f.country_code, f.value_eur
    from fct as f;
create table marts.territory_quarterly_totals as
    with q as (
        select year, quarter, level, territory_code, flow, sum(value_eur)::bigint as value_eur
        from t_flows group by all
    )
    select q.year, q.quarter, q.level, q.territory_code, q.territory_code as territory_label, q.flow, q.value_eur,
        case when q.level = 'departement' then q.value_eur / r.value_eur end as share_of_region,
        q.value_eur / f.value_eur as share_of_france,
        null::double as growth_yoy  -- one year: no quarter of the year before
    from q join marts.dim_territory as d using (level, territory_code)
    left join q as r on r.level = 'region' and r.territory_code = d.parent_region_code and r.year = q.year
        and r.quarter = q.quarter and r.flow = q.flow
    join q as f on f.level = 'france' and f.year = q.year and f.quarter = q.quarter and f.flow = q.flow;
create table marts.territory_totals as
    with a as (
        select year, level, territory_code, flow, sum(value_eur)::bigint as value_eur,
            count(distinct quarter) as quarters
        from t_flows group by all
    )
    select a.year, a.level, a.territory_code, a.territory_code as territory_label, a.flow, a.value_eur,
        case when a.level = 'departement' then a.value_eur / r.value_eur end as share_of_region,
        a.value_eur / f.value_eur as share_of_france,
        f.quarters::integer as quarters_covered, f.quarters = 4 as is_complete_year
    from a join marts.dim_territory as d using (level, territory_code)
    left join a as r on r.level = 'region' and r.territory_code = d.parent_region_code and r.year = a.year
        and r.flow = a.flow
    join a as f on f.level = 'france' and f.year = a.year and f.flow = a.flow;
create table marts.product_activity as
    with p as (select year, level, territory_code, flow, product_code, sum(value_eur)::bigint as value_eur
        from t_flows group by all)
    select year, level, territory_code, flow, product_code, product_code as product_label, value_eur,
        value_eur / sum(value_eur) over w as share_of_flow,
        row_number() over (w order by value_eur desc, product_code)::integer as rank
    from p window w as (partition by year, level, territory_code, flow);
create table marts.partner_ranking as
    with p as (select year, level, territory_code, flow, country_code, sum(value_eur)::bigint as value_eur
        from t_flows group by all)
    select year, level, territory_code, flow, country_code, country_code as country_label, value_eur,
        value_eur / sum(value_eur) over w as share_of_flow,
        row_number() over (w order by value_eur desc, country_code)::integer as rank
    from p window w as (partition by year, level, territory_code, flow);
create table marts.partner_balance as
    with top as (
        select distinct year, level, territory_code, country_code from marts.partner_ranking where rank <= $top_n
    )
    select t.year, t.level, t.territory_code, t.country_code, t.country_code as country_label,
        coalesce(i.value_eur, 0) as import_eur, coalesce(e.value_eur, 0) as export_eur,
        coalesce(e.value_eur, 0) - coalesce(i.value_eur, 0) as balance_eur,
        e.rank as export_rank, i.rank as import_rank
    from top as t
    left join marts.partner_ranking as e on e.flow = 'export' and e.year = t.year and e.level = t.level
        and e.territory_code = t.territory_code and e.country_code = t.country_code
    left join marts.partner_ranking as i on i.flow = 'import' and i.year = t.year and i.level = t.level
        and i.territory_code = t.territory_code and i.country_code = t.country_code;
create table marts.flow_links as
    with cells as (
        select f.year, f.level, f.territory_code, f.flow,
            case when p.rank <= $top_n then f.product_code else 'AUTRES' end as product_code,
            case when c.rank <= $top_n then f.country_code else 'AUTRES' end as country_code,
            sum(f.value_eur)::bigint as value_eur
        from t_flows as f
        join marts.product_activity as p using (year, level, territory_code, flow, product_code)
        join marts.partner_ranking as c using (year, level, territory_code, flow, country_code)
        group by all
    )
    select year, level, territory_code, flow, product_code, product_code as product_label, country_code,
        country_code as country_label, value_eur,
        product_code <> 'AUTRES' and country_code <> 'AUTRES' and row_number() over (
            partition by year, level, territory_code, flow
            order by product_code = 'AUTRES' or country_code = 'AUTRES', value_eur desc, product_code, country_code
        ) <= $highlight_n as is_highlighted
    from cells;
create table marts.territory_trends as  -- one year: nothing earlier to compare with
    select year, level, territory_code, territory_label, flow, quarters_covered, value_eur,
        null::bigint as prior_year_value_eur, null::double as growth_1y,
        null::bigint as value_eur_5y_earlier, null::double as cagr_5y
    from marts.territory_totals;
create table marts.territory_exposure as  -- BE, DE, IT, ES: every partner is in the EU-27
    with partners as (
        select year, level, territory_code, flow, sum(value_eur)::bigint as value_eur,
            count(*)::integer as partner_count, sum(share_of_flow * share_of_flow) as partner_hhi,
            max(case when rank = 1 then country_code end) as top_partner_code,
            max(case when rank = 1 then country_label end) as top_partner_label,
            sum(case when rank = 1 then share_of_flow else 0 end) as top_partner_share,
            sum(case when rank <= 3 then share_of_flow else 0 end) as top3_partners_share,
            sum(share_of_flow) as eu27_share, 0.0::double as extra_eu27_share,
            0.0::double as us_share, 0.0::double as cn_share
        from marts.partner_ranking group by all
    ),
    products as (
        select year, level, territory_code, flow, count(*)::integer as product_count,
            sum(share_of_flow * share_of_flow) as product_hhi
        from marts.product_activity group by all
    )
    select partners.*, products.product_count, products.product_hhi, partners.territory_code as territory_label
    from partners join products using (year, level, territory_code, flow);
create table marts.product_specialisation as  -- no mass and no US trade in this fact
    select a.year, a.level, a.territory_code, a.flow, a.product_code, a.product_label, a.value_eur,
        a.share_of_flow, f.share_of_flow as france_share_of_flow, a.share_of_flow / f.share_of_flow as rca,
        0::bigint as us_value_eur, 0::bigint as mass_kg, null::double as unit_value_eur_per_kg
    from marts.product_activity as a
    join marts.product_activity as f on f.level = 'france' and f.year = a.year and f.flow = a.flow
        and f.product_code = a.product_code;
"""


def _marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table deps as select * from (values "
        + ", ".join(f"('{d}', '{r}')" for d, r in DEPARTEMENTS.items())
        + ") as t(d, r)"
    )
    rows = []
    for fi, flow in enumerate(("export", "import")):
        for quarter in (1, 2, 3, 4):
            for di, dep in enumerate(DEPARTEMENTS):
                for pi, product in enumerate(PRODUCTS):
                    for ci, country in enumerate(COUNTRIES):
                        value = ((quarter * 7 + di * 13 + pi * 17 + ci * 19 + fi * 3) % 23 + 1) * 1000 + pi * 10 + ci
                        rows.append((2024, quarter, flow, dep, product, country, value))
    con.execute(
        "create table fct (year integer, quarter integer, flow varchar, dep varchar, product_code varchar, "
        "country_code varchar, value_eur bigint)"
    )
    con.executemany("insert into fct values (?, ?, ?, ?, ?, ?, ?)", rows)
    for statement in _MARTS_SQL.split(";"):
        if statement.strip():
            params = {
                k: v
                for k, v in {"top_n": SETTINGS.top_n, "highlight_n": SETTINGS.highlight_n}.items()
                if f"${k}" in statement
            }
            con.execute(statement, params or None)


def build_warehouse(path: Path) -> Path:
    """The tiny warehouse file (raw and marts schemas)."""
    with duckdb.connect(str(path)) as con:
        _raw(con)
        _marts(con)
    return path


def write_exports(warehouse: Path, out_dir: Path) -> Path:
    """Export files from the tiny marts, as the contract says (CSV + Parquet, contract column order)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in EXPORT_TABLES:
            if not table.relation:
                continue
            query = f"select {', '.join(table.column_names)} from {table.relation}"
            con.execute(f"copy ({query}) to '{out_dir / (table.name + '.csv')}' (format csv, header true)")
            con.execute(f"copy ({query}) to '{out_dir / (table.name + '.parquet')}' (format parquet)")
    return out_dir
