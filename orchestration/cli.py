"""`comex`: the command line of comex-territoires (a thin face over the Dagster jobs)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, NoReturn

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


def _dgddi_code(level: str, code: str) -> str:
    """`code` as DGDDI writes it; an INSEE code (2A, 971, région 44) is read so, and said."""
    from rich.console import Console

    from orchestration.territory_codes import to_dgddi

    dgddi = to_dgddi(level, code)
    if dgddi.note:
        Console(stderr=True, highlight=False).print(f"[yellow]note:[/yellow] {dgddi.note}", soft_wrap=True)
    return dgddi.code


def _print_version(value: bool) -> None:
    """`comex --version`: the package, the export contract and the engines' versions."""
    if not value:
        return
    from importlib.metadata import version

    from orchestration.yaml_files import read_yaml

    contract = read_yaml(Path(__file__).parent / "exports" / "contract_v1.yml")
    typer.echo(
        f"comex-territoires {version('comex-territoires')} (export contract {contract['version']}; "
        f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}, duckdb {version('duckdb')}, "
        f"dagster {version('dagster')})"
    )
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the versions and exit."),
    ] = False,
) -> None:
    """French customs (DGDDI) départemental trade data → DuckDB marts → publisher exports."""


def _fail(message: str, detail: str | None, verbose: bool) -> None:
    from rich.markup import escape

    from orchestration.console import console

    if verbose and detail:
        console.print(detail, markup=False)
    console.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)
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
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Run the whole job even when no file is new and the dbt project is unchanged, and publish "
            "into an exports folder last produced from another warehouse.",
        ),
    ] = False,
    accept_revisions: Annotated[
        bool,
        typer.Option(
            "--accept-revisions",
            help="Publish new vintages even when they move France's total for a quarter by more than "
            "COMEX_MAX_NATIONAL_REVISION (5 %).",
        ),
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="What builds the dbt project: duckdb or spark (dbt-spark; a local Spark session, or a Thrift "
            "server with COMEX_SPARK_METHOD=thrift). Env COMEX_ENGINE; default duckdb.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Ingest new customs files, rebuild and test the marts, and publish the export tables.

    Runs the same Dagster job as the monthly schedule, in this process. The live warehouse and
    exports are replaced only if every step and blocking check passes. When every customs file
    is already ingested and the dbt project is unchanged since the last successful refresh, it
    says "nothing new" and stops at once (--force runs the job anyway).
    """
    paths = Paths.resolve(raw_dir, warehouse, exports_dir, sample=sample)
    if sample:
        from orchestration.sample.bundle import ensure_bundled_sample

        ensure_bundled_sample()  # generated once (make setup does it), deterministic
    engine = _check_refresh_inputs(paths, verbose, force=force, engine=engine)
    if not force and _nothing_new(paths, verbose, engine):
        return
    gc.disable()  # while Dagster and dbt are imported: their objects all live on (see _freeze_heap)
    from orchestration.quality import worker

    worker.start()  # Great Expectations imports in its own process while Dagster loads and ingests
    try:
        _run_refresh_job(paths, sample, verbose, accept_revisions=accept_revisions, engine=engine)
    except typer.Exit as exit_:
        _exit_without_teardown(exit_.exit_code)
    _exit_without_teardown(0)


def _run_refresh_job(
    paths: Paths, sample: bool, verbose: bool, *, accept_revisions: bool = False, engine: str = "duckdb"
) -> None:
    """The refresh job in this process, its quality summary, and its one-line outcome."""
    from orchestration.console import console
    from orchestration.dbt_project import prepare

    on = "" if engine == "duckdb" else f"  (engine: {engine})"
    console.print(f"[bold]comex refresh[/bold]  raw: {paths.raw_dir}  →  warehouse: {paths.warehouse}{on}")
    try:
        prepare()  # parses the dbt project only if it changed since the last parse
        from orchestration.runner import run_refresh

        _freeze_heap()
        outcome = run_refresh(paths, sample=sample, accept_revisions=accept_revisions, engine=engine)
    except Exception as exc:  # an unexpected failure outside any step: still one line
        _fail(f"refresh could not run: {type(exc).__name__}: {exc}", traceback.format_exc(), verbose)
    _record_in_dagster_home(paths)
    for line in outcome.quality_lines:
        console.print(line, markup=False)
    if not outcome.success:
        where = f" (step {outcome.failed_step})" if outcome.failed_step else ""
        _fail(f"refresh failed{where}: {outcome.error_message}", outcome.error_detail, verbose)
    console.print(
        f"[green]done[/green] in {outcome.seconds:.1f} s — warehouse {paths.warehouse}, exports in {paths.exports_dir}"
    )
    _print_next_steps(paths)


def _freeze_heap() -> None:
    """Leave the objects made so far (the imports, Dagster's definitions) out of every later
    collection, and turn the collector back on for the run.

    They live until the process ends (`_exit_without_teardown`); each full collection of the run
    would otherwise go through all of them again: collections took ~1.1 s of a sample refresh
    (7 full ones, 0.1–0.23 s each), ~0.2 s since. dbt's invocation keeps the heap frozen.
    """
    gc.freeze()
    gc.enable()


def _record_in_dagster_home(paths: Paths) -> None:
    """Add the run to the persistent Dagster instance (`make dagster`), in the background."""
    from orchestration.dagster_home import PENDING_DIR, dagster_home, import_in_background

    home = dagster_home(paths.warehouse)
    if (home / PENDING_DIR).is_dir():
        with contextlib.suppress(OSError):  # a full disk: the history waits for `make dagster`
            import_in_background(home)


def _print_next_steps(paths: Paths) -> None:
    """What to open after a refresh: the fiches, the run's status, the Dagster UI."""
    from rich.console import Console

    Console(stderr=True, highlight=False).print(
        "next: [bold]comex fiche --all[/bold] (one page per territory and an overview, in fiches/) · "
        "[bold]comex status[/bold] (what the warehouse holds, the last run) · "
        "[bold]make dagster[/bold] (the Dagster UI on http://localhost:3000)"
        + (f" · exports: {paths.exports_dir}/DICTIONARY.md" if (paths.exports_dir / "DICTIONARY.md").exists() else ""),
        soft_wrap=True,
    )


def _exit_without_teardown(code: int) -> NoReturn:
    """End the process now that the refresh is over, skipping the interpreter's teardown.

    That teardown (unloading Dagster, dbt, pandas…) took ~1.5 s after the last line was
    printed. By now the Dagster run has ended, every DuckDB connection is closed and the
    warehouse and exports are published (or left as they were).
    """
    import logging

    from orchestration.quality import worker

    worker.stop()  # waits for the worker to end (at once: it skips its own teardown); killing it would leak its locks
    if "orchestration.dbt_project" in sys.modules:
        sys.modules["orchestration.dbt_project"].forget_manifest()  # holds a dbt lock
    gc.collect()  # the worker's queues and dbt's locks: released now, not reported as leaked at exit
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _check_refresh_inputs(paths: Paths, verbose: bool, *, force: bool, engine: str | None = None) -> str:
    """A bad COMEX_* setting or engine (Spark without Java), an unreadable raw folder, exports of
    another warehouse: one line, before anything starts. Returns the engine of the refresh."""
    from orchestration.errors import ComexError
    from orchestration.preflight import check_refresh_inputs

    try:
        return check_refresh_inputs(paths, force=force, engine=engine)
    except ComexError as exc:
        _fail(str(exc), None, verbose)
        raise  # _fail exits


def _nothing_new(paths: Paths, verbose: bool, engine: str = "duckdb") -> bool:
    """The fast path: True (and says so) when a refresh would change nothing. No Dagster import."""
    from rich.console import Console

    from orchestration.freshness import check_freshness

    verdict = check_freshness(paths, engine)
    if verdict.error:
        _fail(verdict.error, None, verbose)
    if not verdict.up_to_date:
        Console(stderr=True, highlight=False).print(f"[dim]refreshing: {verdict.reason}[/dim]")
    else:
        Console(stderr=True, highlight=False).print(
            f"[green]nothing new[/green]: {verdict.reason} — warehouse {paths.warehouse} (--force rebuilds anyway)"
        )
        _print_next_steps(paths)
    return verdict.up_to_date


@app.command()
def prepare() -> None:
    """Parse the dbt project into target/comex/ (make setup does it; a refresh, when the project changed)."""
    from rich.console import Console

    from orchestration.dbt_project import MANIFEST_JSON, is_prepared
    from orchestration.dbt_project import prepare as prepare_manifest
    from orchestration.reference_template import build_template

    state = "unchanged" if is_prepared() else "parsed"
    prepare_manifest()
    err = Console(stderr=True, highlight=False)
    err.print(f"dbt project {state}: {MANIFEST_JSON}")
    said = build_template()
    if said:
        err.print(said)


@app.command()
def export(
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only this year.")] = None,
    level: Annotated[
        str | None, typer.Option("--level", "-l", help="Only this level: departement, region or france.")
    ] = None,
    territory: Annotated[
        str | None, typer.Option("--territory", "-t", help="Only this DGDDI code (88, 9A; région 13; FR).")
    ] = None,
    csv_dialect: Annotated[
        str, typer.Option("--csv-dialect", help="standard (',' and '.') or fr (';', decimal comma, UTF-8 BOM).")
    ] = "standard",
    headers: Annotated[
        str,
        typer.Option(
            "--headers",
            help="CSV headers: en (the contract's column names) or fr: also fr/<table>.csv under the contract's "
            "French headers (same rows, values and --csv-dialect; the contract files keep the column names).",
        ),
    ] = "en",
    packs: Annotated[
        bool, typer.Option("--packs", help="Also write exports/territories/<level>-<code>/ (CSV rows per territory).")
    ] = False,
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx", help="Also write comex-territoires.xlsx: a sheet per table, codes as text, French headers."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Publish into an exports folder last produced from another warehouse.")
    ] = False,
    raw_dir: RawDirOption = None,
    warehouse: WarehouseOption = None,
    exports_dir: ExportsDirOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Re-export the contract tables from the existing warehouse (read-only), without a refresh.

    Writes aside and swaps the whole set in atomically, with its manifest and data dictionary.
    A filtered export is partial: it goes to <exports-dir>/partial/<level>-<code>-<year>/, never
    over the published set, and its manifest says so. The ANCT Territoires d'industrie list
    is read from the raw folder (liste-ti-com*.csv) when present. --headers fr adds French-header
    copies of the CSVs in fr/ of the set (with a LISEZ-MOI.md); the manifest gives each CSV's headers.
    """
    from rich.console import Console

    from orchestration.errors import ComexError
    from orchestration.exports.dialects import dialect as csv_dialect_named
    from orchestration.exports.exporter import ExportOptions, reexport
    from orchestration.exports.headers import FRENCH_DIR, HEADER_LANGUAGES
    from orchestration.exports.manifest import produced_elsewhere
    from orchestration.exports.writer import LEVELS, PARTIAL_DIR, ExportFilters

    if level is not None and level not in LEVELS:
        _fail(f"--level must be one of {', '.join(LEVELS)} (got {level!r})", None, verbose)
    if headers not in HEADER_LANGUAGES:
        _fail(f"--headers must be one of {', '.join(HEADER_LANGUAGES)} (got {headers!r})", None, verbose)
    paths = Paths.resolve(raw_dir, warehouse, exports_dir)
    if territory is not None:
        territory = _dgddi_code(level or "departement", territory)
    filters = ExportFilters(year, level, territory)
    if filters.active:  # a partial export never replaces the published set: a folder of its own
        paths = Paths(paths.raw_dir, paths.warehouse, paths.exports_dir / PARTIAL_DIR / filters.folder_name())
    elif not force and (problem := produced_elsewhere(paths.exports_dir, paths.warehouse)):
        _fail(problem, None, verbose)
    try:
        options = ExportOptions(filters, csv_dialect_named(csv_dialect), packs, xlsx, headers)
        export_set, published = reexport(paths, options)
    except (ComexError, ValueError) as exc:
        _fail(f"export failed: {exc}", traceback.format_exc(), verbose)
    except Exception as exc:
        from orchestration.disk_space import explain_disk_full

        said = explain_disk_full(str(exc), [paths.exports_dir, paths.warehouse.parent])
        _fail(said or f"export failed: {type(exc).__name__}: {exc}", traceback.format_exc(), verbose)
    console = Console(stderr=True, highlight=False)
    rows = ", ".join(f"{f.table} {f.rows:,}" for f in export_set.files if f.format == "csv" and f.headers == "en")
    state = "unchanged" if published.unchanged else f"{len(published.moved)} file(s) replaced"
    where = f"partial export in {paths.exports_dir} (the published set is untouched)" if filters.active else ""
    console.print(f"[green]done[/green] {rows} — {state} in {paths.exports_dir}", soft_wrap=True)
    if where:
        console.print(where, soft_wrap=True, markup=False)
    if headers == "fr":
        french = paths.exports_dir / FRENCH_DIR
        console.print(
            f"French-header CSVs in {french}/ (the contract files keep the column names)", soft_wrap=True, markup=False
        )
    if not export_set.industry_present:
        console.print(f"[yellow]note:[/yellow] {export_set.manifest['industry_territories']['note']}")


@app.command()
def fetch(
    raw_dir: RawDirOption = None,
    sources: Annotated[
        Path | None,
        typer.Option("--sources", help="Sources file (env COMEX_SOURCES; default sources.toml).", show_default=False),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Download the files listed in sources.toml into the raw folder.

    All or nothing: a file is moved into place only when every download completed and checked
    (no HTML error page, no truncated body); a file whose content is unchanged is left alone.
    Each fetch is logged with its sha256 in <raw-dir>/.fetch-log.jsonl.
    """
    from rich.console import Console

    from orchestration.errors import ComexError
    from orchestration.fetch import fetch_all, load_sources, sources_file
    from orchestration.fetch.progress import RichReporter

    console = Console(stderr=True, highlight=False)
    paths = Paths.resolve(raw_dir)
    try:
        config = load_sources(sources_file(sources))
        console.print(f"[bold]comex fetch[/bold]  {config.path.name} ({len(config.sources)} sources) → {paths.raw_dir}")
        with RichReporter(console) as reporter:
            report = fetch_all(config, paths.raw_dir, reporter=reporter)
    except ComexError as exc:
        _fail(f"fetch failed: {exc}", traceback.format_exc(), verbose)
    except Exception as exc:
        from orchestration.disk_space import explain_disk_full

        said = explain_disk_full(str(exc), [paths.raw_dir])
        _fail(said or f"fetch failed: {type(exc).__name__}: {exc}", traceback.format_exc(), verbose)
    changed = report.changed
    console.print(
        f"[green]done[/green]: {len(changed)} new or updated ({', '.join(changed) or 'none'}), "
        f"{len(report.files('unchanged'))} unchanged"
    )


@app.command()
def status(
    warehouse: WarehouseOption = None,
    top: Annotated[int, typer.Option("--top", help="How many of the largest revisions to list.")] = 10,
) -> None:
    """What the warehouse holds: vintages, periods per flow (partial years), last refresh, last revisions."""
    from rich.console import Console

    from orchestration.status import render

    paths = Paths.resolve(warehouse=warehouse)
    if not render(Console(highlight=False), paths.warehouse, top=top):
        raise typer.Exit(code=1)


@app.command()
def fiche(
    territory: Annotated[
        str | None, typer.Option("--territory", "-t", help="DGDDI code: département 88, 9A; région 13.")
    ] = None,
    level: Annotated[str, typer.Option("--level", "-l", help="departement, region or france.")] = "departement",
    all_territories: Annotated[
        bool, typer.Option("--all", help="Every département, région and France, plus an index page.")
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Year of data (default: the latest in the exports).")
    ] = None,
    exports_dir: ExportsDirOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default fiches/).", show_default=False)
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print each page to PDF with headless Chromium (slow with --all).")
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Render fiches (offline HTML pages with charts) from the export tables only.

    Pages land in <out>/<year>/<level>-<code>.html with shared assets in <out>/assets/.
    """
    from orchestration.console import console
    from orchestration.fiches.build import FicheRequestError, build_fiches
    from orchestration.fiches.data import ExportsMissingError
    from orchestration.fiches.render import DEFAULT_FICHES_DIR

    if all_territories and territory:
        _fail(f"--territory {territory} and --all exclude each other: give one of them", None, verbose)
    if territory is not None:
        territory = _dgddi_code(level, territory)
    paths = Paths.resolve(exports_dir=exports_dir)
    out_dir = out.expanduser().resolve() if out else DEFAULT_FICHES_DIR
    try:
        result = build_fiches(
            paths.exports_dir, out_dir, year=year, level=level, territory=territory, all_territories=all_territories
        )
    except (FicheRequestError, ExportsMissingError) as exc:
        _fail(str(exc), None, verbose)
    except Exception as exc:
        _fail(f"fiche rendering failed: {type(exc).__name__}: {exc}", traceback.format_exc(), verbose)
    where = result.index if all_territories else f"{result.pages[0].path} (index: {result.index})"
    if pdf:
        from orchestration.fiches.browser import BrowserNotFoundError, print_pdf

        try:
            for page in result.pages:
                run = print_pdf(page.path.as_uri(), page.path.with_suffix(".pdf"))
                if run.returncode != 0:
                    _fail(f"PDF printing failed for {page.path}", run.stderr[-2000:], verbose)
        except BrowserNotFoundError as exc:
            _fail(str(exc), None, verbose)
    console.print(
        f"[green]done[/green] {len(result.pages)} fiche(s) for {result.year} in {result.seconds:.1f} s — {where}"
    )


def main() -> None:
    """Entry point of the `comex` script."""
    app()


if __name__ == "__main__":
    main()
