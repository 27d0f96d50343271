"""The package's import graph: no cycle (late imports included), and data flows one way.

Every `import orchestration…` counts, the ones inside functions too: a late import that hides a
cycle from Python is still a knot for a reader.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT

PACKAGE = REPO_ROOT / "orchestration"

#: A module of the left-hand layer never imports one of the right-hand layers (they come later
#: on raw → staging → marts → checks → exports → fiches, or they drive the run).
NEVER_IMPORTS = {
    "orchestration.ingestion": ("orchestration.assets", "orchestration.exports", "orchestration.fiches",
                                "orchestration.quality", "orchestration.definitions", "orchestration.runner"),
    "orchestration.quality": ("orchestration.assets", "orchestration.fiches", "orchestration.definitions",
                              "orchestration.runner"),
    "orchestration.exports": ("orchestration.assets", "orchestration.fiches", "orchestration.ingestion",
                              "orchestration.definitions", "orchestration.runner"),
    "orchestration.fiches": ("orchestration.assets", "orchestration.ingestion", "orchestration.quality",
                             "orchestration.definitions", "orchestration.runner"),
    "orchestration.assets": ("orchestration.definitions", "orchestration.runner", "orchestration.sensors",
                             "orchestration.schedules", "orchestration.cli"),
}  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The package modules `path` imports anywhere in its body (a name imported from a package
    counts as its submodule when there is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(paths)
    graph = {name: imported_modules(path, known) - {name} for name, path in paths.items()}
    for name in known:  # importing a.b.c runs a/__init__ and a/b/__init__ first: those are not edges of a cycle
        graph[name] = {dep for dep in graph[name] if not name.startswith(f"{dep}.")}
    return graph


def test_the_package_has_no_import_cycle() -> None:
    try:
        graphlib.TopologicalSorter(import_graph()).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_data_flows_one_way() -> None:
    backwards = [
        f"{module} imports {dep}"
        for module, deps in import_graph().items()
        for layer, forbidden in NEVER_IMPORTS.items()
        if module == layer or module.startswith(f"{layer}.")
        for dep in deps
        if any(dep == f or dep.startswith(f"{f}.") for f in forbidden)
    ]
    assert not backwards, backwards


def test_the_jobs_live_in_one_module() -> None:
    defining = sorted(
        module_name(path) for path in PACKAGE.rglob("*.py") if "define_asset_job(" in path.read_text(encoding="utf-8")
    )
    assert defining == ["orchestration.jobs"]


def test_no_module_cites_a_design_file_outside_the_repository() -> None:
    """What the code needs to say is in the repository (docs/architecture.md), not in ../shared."""
    citations = ("DESIGN" + ".md", "DESIGN" + " §")  # spelt in pieces so that this file does not cite it
    citing = [
        str(path.relative_to(REPO_ROOT))
        for folder in ("orchestration", "models", "macros", "tests", "seeds", "docs")
        for path in (REPO_ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".sql", ".yml", ".yaml", ".md"}
        and any(c in path.read_text(encoding="utf-8", errors="replace") for c in citations)
    ]
    assert not citing, citing
