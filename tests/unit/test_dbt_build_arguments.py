"""What a refresh's `dbt build` leaves out, by what the warehouse already holds (pure function)."""

from orchestration.dbt_selection import CHECK_VIEWS, SEEDS, VIEW_FOLDERS, build_arguments, views_built


def _build(**state: bool) -> tuple[list[str], list[str]]:
    exclude, options, _ = build_arguments(max_national_revision=0.05, **state)
    return exclude, options


def _keeps_views(exclude: list[str]) -> bool:
    return all(folder in exclude for folder in VIEW_FOLDERS) and not views_built(exclude)


def test_a_new_warehouse_from_a_current_template_builds_neither_seeds_nor_views() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=True, project_unchanged=False, new_labels=False)
    assert all(seed in exclude for seed in SEEDS) and _keeps_views(exclude)
    assert "--full-refresh" in options  # its tables are made from scratch all the same
    assert CHECK_VIEWS not in exclude  # the template has no marts, so no check views: this run makes them


def test_views_of_another_project_are_made_again() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=False, project_unchanged=False, new_labels=False)
    assert views_built(exclude) and CHECK_VIEWS not in exclude and "--full-refresh" in options


def test_an_unchanged_project_keeps_its_views_even_unrecorded() -> None:
    """A warehouse built before views were recorded: the last refresh's project is this one."""
    exclude, options = _build(seeds_loaded=True, views_made=False, project_unchanged=True, new_labels=False)
    assert _keeps_views(exclude) and CHECK_VIEWS in exclude and "--full-refresh" not in options


def test_new_label_lists_rebuild_every_period_and_the_check_views_but_not_the_other_views() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=True, project_unchanged=True, new_labels=True)
    assert _keeps_views(exclude) and CHECK_VIEWS not in exclude and "--full-refresh" in options


def test_unit_tests_never_run_in_a_refresh() -> None:
    exclude, _ = _build(seeds_loaded=False, views_made=False, project_unchanged=False, new_labels=False)
    assert exclude == ["resource_type:unit_test"]
