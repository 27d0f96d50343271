"""What a refresh's `dbt build` builds and leaves out, by what the warehouse already holds.

- unit tests never (they check the models' logic, not the data: the test suite runs them);
- reference seeds and their tests only when they changed since loaded (orchestration/seed_state.py);
- the staging and intermediate views, and the tests beside them, only when the dbt project
  changed since they were made: a view is a stored query, unchanged with the project;
- the check views (models/checks) only in a full rebuild (a warehouse's first refresh, a
  changed project, new label lists); their tests, which test the marts, on every refresh;
- everything from scratch (--full-refresh) in a full rebuild; otherwise the incremental
  models rebuild the periods and years whose current vintage changed.

Every node is selected directly, and each exclusion names the nodes it leaves out
(`--indirect-selection empty`): excluding a check view does not exclude its test.
"""

#: Models that are views on DuckDB (dbt_project.yml), by folder: made when the dbt project
#: changes, with the tests written beside them (and the sources'). A path selects both.
VIEW_MODEL_PATHS = ("models/staging", "models/intermediate")
VIEW_FOLDERS = tuple(f"path:{path}" for path in VIEW_MODEL_PATHS)
#: The check models, views as well: kept while the project is unchanged, their tests run on
#: every refresh (they are what test the marts).
CHECK_MODELS_PATH = "models/checks"
CHECK_VIEWS = f"path:{CHECK_MODELS_PATH},resource_type:model"
#: Seeds and the tests of seeds/_seeds.yml.
SEEDS = ("resource_type:seed", "path:seeds")
#: What the exclusions above are written for: no test is left out because its model is.
INDIRECT_SELECTION = "empty"


def build_arguments(
    *,
    seeds_loaded: bool,
    views_made: bool = False,
    project_unchanged: bool,
    new_labels: bool,
    max_national_revision: float,
    last_vintage: int = 0,
) -> tuple[list[str], list[str], list[str]]:
    """The `dbt build` arguments of a refresh: (exclusions, options, why in words); the
    exclusions are meant for `--indirect-selection empty` (INDIRECT_SELECTION). `last_vintage`:
    the live warehouse's highest vintage id; the vintages above it are what the tests of views
    over the rows of vintages check (var tested_after_vintage; all of them in a full rebuild)."""
    exclude = ["resource_type:unit_test"]
    notes = []
    if seeds_loaded:
        exclude += SEEDS
        notes.append(
            "reference seeds unchanged since loaded (a new warehouse's: at set-up, by `comex prepare`): "
            "seeds and their tests not re-run"
        )
    full_refresh = not project_unchanged or new_labels
    if views_made or not full_refresh:
        exclude += VIEW_FOLDERS
    if not full_refresh:  # made by the warehouse's first refresh, or the last full rebuild
        exclude.append(CHECK_VIEWS)
    if views_made and full_refresh:
        notes.append("views made by this dbt project already (a new warehouse's: at set-up): kept")
    if not full_refresh:
        notes.append(
            "dbt project unchanged: views kept, incremental models rebuild new or revised periods only, "
            "the check views' tests run"
        )
    elif new_labels:
        notes.append("new label lists: every period rebuilt with them (--full-refresh)")
    else:
        notes.append("dbt project changed since the last successful refresh (or none yet): full rebuild")
    tested_after = 0 if full_refresh else last_vintage
    options = ["--vars", f"{{max_national_revision: {max_national_revision}, tested_after_vintage: {tested_after}}}"]
    return exclude, [*options, *(["--full-refresh"] if full_refresh else [])], notes


def views_built(exclude: list[str]) -> bool:
    """Does a build with these exclusions make the staging and intermediate views?"""
    return not set(VIEW_FOLDERS) & set(exclude)
