"""`comex`: the command line of comex-territoires (a thin face over the Dagster jobs)."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated

import typer

from orchestration.settings import ENV_EXPORTS_DIR, ENV_RAW_DIR, ENV_WAREHOUSE, Paths

app = typer.Typer(
    name="comex",
    help=(
        "French customs (DGDDI) départemental trade data → DuckDB marts → publisher exports.\n\n"
        "Start with `comex refresh --sample` (bundled synthetic data), or drop the DGDDI files in "
        "data/raw/ and run `comex refresh`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RawDirOption = Annotated[
    Path | None,
    typer.Option(
        "--raw-dir", help=f"Folder of DGDDI files to ingest (env {ENV_RAW_DIR}; default data/raw).", show_default=False
    ),
]
WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help=f"DuckDB warehouse file (env {ENV_WAREHOUSE}; default data/warehouse/comex.duckdb).",
        show_default=False,
    ),
]
ExportsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--exports-dir",
        help=f"Where export tables are published (env {ENV_EXPORTS_DIR}; default exports/).",
        show_default=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Show the full error (traceback) on failure.")]


@app.callback()
def _root() -> None:
    """French customs (DGDDI) départemental trade data → DuckDB marts → publisher exports."""


def _fail(message: str, detail: str | None, verbose: bool) -> None:
    from orchestration.console import console

    if verbose and detail:
        console.print(detail, markup=False)
    console.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code=1)


@app.command()
def refresh(
    sample: Annotated[
        bool, typer.Option("--sample", help="Ingest the bundled synthetic sample (data/sample/).")
    ] = False,
    raw_dir: RawDirOption = None,
    warehouse: WarehouseOption = None,
    exports_dir: ExportsDirOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Ingest new customs files, rebuild and test the marts, and publish the export tables.

    Runs the same Dagster job as the monthly schedule, in this process. The live warehouse and
    exports are replaced only if every step and blocking check passes.
    """
    from orchestration.console import console
    from orchestration.runner import run_refresh

    paths = Paths.resolve(raw_dir, warehouse, exports_dir, sample=sample)
    console.print(f"[bold]comex refresh[/bold]  raw: {paths.raw_dir}  →  warehouse: {paths.warehouse}")
    try:
        outcome = run_refresh(paths, sample=sample)
    except Exception as exc:  # an unexpected failure outside any step: still one line
        _fail(f"refresh could not run: {type(exc).__name__}: {exc}", traceback.format_exc(), verbose)
    if not outcome.success:
        where = f" (step {outcome.failed_step})" if outcome.failed_step else ""
        _fail(f"refresh failed{where}: {outcome.error_message}", outcome.error_detail, verbose)
    console.print(
        f"[green]done[/green] in {outcome.seconds:.1f} s — warehouse {paths.warehouse}, exports in {paths.exports_dir}"
    )


def main() -> None:
    """Entry point of the `comex` script."""
    app()


if __name__ == "__main__":
    main()
