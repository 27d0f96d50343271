"""Revisions between consecutive vintages: which territory × flow × quarter moved, and by how much.

For each (flux, year, quarter) whose newest covering vintage is new in this run, the newest
vintage is compared with the previous one covering that quarter (publication order), summed per
département, région and France. A relative move above the threshold (COMEX_REVISION_THRESHOLD,
5 % by default) is reported: a warning, not a failure (revisions are normal; large ones deserve
a look). A territory that appears or disappears counts as a move of its whole value.
"""

from __future__ import annotations

import duckdb

from orchestration.quality.context import Expect, SuiteSpec
from orchestration.quality.settings import QualitySettings

REVISIONS_SQL = """
with covering as (
    select p.flux, p.annee, p.trimestre, p.vintage_id,
        row_number() over (partition by p.flux, p.annee, p.trimestre order by v.publication_order desc) as recency
    from raw.vintage_periods as p join raw.vintages as v using (vintage_id)
),
pairs as (
    select n.flux, n.annee, n.trimestre, n.vintage_id as new_id, o.vintage_id as old_id
    from covering as n
    join covering as o on o.flux = n.flux and o.annee = n.annee and o.trimestre = n.trimestre and o.recency = 2
    where n.recency = 1 and n.vintage_id > $since
),
sides as (
    select p.flux, p.annee, p.trimestre, f.code_departement, f.code_region,
        coalesce(sum(f.valeur) filter (where f.vintage_id = p.old_id), 0) as before_eur,
        coalesce(sum(f.valeur) filter (where f.vintage_id = p.new_id), 0) as after_eur
    from pairs as p
    join raw.customs_flows as f
        on f.flux = p.flux and f.annee = p.annee and f.trimestre = p.trimestre
        and f.vintage_id in (p.old_id, p.new_id)
    group by all
),
territories as (
    select flux, annee, trimestre,
        case
            when code_departement is not null then 'departement'
            when code_region is not null then 'region'
            else 'france'
        end as level,
        coalesce(code_departement, code_region, 'FR') as territory_code,
        sum(before_eur) as before_eur, sum(after_eur) as after_eur
    from sides
    group by grouping sets (
        (flux, annee, trimestre, code_departement), (flux, annee, trimestre, code_region), (flux, annee, trimestre)
    )
)
select
    case flux when 'E' then 'export' when 'I' then 'import' else flux end as flow,
    annee as year, trimestre as quarter, level, territory_code,
    cast(before_eur as bigint) as before_eur, cast(after_eur as bigint) as after_eur,
    cast(after_eur - before_eur as bigint) as change_eur,
    (after_eur - before_eur) / greatest(abs(before_eur), 1) as relative_change
from territories
order by flow, year, quarter, level, territory_code
"""


def revisions_frame(con: duckdb.DuckDBPyConnection, since_vintage_id: int):  # noqa: ANN201 (pandas lazily)
    """Every territory × flow × quarter the new vintages revise, with before/after values."""
    return con.execute(REVISIONS_SQL, {"since": since_vintage_id}).df()


def revisions_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int, settings: QualitySettings) -> SuiteSpec:
    threshold = settings.revision_threshold
    return SuiteSpec(
        "raw_revisions",
        revisions_frame(con, since_vintage_id),
        [
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "relative_change", "min_value": -threshold, "max_value": threshold},
            )
        ],
        index_columns=["flow", "year", "quarter", "level", "territory_code", "before_eur", "after_eur"],
        description=(
            f"Quarters revised by the new vintages: a territory whose value moves by more than {threshold:.0%} "
            "(COMEX_REVISION_THRESHOLD) from the previous vintage is reported (warning)."
        ),
    )
