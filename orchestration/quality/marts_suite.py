"""Suites on the indicator marts: keys, shares, and the sums that must hold across rows.

Cross-row invariants are computed in DuckDB (one row per territory, or per territory × year ×
flow, with a `*_gap` or `*_error` column that must be 0) and GX checks those columns: a few
thousand rows, whatever the size of the marts. Sums are exact in whole euros; share sums are
doubles, compared within SHARE_TOLERANCE.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from orchestration.quality.context import Expect, SuiteSpec
from orchestration.quality.settings import QualitySettings

SHARE_TOLERANCE = 1e-6
ZERO = {"min_value": 0, "max_value": 0}
GROUP = ["year", "level", "territory_code", "flow"]


def _zero(*columns: str) -> list[Expect]:
    return [Expect("ExpectColumnValuesToBeBetween", {"column": c, **ZERO}) for c in columns]


def _share(column: str, *, strict_min: bool = False) -> Expect:
    return Expect(
        "ExpectColumnValuesToBeBetween", {"column": column, "min_value": 0, "max_value": 1, "strict_min": strict_min}
    )


def _tolerance(*columns: str) -> list[Expect]:
    return [
        Expect("ExpectColumnValuesToBeBetween", {"column": c, "min_value": 0, "max_value": SHARE_TOLERANCE})
        for c in columns
    ]


_TOTALS_SQL = """
with t as (select * from marts.{mart}),
dep as (
    select t.*, d.parent_region_code
    from t join marts.dim_territory as d on d.level = 'departement' and d.territory_code = t.territory_code
    where t.level = 'departement'
),
region_sums as (
    select {grain}, flow, parent_region_code as territory_code, sum(value_eur) as children_eur,
        abs(sum(share_of_region) - 1) as region_share_error
    from dep group by all
),
france_from_regions as (
    select {grain}, flow, sum(value_eur) as children_eur from t where level = 'region' group by all
),
france_from_departements as (
    select {grain}, flow, sum(value_eur) as departements_eur from t where level = 'departement' group by all
),
level_shares as (
    select {grain}, flow, level, abs(sum(share_of_france) - 1) as level_share_error from t group by all
)
select {t_grain}, t.level, t.territory_code, t.flow, t.value_eur, t.share_of_region, t.share_of_france,
    ({null_keys}) as null_keys,
    case t.level
        when 'region' then t.value_eur - coalesce(r.children_eur, 0)
        when 'france' then t.value_eur - coalesce(fr.children_eur, 0)
    end as children_gap,
    case when t.level = 'france' then t.value_eur - coalesce(fd.departements_eur, 0) end as departements_gap,
    ls.level_share_error,
    rs.region_share_error
    {extra_columns}
from t
left join region_sums as r
    on t.level = 'region' and r.territory_code = t.territory_code and {join_r} and r.flow = t.flow
