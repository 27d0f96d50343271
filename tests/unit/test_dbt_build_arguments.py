"""What a refresh's `dbt build` leaves out, by what the warehouse already holds (pure function)."""

from orchestration.assets.dbt import build_arguments

VIEWS, SEEDS = "config.materialized:view", "resource_type:seed"


def _build(**state: bool) -> tuple[list[str], list[str]]:
    exclude, options, _ = build_arguments(max_national_revision=0.05, **state)
    return exclude, options


def test_a_new_warehouse_from_a_current_template_builds_neither_seeds_nor_views() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=True, project_unchanged=False, new_labels=False)
    assert SEEDS in exclude and VIEWS in exclude
    assert "--full-refresh" in options  # its tables are made from scratch all the same


def test_views_of_another_project_are_made_again() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=False, project_unchanged=False, new_labels=False)
    assert VIEWS not in exclude and "--full-refresh" in options


def test_an_unchanged_project_keeps_its_views_even_unrecorded() -> None:
    """A warehouse built before views were recorded: the last refresh's project is this one."""
    exclude, options = _build(seeds_loaded=True, views_made=False, project_unchanged=True, new_labels=False)
    assert VIEWS in exclude and "--full-refresh" not in options


def test_new_label_lists_rebuild_every_period_but_not_the_views() -> None:
    exclude, options = _build(seeds_loaded=True, views_made=True, project_unchanged=True, new_labels=True)
    assert VIEWS in exclude and "--full-refresh" in options


def test_unit_tests_never_run_in_a_refresh() -> None:
    exclude, _ = _build(seeds_loaded=False, views_made=False, project_unchanged=False, new_labels=False)
    assert exclude == ["resource_type:unit_test"]
