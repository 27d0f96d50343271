"""`comex fetch` against a real HTTP server on loopback (never the internet)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from orchestration.errors import ComexError
from orchestration.fetch import FetchError, fetch_all, load_sources, sources_file
from orchestration.fetch.config import FetchSettings, Kind, LinkSource, Source, SourcesConfig
from orchestration.fetch.http import Page
from orchestration.fetch.links import resolve
from orchestration.fetch.log import FETCH_LOG_NAME
from orchestration.fetch.runner import STAGING_DIR_NAME
from orchestration.ingestion.names import Packaging, hint, read_elsewhere
from tests.helpers import comex_fetch, zip_bytes
from tests.unit.loopback import Server, send, status


def _zip_bytes(text: str) -> bytes:
    return zip_bytes("Regional-2024-export/Region_2024_Export.txt", text)


ZIP_BODY = _zip_bytes("E;1;2024;88;13;C20A;2011;DE;1000;20\r\n")
HTML_PAGE = b"<!DOCTYPE html><html><body>Maintenance en cours</body></html>"
KIOSQUE_PAGE = "https://lekiosque.finances.gouv.fr/site_fr/telechargement/telechargement_SGBD.asp"


def truncated(req: BaseHTTPRequestHandler) -> None:
    req.send_response(200)
    req.send_header("Content-Type", "application/zip")
    req.send_header("Content-Length", str(len(ZIP_BODY) * 10))
    req.end_headers()
    req.wfile.write(ZIP_BODY)
    req.wfile.flush()
    req.close_connection = True


def config(server: Server, *entries: tuple[str, str, Kind], retries: int = 0, timeout: float = 5.0) -> SourcesConfig:
    sources = tuple(Source(name=f.split(".")[0], url=server.url(p), file=f, kind=k) for p, f, k in entries)
    return SourcesConfig(Path("sources.toml"), FetchSettings(timeout, retries, 0.01), sources)


def state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones included, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fetch_writes_files_logs_sha256_and_leaves_unchanged_files_alone(server: Server, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rows = b"E;1;2024;88;13;C20A;2011;DE;1000;20\r\n"
    server.routes["/annual.zip"] = send(ZIP_BODY, content_type="application/zip", etag='"v1"')
    server.routes["/last.txt"] = send(rows, content_type="text/plain")
    cfg = config(
        server,
        ("/annual.zip", "Regional-2024-export.zip", Kind.ZIP),
        ("/last.txt", "REGIONAL_CPF4PAYSE.txt", Kind.TEXT),
    )

    first = fetch_all(cfg, raw)
    assert [r.status for r in first.records] == ["new", "new"]
    assert (raw / "Regional-2024-export.zip").read_bytes() == ZIP_BODY
    assert (raw / "REGIONAL_CPF4PAYSE.txt").read_bytes() == rows
    log = [json.loads(line) for line in (raw / FETCH_LOG_NAME).read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["sha256"], e["size"]) for e in log] == [
        ("Regional-2024-export.zip", hashlib.sha256(ZIP_BODY).hexdigest(), len(ZIP_BODY)),
        ("REGIONAL_CPF4PAYSE.txt", hashlib.sha256(rows).hexdigest(), len(rows)),
    ]
    assert not (raw / STAGING_DIR_NAME).exists()

    mtime = (raw / "REGIONAL_CPF4PAYSE.txt").stat().st_mtime_ns
    second = fetch_all(cfg, raw)
    assert [r.status for r in second.records] == ["unchanged", "unchanged"]
    assert server.hits["/annual.zip"] == 2  # the second request was answered 304 Not Modified
    assert (raw / "REGIONAL_CPF4PAYSE.txt").stat().st_mtime_ns == mtime  # same content: not replaced

    server.routes["/last.txt"] = send(rows * 2, content_type="text/plain")
    third = fetch_all(cfg, raw)
    assert [r.status for r in third.records] == ["unchanged", "updated"]
    assert (raw / "REGIONAL_CPF4PAYSE.txt").read_bytes() == rows * 2
    assert len((raw / FETCH_LOG_NAME).read_text(encoding="utf-8").splitlines()) == 6


@pytest.mark.parametrize(
    ("route", "kind", "message"),
    [
        (send(HTML_PAGE, content_type="text/html; charset=utf-8"), Kind.ZIP, "sent an HTML page (text/html"),
        (send(HTML_PAGE, content_type="application/octet-stream"), Kind.TEXT, "sent an HTML page, not the data file"),
        (send(b"PK but not a zip", content_type="application/zip"), Kind.ZIP, "not a zip archive"),
        (status(404), Kind.ZIP, "HTTP 404 Not Found"),
        (truncated, Kind.ZIP, "truncated download"),
        (status(500), Kind.ZIP, "HTTP 500 Internal Server Error after 3 attempts"),
    ],
    ids=["html-content-type", "html-body", "not-a-zip", "404", "truncated", "server-error"],
)
def test_a_bad_download_is_one_line_and_leaves_the_raw_dir_as_it_was(
    server: Server, tmp_path: Path, route: Callable, kind: Kind, message: str
) -> None:
    raw = tmp_path / "raw"
    server.routes["/good.zip"] = send(ZIP_BODY, content_type="application/zip")
    good = config(server, ("/good.zip", "Regional-2023-export.zip", Kind.ZIP))
    fetch_all(good, raw)
    before = state(raw)

    server.routes["/good.zip"] = send(_zip_bytes("new content"), content_type="application/zip")
    server.routes["/bad"] = route
    cfg = config(
        server, ("/good.zip", "Regional-2023-export.zip", Kind.ZIP), ("/bad", "REGIONAL_CPF4PAYSE.zip", kind), retries=2
    )
    with pytest.raises(FetchError) as caught:
        fetch_all(cfg, raw)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith("REGIONAL_CPF4PAYSE.zip: ") and message in text and server.url("/bad") in text
    assert state(raw) == before  # the good file was not moved in either: all or nothing


def test_transient_errors_are_retried_with_backoff(server: Server, tmp_path: Path) -> None:
    failures = iter([503, 503])

    def flaky(req: BaseHTTPRequestHandler) -> None:
        code = next(failures, None)
        if code:
            req.send_error(code)
        else:
            send(ZIP_BODY, content_type="application/zip")(req)

    server.routes["/flaky.zip"] = flaky
    waits: list[float] = []
    cfg = config(server, ("/flaky.zip", "Regional-2024-import.zip", Kind.ZIP), retries=3)
    report = fetch_all(cfg, tmp_path, sleep=waits.append)
    assert report.changed == ["Regional-2024-import.zip"]
    assert waits == [0.01, 0.02]
    assert server.hits["/flaky.zip"] == 3


def test_a_silent_server_times_out(server: Server, tmp_path: Path) -> None:
    def silent(req: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)
        send(ZIP_BODY)(req)

    server.routes["/slow.zip"] = silent
    cfg = config(server, ("/slow.zip", "Regional-2024-import.zip", Kind.ZIP), timeout=0.3)
    with pytest.raises(FetchError, match="timed out"):
        fetch_all(cfg, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_project_sources_file_finds_each_dgddi_file_under_a_name_the_ingestion_knows() -> None:
    cfg = load_sources(sources_file())
    assert not [s.name for s in cfg.sources if s.is_placeholder]
    assert all(s.description for s in cfg.sources)
    by_name = {s.name: s for s in cfg.sources}
    anct = by_name.pop("anct-territoires-industrie-communes")
    assert isinstance(anct, Source) and anct.url.startswith("https://static.data.gouv.fr/resources/")
    assert read_elsewhere(anct.file)  # kept as received, read by the exports, not by ingestion
    assert all(isinstance(s, LinkSource) and s.page == KIOSQUE_PAGE for s in by_name.values())

    # a stand-in for Le Kiosque's page (not the real one: this machine is offline), links shaped as
    # described: dated douane.gouv.fr paths and transfert_file.asp?f= downloads, `&amp;` included
    files = "https://www.douane.gouv.fr/sites/default/files/2025-06/05"
    page = Page(
        KIOSQUE_PAGE,
        "".join(
            f'<a href="{href}">x</a>'
            for href in [
                *(f"{files}/Regional-{y}-{f}.zip" for y in (2023, 2024) for f in ("export", "import")),
                f"{files}/REGIONAL_CPF4PAYSE.zip",
                "transfert_file.asp?id=9&amp;f=REGIONAL_CPF4PAYSI.txt",
                "transfert_file.asp?id=7&amp;f=Table_correspondances.zip",
            ]
        ),
    )
    found = [found for s in by_name.values() if isinstance(s, LinkSource) for found in resolve(s, page)]
    assert {f.name: (f.file, hint(f.file).packaging, hint(f.file).flux) for f in found} == {
        "dgddi-annual/Regional-2023-export.zip": ("Regional-2023-export.zip", Packaging.ANNUAL, "E"),
        "dgddi-annual/Regional-2023-import.zip": ("Regional-2023-import.zip", Packaging.ANNUAL, "I"),
        "dgddi-annual/Regional-2024-export.zip": ("Regional-2024-export.zip", Packaging.ANNUAL, "E"),
        "dgddi-annual/Regional-2024-import.zip": ("Regional-2024-import.zip", Packaging.ANNUAL, "I"),
        "dgddi-last-publication-export": ("REGIONAL_CPF4PAYSE.zip", Packaging.LAST_PUBLICATION, "E"),
        "dgddi-last-publication-import": ("REGIONAL_CPF4PAYSI.txt", Packaging.LAST_PUBLICATION, "I"),
    }
    assert not [s.name for s in by_name.values() if re.search(r"\d{4}", s.name)]  # no year written in the file


def test_placeholder_urls_are_refused(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "mine"\nurl = "https://EDIT-ME.invalid/dgddi/Regional-2025-export.zip"\n'
        'file = "Regional-2025-export.zip"\n',
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    with pytest.raises(ComexError, match=r"placeholder URL for Regional-2025-export\.zip"):
        fetch_all(load_sources(sources), raw)
    assert not raw.exists()


def test_comex_fetch_cli_reports_one_clear_line(server: Server, tmp_path: Path) -> None:
    server.routes["/ti.csv"] = send(
        b"insee_com,lib_com,id_ti,lib_ti\r\n88160,Epinal,TI1,Epinal\r\n", content_type="text/csv"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[settings]\nretries = 0\n\n"
        f'[[source]]\nname = "ti"\nurl = "{server.url("/ti.csv")}"\nfile = "liste-ti-com2023-20240704.csv"\n'
        'kind = "csv"\n\n'
        f'[[source]]\nname = "gone"\nurl = "{server.url("/gone.zip")}"\nfile = "Regional-2022-export.zip"\n',
        encoding="utf-8",
    )
    failed, errors = comex_fetch(sources, tmp_path / "raw")
    assert failed.returncode == 1
    assert errors == [
        f"error: fetch failed: Regional-2022-export.zip: HTTP 404 Not Found ({server.url('/gone.zip')})"
    ], failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "raw" / "liste-ti-com2023-20240704.csv").exists()

    sources.write_text(sources.read_text(encoding="utf-8").split('[[source]]\nname = "gone"')[0], encoding="utf-8")
    ok, _ = comex_fetch(sources, tmp_path / "raw")
    assert ok.returncode == 0, ok.stderr
    assert "1 new or updated (liste-ti-com2023-20240704.csv)" in ok.stderr
    assert (tmp_path / "raw" / "liste-ti-com2023-20240704.csv").read_bytes().startswith(b"insee_com,")


def test_fetched_files_asset_fetches_inside_a_dagster_run(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster import materialize

    from orchestration.assets.fetch import fetched_files
    from orchestration.resources import ComexResource

    server.routes["/annual.zip"] = send(ZIP_BODY, content_type="application/zip")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "annual"\nurl = "{server.url("/annual.zip")}"\nfile = "Regional-2024-export.zip"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("COMEX_SOURCES", str(sources))
    comex = ComexResource(
        raw_dir=str(tmp_path / "raw"), warehouse=str(tmp_path / "w" / "comex.duckdb"), exports_dir=str(tmp_path / "e")
    )
    result = materialize([fetched_files], resources={"comex": comex})
    assert result.success
    assert (tmp_path / "raw" / "Regional-2024-export.zip").read_bytes() == ZIP_BODY
    metadata = result.asset_materializations_for_node("fetched_files")[0].metadata
    assert metadata["changed_files"].value == 1