left join france_from_regions as fr on t.level = 'france' and {join_fr} and fr.flow = t.flow
left join france_from_departements as fd on t.level = 'france' and {join_fd} and fd.flow = t.flow
left join level_shares as ls on {join_ls} and ls.flow = t.flow and ls.level = t.level
left join dep as d on t.level = 'departement' and d.territory_code = t.territory_code and {join_d} and d.flow = t.flow
left join region_sums as rs
    on rs.territory_code = d.parent_region_code and {join_rs} and rs.flow = t.flow
{extra_joins}
order by all
"""

_QUARTERS_COLUMNS = """,
    t.quarters_covered, t.is_complete_year,
    t.value_eur - q.quarters_eur as quarters_gap,
    t.quarters_covered - q.quarters as quarters_covered_gap,
    case when t.is_complete_year = (t.quarters_covered = 4) then 0 else 1 end as complete_flag_error"""

_QUARTERS_JOIN = """
left join (
    select year, level, territory_code, flow, sum(value_eur) as quarters_eur, count(distinct quarter) as quarters
    from marts.territory_quarterly_totals group by all
) as q on q.year = t.year and q.level = t.level and q.territory_code = t.territory_code and q.flow = t.flow"""


def _totals_frame(con: duckdb.DuckDBPyConnection, mart: str, grain: list[str], *, annual: bool):  # noqa: ANN202
    def on(alias: str) -> str:
        return " and ".join(f"{alias}.{g} = t.{g}" for g in grain)

    sql = _TOTALS_SQL.format(
        mart=mart,
        grain=", ".join(grain),
        t_grain=", ".join(f"t.{g}" for g in grain),
        null_keys=" + ".join(
            f"cast(t.{c} is null as integer)"
            for c in [*grain, "level", "territory_code", "flow", "value_eur", "share_of_france"]
        ),
        join_r=on("r"),
        join_fr=on("fr"),
        join_fd=on("fd"),
        join_ls=on("ls"),
        join_d=on("d"),
        join_rs=on("rs"),
        extra_columns=_QUARTERS_COLUMNS if annual else "",
        extra_joins=_QUARTERS_JOIN if annual else "",
    )
    return con.execute(sql).df()


def _totals_expectations(keys: list[str]) -> list[Expect]:
    return [
        Expect("ExpectCompoundColumnsToBeUnique", {"column_list": keys}),
        *_zero("null_keys"),
        _share("share_of_region"),
        _share("share_of_france"),
        *_zero("children_gap", "departements_gap"),
        *_tolerance("level_share_error", "region_share_error"),
    ]


def territory_totals_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    keys = ["year", "level", "territory_code", "flow"]
    return SuiteSpec(
        "marts_territory_totals",
        _totals_frame(con, "territory_totals", ["year"], annual=True),
        [
            Expect("ExpectTableRowCountToBeBetween", {"min_value": 1}),
            *_totals_expectations(keys),
            *_zero("quarters_gap", "quarters_covered_gap", "complete_flag_error"),
        ],
        index_columns=keys,
        description=(
            "Keys unique and not null; shares in [0, 1] summing to 1 per year, flow and level (share_of_france) "
            "and per région (share_of_region); a région = the sum of its départements, France = the sum of the "
            "régions and of the départements; the year = the sum of its quarters (territory_quarterly_totals)."
        ),
    )


def territory_quarterly_totals_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    keys = ["year", "quarter", "level", "territory_code", "flow"]
    return SuiteSpec(
        "marts_territory_quarterly_totals",
        _totals_frame(con, "territory_quarterly_totals", ["year", "quarter"], annual=False),
        _totals_expectations(keys),
        index_columns=keys,
        description=(
            "As territory_totals, each quarter: keys, shares in [0, 1] summing to 1, régions and France as sums."
        ),
    )


_RANKING_SQL = """
select {group_sel}, count(*) as row_count,
    count(*) - count(distinct r.{item}) + count(*) filter (where r.year is null or r.level is null
        or r.territory_code is null or r.flow is null or r.{item} is null) as key_errors,
    min(r.share_of_flow) as min_share, max(r.share_of_flow) as max_share,
    abs(sum(r.share_of_flow) - 1) as share_sum_error,
    min(r.value_eur) as min_value_eur,
    sum(r.value_eur) - coalesce(max(t.value_eur), 0) as total_gap,
    (count(*) - count(distinct r.rank)) + abs(max(r.rank) - count(*)) as rank_errors
from marts.{mart} as r
left join marts.territory_totals as t
    on t.year = r.year and t.level = r.level and t.territory_code = r.territory_code and t.flow = r.flow
group by all
order by all
"""


def _ranking_suite(con: duckdb.DuckDBPyConnection, mart: str, item: str, what: str) -> SuiteSpec:
    group_sel = ", ".join(f"r.{g}" for g in GROUP)
    frame = con.execute(_RANKING_SQL.format(mart=mart, item=item, group_sel=group_sel)).df()
    return SuiteSpec(
        f"marts_{mart}",
        frame,
        [
            *_zero("key_errors", "rank_errors", "total_gap"),
            _share("min_share", strict_min=True),
            _share("max_share", strict_min=True),
            *_tolerance("share_sum_error"),
            Expect("ExpectColumnValuesToBeBetween", {"column": "min_value_eur", "min_value": 1}),
        ],
        index_columns=GROUP,
        description=(
            f"Per territory, year and flow: {what} unique and not null, shares in ]0, 1] summing to 1, "
            "ranks 1..n without ties, values > 0 summing to the territory's total (territory_totals)."
        ),
    )


def product_activity_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    return _ranking_suite(con, "product_activity", "product_code", "products")


def partner_ranking_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    return _ranking_suite(con, "partner_ranking", "country_code", "partner countries")


_FLOW_LINKS_SQL = """
with groups as (
    select f.year, f.level, f.territory_code, f.flow, count(*) as row_count,
        count(*) - count(distinct f.product_code || '|' || f.country_code)
            + count(*) filter (where f.year is null or f.level is null or f.territory_code is null
                or f.flow is null or f.product_code is null or f.country_code is null) as key_errors,
        count(distinct f.product_code) filter (where f.product_code <> 'AUTRES') as named_products,
        count(distinct f.country_code) filter (where f.country_code <> 'AUTRES') as named_countries,
        count(*) filter (where f.is_highlighted) as highlighted,
        count(*) filter (where f.is_highlighted and 'AUTRES' in (f.product_code, f.country_code))
            as highlighted_autres,
        min(f.value_eur) as min_value_eur,
        sum(f.value_eur) as cells_eur
    from marts.flow_links as f
    group by all
),
products as (select year, level, territory_code, flow, count(*) as n from marts.product_activity group by all),
countries as (select year, level, territory_code, flow, count(*) as n from marts.partner_ranking group by all)
select g.* exclude (cells_eur),
    g.cells_eur - coalesce(t.value_eur, 0) as total_gap,
    g.named_products - least($top_n, coalesce(p.n, 0)) as named_products_gap,
    g.named_countries - least($top_n, coalesce(c.n, 0)) as named_countries_gap
