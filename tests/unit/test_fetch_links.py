"""Sources found on a download page (`page` + `link`), against a real HTTP server on loopback."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from orchestration.errors import ComexError
from orchestration.fetch import FetchError, fetch_all, load_sources
from orchestration.fetch.config import FetchSettings, Kind, LinkSource, Source, SourcesConfig
from orchestration.fetch.http import Page
from orchestration.fetch.links import file_name_from_url, page_links
from orchestration.fetch.log import FETCH_LOG_NAME
from tests.helpers import comex_fetch, zip_bytes
from tests.unit.loopback import Server, send, status

PAGE_PATH = "/site_fr/telechargement/telechargement_SGBD.asp"
ROWS = b"E;1;2024;88;13;C20A;2011;DE;1000;20\r\n"


def _zip_bytes(text: str) -> bytes:
    return zip_bytes("REGIONAL_CPF4PAYSE.txt", text)


ZIP_BODY = _zip_bytes(ROWS.decode())


def html(*hrefs: str) -> bytes:
    """A download page: each href as written in the HTML (entities included), plus noise."""
    anchors = "\n".join(f'<li><a class="dl" href="{href}">Télécharger</a></li>' for href in hrefs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Téléchargement</title></head><body>'
        '<a href="/">Accueil</a> <a href="mailto:contact@example.org">Contact</a> <a href="#top">Haut</a>'
        f"<ul>{anchors}</ul></body></html>"
    ).encode()


def link_source(name: str, pattern: str, server: Server, **fields: object) -> LinkSource:
    return LinkSource(name=name, page=server.url(PAGE_PATH), link=re.compile(pattern, re.IGNORECASE), **fields)


def config(*sources: Source | LinkSource, retries: int = 0) -> SourcesConfig:
    return SourcesConfig(Path("sources.toml"), FetchSettings(5.0, retries, 0.01), sources)


def state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def log_lines(raw: Path) -> list[dict]:
    return [json.loads(line) for line in (raw / FETCH_LOG_NAME).read_text(encoding="utf-8").splitlines()]


def test_links_are_found_on_the_page_read_once_and_logged_with_their_url(server: Server, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    annual = "/site_fr/telechargement/transfert_file.asp?id=7&f=Regional-2024-export.zip"
    last = "/sites/default/files/2025-05/06/REGIONAL_CPF4PAYSE.zip"
    server.routes[PAGE_PATH] = send(
        html("transfert_file.asp?id=7&amp;f=Regional-2024-export.zip", f"../..{last}", "../../docs/notice.pdf"),
        content_type="text/html; charset=utf-8",
    )
    server.routes[annual] = send(ZIP_BODY, content_type="application/zip")
    server.routes[last] = send(ZIP_BODY, content_type="application/zip", etag='"v1"')
    server.routes["/ti.csv"] = send(b"insee_com,lib_com\r\n88160,Epinal\r\n", content_type="text/csv")
    cfg = config(
        link_source("annual", r"Regional-2024-export\.zip", server),  # file named by the f= parameter
        link_source("last", r"REGIONAL_CPF4PAYSE\.(zip|txt)", server),  # by the last path segment
        Source("ti", server.url("/ti.csv"), "liste-ti-com2023-20240704.csv", Kind.CSV),
    )

    report = fetch_all(cfg, raw)
    assert report.changed == ["Regional-2024-export.zip", "REGIONAL_CPF4PAYSE.zip", "liste-ti-com2023-20240704.csv"]
    assert server.hits[PAGE_PATH] == 1  # one page, two sources
    assert server.hits[annual] == 1  # `&amp;` was unescaped: the exact query string was requested
    assert (raw / "REGIONAL_CPF4PAYSE.zip").read_bytes() == ZIP_BODY
    logged = {e["file"]: e for e in log_lines(raw)}
    assert logged["Regional-2024-export.zip"]["url"] == server.url(annual)
    assert logged["REGIONAL_CPF4PAYSE.zip"]["url"] == server.url(last)
    assert logged["REGIONAL_CPF4PAYSE.zip"]["page"] == server.url(PAGE_PATH)
    assert logged["liste-ti-com2023-20240704.csv"]["page"] is None

    # next publication: a new address, a new body (same ETag by chance: no conditional GET across urls)
    moved = "/sites/default/files/2025-06/05/REGIONAL_CPF4PAYSE.zip"
    server.routes[PAGE_PATH] = send(html(moved, annual), content_type="text/html")
    server.routes[moved] = send(_zip_bytes("revised"), content_type="application/zip", etag='"v1"')
    second = fetch_all(cfg, raw)
    assert [(r.file, r.status) for r in second.records] == [
        ("Regional-2024-export.zip", "unchanged"),
        ("REGIONAL_CPF4PAYSE.zip", "updated"),
        ("liste-ti-com2023-20240704.csv", "unchanged"),
    ]
    assert (raw / "REGIONAL_CPF4PAYSE.zip").read_bytes() == _zip_bytes("revised")
    assert log_lines(raw)[-2]["url"] == server.url(moved)


@pytest.mark.parametrize(
    ("published", "body", "expected_kind"),
    [("REGIONAL_CPF4PAYSE.zip", ZIP_BODY, "zip"), ("REGIONAL_CPF4PAYSE.txt", ROWS, "text")],
)
def test_without_file_the_name_and_kind_follow_the_matched_link(
    server: Server, tmp_path: Path, published: str, body: bytes, expected_kind: str
) -> None:
    server.routes[PAGE_PATH] = send(html(f"/files/{published}"), content_type="text/html")
    server.routes[f"/files/{published}"] = send(body, content_type="application/octet-stream")
    report = fetch_all(config(link_source("last", r"REGIONAL_CPF4PAYSE\.(zip|txt)", server)), tmp_path)
    assert report.changed == [published]
    assert (tmp_path / published).read_bytes() == body
    if expected_kind == "zip":  # a .txt body under a .zip link would have been refused
        server.routes[f"/files/{published}"] = send(ROWS)
        with pytest.raises(FetchError, match="not a zip archive"):
            fetch_all(config(link_source("last", r"REGIONAL_CPF4PAYSE\.(zip|txt)", server)), tmp_path)


def test_every_annual_file_on_the_page_is_found_by_pattern_a_new_year_included(server: Server, tmp_path: Path) -> None:
    """`every = true`: each link the pattern matches is a file, named by its link; in January the
    page lists one more year and the same sources file fetches it."""
    raw = tmp_path / "raw"
    names = [f"Regional-{year}-{flow}" for year in (2023, 2024) for flow in ("export", "import")]
    annual = {f"{name}.zip": zip_bytes(f"{name}/R.txt", name) for name in names}
    for name, body in annual.items():
        server.routes[f"/files/{name}"] = send(body, content_type="application/zip")
    links = [f"/files/{name}" for name in annual] + ["/files/REGIONAL_CPF4PAYSE.zip", "/docs/Regional-notice.pdf"]
    server.routes[PAGE_PATH] = send(html(*links), content_type="text/html")
    cfg = config(link_source("dgddi-annual", r"Regional-\d{4}-(export|import)\.zip", server, every=True, kind=Kind.ZIP))

    report = fetch_all(cfg, raw)
    assert sorted(report.changed) == sorted(annual)
    assert state(raw) == {**annual, FETCH_LOG_NAME: (raw / FETCH_LOG_NAME).read_bytes()}
    assert {e["source"] for e in log_lines(raw)} == {f"dgddi-annual/{name}" for name in annual}

    annual["Regional-2025-export.zip"] = zip_bytes("Regional-2025-export/R.txt", "2025 export")
    server.routes["/files/Regional-2025-export.zip"] = send(annual["Regional-2025-export.zip"])
    server.routes[PAGE_PATH] = send(html(*links, "/files/Regional-2025-export.zip"), content_type="text/html")
    second = fetch_all(cfg, raw)
    assert second.changed == ["Regional-2025-export.zip"]
    assert (raw / "Regional-2025-export.zip").read_bytes() == annual["Regional-2025-export.zip"]


def test_every_with_a_fixed_file_name_is_refused(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "annual"\npage = "https://example.org/p"\nlink = \'Regional-\\d{4}\'\n'
        'every = true\nfile = "Regional-2024-export.zip"\n',
        encoding="utf-8",
    )
    with pytest.raises(ComexError, match=r"with every = true each matched link names its own file: remove file"):
        load_sources(sources)


def test_no_matching_link_is_one_line_naming_source_page_and_pattern(server: Server, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    server.routes["/good.zip"] = send(ZIP_BODY, content_type="application/zip")
    good = Source("good", server.url("/good.zip"), "Regional-2023-export.zip", Kind.ZIP)
    fetch_all(config(good), raw)
    before = state(raw)

    server.routes[PAGE_PATH] = send(html("/files/Regional-2023-export.zip"), content_type="text/html")
    cfg = config(good, link_source("dgddi-last-export", r"REGIONAL_CPF4PAYSE\.(zip|txt)", server))
    with pytest.raises(FetchError) as caught:
        fetch_all(cfg, raw)
    assert str(caught.value) == (
        r"dgddi-last-export: no link on the page matches 'REGIONAL_CPF4PAYSE\.(zip|txt)' (links on the page: 3) "
        f"({server.url(PAGE_PATH)})"
    )
    assert state(raw) == before
    assert server.hits["/good.zip"] == 1  # nothing downloaded once a link is missing


def test_several_different_matching_links_are_ambiguous(server: Server, tmp_path: Path) -> None:
    server.routes[PAGE_PATH] = send(
        html("/a/REGIONAL_CPF4PAYSE.zip", "/a/REGIONAL_CPF4PAYSE.zip#dl", "/b/REGIONAL_CPF4PAYSE.txt"),
        content_type="text/html",
    )
    with pytest.raises(FetchError) as caught:
        fetch_all(config(link_source("last", r"REGIONAL_CPF4PAYSE\.(zip|txt)", server)), tmp_path)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(r"last: 2 different links match 'REGIONAL_CPF4PAYSE\.(zip|txt)': ")
    assert server.url("/a/REGIONAL_CPF4PAYSE.zip") in text and server.url("/b/REGIONAL_CPF4PAYSE.txt") in text
    assert list(tmp_path.iterdir()) == []

    # the same target twice (icon and text link, a #fragment) is one link, not an ambiguity
    server.routes[PAGE_PATH] = send(html("/a/x.zip", "/a/x.zip#dl"), content_type="text/html")
    server.routes["/a/x.zip"] = send(ZIP_BODY)
    assert fetch_all(config(link_source("x", r"x\.zip", server)), tmp_path).changed == ["x.zip"]


@pytest.mark.parametrize(
    ("code", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error after 3 attempts")]
)
def test_an_unreachable_page_is_one_line_and_leaves_the_raw_dir_alone(
    server: Server, tmp_path: Path, code: int, message: str
) -> None:
    server.routes[PAGE_PATH] = status(code)
    cfg = config(
        link_source("export", r"export\.zip", server), link_source("import", r"import\.zip", server), retries=2
    )
    with pytest.raises(FetchError) as caught:
        fetch_all(cfg, tmp_path, sleep=lambda _: None)
    assert str(caught.value) == f"link page of export, import: {message} ({server.url(PAGE_PATH)})"
    assert server.hits[PAGE_PATH] == (1 if code == 404 else 3)
    assert list(tmp_path.iterdir()) == []


def test_two_sources_resolving_to_one_file_are_refused(server: Server, tmp_path: Path) -> None:
    server.routes[PAGE_PATH] = send(html("/2025/data.zip"), content_type="text/html")
    cfg = config(link_source("a", r"data\.zip", server), link_source("b", r"/2025/", server))
    with pytest.raises(ComexError, match=r"several sources resolve to the same file: data\.zip"):
        fetch_all(cfg, tmp_path)


def test_a_link_without_a_file_name_asks_for_file(server: Server, tmp_path: Path) -> None:
    server.routes[PAGE_PATH] = send(html("/download.asp?id=12"), content_type="text/html")
    with pytest.raises(FetchError, match=r"cannot tell a file name from the matched link .*: set file"):
        fetch_all(config(link_source("x", r"id=12", server)), tmp_path)
    server.routes["/download.asp?id=12"] = send(ZIP_BODY)
    named = link_source("x", r"id=12", server, file="REGIONAL_CPF4PAYSE.zip", kind=Kind.ZIP)
    assert fetch_all(config(named), tmp_path).changed == ["REGIONAL_CPF4PAYSE.zip"]


def test_page_links_are_absolute_unescaped_and_honour_base() -> None:
    page = Page(
        "https://example.org/site/page.asp",
        '<a href="a.zip">a</a><a href=" /b.zip ">b</a><A HREF="get.asp?id=1&amp;f=c.zip">c</A>'
        '<a href="javascript:void(0)">d</a><a>no href</a><a href="https://cdn.example.org/d.zip#x">e</a>',
    )
    assert page_links(page) == [
        "https://example.org/site/a.zip",
        "https://example.org/b.zip",
        "https://example.org/site/get.asp?id=1&f=c.zip",
        "https://cdn.example.org/d.zip",
    ]
    based = Page("https://example.org/site/page.asp", '<base href="/files/"><a href="a.zip">a</a>')
    assert page_links(based) == ["https://example.org/files/a.zip"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://lekiosque.finances.gouv.fr/site_fr/telechargement/transfert_file.asp?id=7&f=Table.zip", "Table.zip"),
        ("https://www.douane.gouv.fr/sites/default/files/2025-06/05/REGIONAL_CPF4PAYSE.zip", "REGIONAL_CPF4PAYSE.zip"),
        ("https://example.org/files/Regional%202024.zip?v=3", "Regional 2024.zip"),
        ("https://example.org/download.asp?id=7", None),
        ("https://example.org/", None),
    ],
)
def test_file_name_from_url(url: str, name: str | None) -> None:
    assert file_name_from_url(url) == name


def _sources_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_sources_file_accepts_page_and_link(tmp_path: Path) -> None:
    cfg = load_sources(
        _sources_file(
            tmp_path,
            textwrap.dedent(r"""
            [[source]]
            name = "last"
            page = "https://example.org/dl.asp"
            link = 'REGIONAL_CPF4PAYSE\.(zip|txt)'

            [[source]]
            name = "annual"
            page = "https://example.org/dl.asp"
            link = 'Regional-2024-export\.zip'
            file = "Regional-2024-export.zip"
            """),
        )
    )
    last, annual = cfg.sources
    assert isinstance(last, LinkSource) and isinstance(annual, LinkSource)
    assert (last.file, last.kind, last.link.pattern) == (None, None, r"REGIONAL_CPF4PAYSE\.(zip|txt)")
    assert last.link.search("https://x/regional_cpf4payse.ZIP")  # case-insensitive
    assert (annual.file, annual.kind) == ("Regional-2024-export.zip", Kind.ZIP)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('url = "https://example.org/a.zip"\nfile = "a.zip"\npage = "https://example.org/"\nlink = "a"', "not both"),
        ('page = "https://example.org/"', "page and link go together, missing link"),
        ('link = "a"', "page and link go together, missing page"),
        ('file = "a.zip"', "missing url (or page and link"),
        ('url = "https://example.org/a.zip"', "missing file"),
        ("page = \"https://example.org/\"\nlink = '(x'", "link '(x' is not a valid regular expression: missing )"),
        ('page = "ftp://example.org/"\nlink = "a"', "page must be http(s)"),
        ('page = "https://example.org/"\nlink = "a"\nfile = "../a.zip"', "file must be a plain file name"),
        ('page = "https://example.org/"\nlink = "a"\nkind = "pdf"', "kind must be one of"),
    ],
    ids=["url-and-page", "no-link", "no-page", "nothing", "url-without-file", "bad-regex", "ftp", "path", "kind"],
)
def test_sources_file_mistakes_are_one_line_naming_the_source(tmp_path: Path, fields: str, message: str) -> None:
    path = _sources_file(tmp_path, f'[[source]]\nname = "dgddi-x"\n{fields}\n')
    with pytest.raises(ComexError) as caught:
        load_sources(path)
    text = str(caught.value)
    assert text.startswith("sources.toml, [[source]] #1 (dgddi-x): ") and message in text and "\n" not in text


def test_comex_fetch_cli_reports_a_missing_link_in_one_line(server: Server, tmp_path: Path) -> None:
    server.routes[PAGE_PATH] = send(html("/files/other.zip"), content_type="text/html")
    sources = _sources_file(
        tmp_path,
        f'[settings]\nretries = 0\n\n[[source]]\nname = "last"\npage = "{server.url(PAGE_PATH)}"\n'
        "link = 'REGIONAL_CPF4PAYS[e]\\.zip'\n",
    )
    failed, errors = comex_fetch(sources, tmp_path / "raw")
    assert failed.returncode == 1
    assert errors == [
        r"error: fetch failed: last: no link on the page matches 'REGIONAL_CPF4PAYS[e]\.zip' (links on the page: 3) "
        f"({server.url(PAGE_PATH)})"
    ], failed.stderr
    assert not (tmp_path / "raw").exists()


def test_a_placeholder_page_is_refused_before_any_request(tmp_path: Path) -> None:
    placeholder = LinkSource("dgddi-x", "https://EDIT-ME.invalid/telechargement.asp", re.compile("x"))
    with pytest.raises(ComexError, match="placeholder URL for dgddi-x: edit the url or page"):
        fetch_all(config(placeholder), tmp_path)
    assert list(tmp_path.iterdir()) == []
