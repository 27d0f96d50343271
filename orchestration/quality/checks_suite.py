"""Great Expectations on the check models: the same rows the dbt tests read, the same zeros.

Each check model (dbt's models/checks/chk_*, see orchestration/check_models.py) holds one row
per group with its `gap`; its suite expects every gap within the project's one tolerance, and
names an offending row by the model's group columns. The frames are the check models as dbt
built them: aggregates computed in DuckDB, never the marts themselves.
"""

from __future__ import annotations

import duckdb

from orchestration.check_models import CHECK_MODELS, CheckModel, tolerance
from orchestration.quality.context import Expect, SuiteSpec
from orchestration.quality.settings import QualitySettings


def check_suite(con: duckdb.DuckDBPyConnection, model: CheckModel) -> SuiteSpec:
    frame = con.execute(f"select * from {model.relation}").df()
    limit = tolerance()
    return SuiteSpec(
        model.name,
        frame,
        [Expect("ExpectColumnValuesToBeBetween", {"column": "gap", "min_value": -limit, "max_value": limit})],
        index_columns=[*model.keys, "gap"],
        description=(
            f"{model.relation}: every gap within {limit:g} (dbt var tolerance)"
            + ("" if model.blocking else "; a warning: the rows are reported, their euros kept")
        ),
    )


def check_suites(con: duckdb.DuckDBPyConnection) -> dict[str, SuiteSpec]:
    """One suite per check model."""
    return {name: check_suite(con, model) for name, model in CHECK_MODELS.items()}


def revisions_suite(con: duckdb.DuckDBPyConnection, since_vintage_id: int, settings: QualitySettings) -> SuiteSpec:
    """Territories the new vintages revise by more than COMEX_REVISION_THRESHOLD (a warning)."""
    threshold = settings.revision_threshold
    frame = con.execute(
        """
        select flow, year, quarter, level, territory_code, before_eur, after_eur, change_eur,
            coalesce(relative_change, case when after_eur = 0 then 0 else 1 end) as relative_change
        from marts.vintage_revisions
        where vintage_id > ?
        order by flow, year, quarter, level, territory_code
        """,
        [since_vintage_id],
    ).df()
    return SuiteSpec(
        "vintage_revisions",
        frame,
        [
            Expect(
                "ExpectColumnValuesToBeBetween",
                {"column": "relative_change", "min_value": -threshold, "max_value": threshold},
            )
        ],
        index_columns=["flow", "year", "quarter", "level", "territory_code", "before_eur", "after_eur"],
        description=(
            f"Quarters revised by the new vintages (marts.vintage_revisions): a territory whose value moves by "
            f"more than {threshold:.0%} (COMEX_REVISION_THRESHOLD) from the previous vintage is reported (warning)."
        ),
    )