from groups as g
left join marts.territory_totals as t using (year, level, territory_code, flow)
left join products as p using (year, level, territory_code, flow)
left join countries as c using (year, level, territory_code, flow)
order by all
"""


def flow_links_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    frame = con.execute(_FLOW_LINKS_SQL, {"top_n": settings.top_n}).df()
    return SuiteSpec(
        "marts_flow_links",
        frame,
        [
            *_zero("key_errors", "highlighted_autres", "total_gap", "named_products_gap", "named_countries_gap"),
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "highlighted", "min_value": 0, "max_value": settings.highlight_n},
            ),
            Expect("ExpectColumnValuesToBeBetween", {"column": "min_value_eur", "min_value": 1}),
        ],
        index_columns=GROUP,
        description=(
            f"Per territory, year and flow: the top {settings.top_n} products and countries (as ranked in "
            "product_activity and partner_ranking) plus AUTRES, cells summing exactly to the territory's total, "
            f"at most {settings.highlight_n} highlighted cells and none with AUTRES; keys unique and not null."
        ),
    )


_BALANCE_SQL = """
with b as (select * from marts.partner_balance),
ranked as (
    select year, level, territory_code, country_code,
        max(value_eur) filter (where flow = 'export') as export_eur,
        max(value_eur) filter (where flow = 'import') as import_eur,
        min(rank) filter (where flow = 'export') as export_rank,
        min(rank) filter (where flow = 'import') as import_rank
    from marts.partner_ranking group by all
),
top as (
    select year, level, territory_code, count(*) as top_countries
    from ranked where export_rank <= $top_n or import_rank <= $top_n group by all
)
select b.year, b.level, b.territory_code, count(*) as row_count,
    count(*) - count(distinct b.country_code) + count(*) filter (where b.year is null or b.level is null
        or b.territory_code is null or b.country_code is null) as key_errors,
    count(*) filter (where b.balance_eur <> b.export_eur - b.import_eur) as balance_errors,
    count(*) filter (where b.export_eur <> coalesce(r.export_eur, 0) or b.import_eur <> coalesce(r.import_eur, 0))
        as ranking_mismatches,
    count(*) filter (
        where not (coalesce(r.export_rank, $top_n + 1) <= $top_n or coalesce(r.import_rank, $top_n + 1) <= $top_n)
    ) as outside_top,
    count(*) - max(coalesce(tp.top_countries, 0)) as top_countries_gap
from b
left join ranked as r using (year, level, territory_code, country_code)
left join top as tp using (year, level, territory_code)
group by all
order by all
"""


def partner_balance_suite(con: duckdb.DuckDBPyConnection, settings: QualitySettings) -> SuiteSpec:
    frame = con.execute(_BALANCE_SQL, {"top_n": settings.top_n}).df()
    keys = ["year", "level", "territory_code"]
    return SuiteSpec(
        "marts_partner_balance",
        frame,
        [
            *_zero("key_errors", "balance_errors", "ranking_mismatches", "outside_top", "top_countries_gap"),
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "row_count", "min_value": 1, "max_value": 2 * settings.top_n},
            ),
        ],
        index_columns=keys,
        description=(
            f"Per territory and year: exactly the union of the top {settings.top_n} export and import partners "
            "(partner_ranking), their full values, balance = export − import; keys unique and not null."
        ),
    )


SuiteBuilder = Callable[[duckdb.DuckDBPyConnection, QualitySettings], SuiteSpec]

#: mart name (asset key marts/<name>) -> its suite.
MART_SUITES: dict[str, SuiteBuilder] = {
    "territory_totals": territory_totals_suite,
    "territory_quarterly_totals": territory_quarterly_totals_suite,
    "product_activity": product_activity_suite,
    "partner_ranking": partner_ranking_suite,
    "partner_balance": partner_balance_suite,
    "flow_links": flow_links_suite,
}
