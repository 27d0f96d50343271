"""Find a file's current download link on an HTML page (sources with `page` and `link`)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urldefrag, urljoin, urlsplit

from orchestration.fetch.config import LinkSource, Source, is_plain_file_name, kind_for
from orchestration.fetch.http import FetchError, Page

#: The query parameter naming the file in a download script's link (Le Kiosque: `transfert_file.asp?id=7&f=X.zip`).
_FILE_NAME_PARAMETER = "f"
#: A last path segment with these suffixes names a script, not the file it serves.
_SCRIPT_SUFFIXES = (".asp", ".aspx", ".php", ".jsp", ".cgi")


class _Anchors(HTMLParser):
    """Collects the `href` of every `<a>`, and the `<base href>` if any (entities already unescaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if href is None or not href.strip():
            return
        if tag == "a":
            self.hrefs.append(href.strip())
        elif tag == "base" and self.base is None:
            self.base = href.strip()


def page_links(page: Page) -> list[str]:
    """The distinct absolute http(s) link targets of the page, in page order, without #fragments."""
    parser = _Anchors()
    parser.feed(page.text)
    parser.close()
    base = urljoin(page.url, parser.base) if parser.base else page.url
    links: dict[str, None] = {}
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href)).url
        if urlsplit(url).scheme in ("http", "https"):
            links.setdefault(url, None)
    return list(links)


def file_name_from_url(url: str) -> str | None:
    """The file name a link carries: its `f=` query parameter, else its last path segment (not a script's)."""
    parts = urlsplit(url)
    if values := parse_qs(parts.query).get(_FILE_NAME_PARAMETER):
        return PurePosixPath(values[0].replace("\\", "/")).name or None
    name = PurePosixPath(unquote(parts.path)).name
    return None if not name or name.lower().endswith(_SCRIPT_SUFFIXES) else name


def resolve(source: LinkSource, page: Page) -> list[Source]:
    """The downloads `source` stands for today: the one link of `page` its pattern matches, or
    with `every`, each of them (a file per link, named by its link)."""
    links = page_links(page)
    matches = [url for url in links if source.link.search(url)]
    pattern = source.link.pattern
    if not matches:
        reason = f"no link on the page matches '{pattern}' (links on the page: {len(links)})"
        raise FetchError(source.name, source.page, reason, retryable=False)
    if len(matches) > 1 and not source.every:
        reason = f"{len(matches)} different links match '{pattern}': {', '.join(matches)}"
        raise FetchError(source.name, source.page, reason, retryable=False)
    resolved = []
    for url in matches:
        file_name = source.file or file_name_from_url(url)
        if not file_name or not is_plain_file_name(file_name):
            fix = "make the pattern match file links only" if source.every else "set file for this source"
            reason = f"cannot tell a file name from the matched link {url}: {fix}"
            raise FetchError(source.name, source.page, reason, retryable=False)
        name = f"{source.name}/{file_name}" if source.every else source.name
        kind = source.kind or kind_for(file_name)
        resolved.append(Source(name, url, file_name, kind, source.description, page=source.page))
    return resolved
