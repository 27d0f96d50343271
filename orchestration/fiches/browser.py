"""Headless Chromium (Debian's `chromium`, no browser download): dump a page's DOM, screenshot it, print to PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
QUIET_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)
CONSOLE_LINE = re.compile(r":CONSOLE[^\]]*\]\s*(.*)")
# fiche.css prints on A4 (`@page`) at `zoom: 0.7`, without the screen's side gutters (main's and
# the sections' paddings): laid out at the window below, the page is as wide as it prints.
A4_WIDTH_MM = 210
PRINT_MARGIN_MM = 12
PRINT_ZOOM = 0.7
SCREEN_GUTTERS_PX = 96
CSS_PX_PER_MM = 96 / 25.4


class BrowserNotFoundError(RuntimeError):
    """No Chromium on this machine (`make browser` installs Debian's package)."""


@dataclass(frozen=True)
class BrowserRun:
    """What one headless run gave: stdout (the DOM for --dump-dom), console lines, exit code."""

    stdout: str
    console: list[str]
    stderr: str
    returncode: int


def find_chromium() -> Path:
    """The Chromium binary: $CHROMIUM, else the first on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit and Path(explicit).is_file():
        return Path(explicit)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise BrowserNotFoundError("no chromium found: run `make browser` (apt-get install chromium)")


def run_chromium(
    url: str, *extra: str, budget_ms: int = 15000, window: tuple[int, int] = (1100, 1400), timeout: float = 120
) -> BrowserRun:
    """Load `url` headless with a virtual-time budget (the page's JS runs to completion), then act (`extra`)."""
    with tempfile.TemporaryDirectory(prefix="comex-chromium-") as profile:
        args = [
            str(find_chromium()),
            *QUIET_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}",
            f"--window-size={window[0]},{window[1]}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            url,
        ]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    console = [m.group(1) for line in proc.stderr.splitlines() if (m := CONSOLE_LINE.search(line))]
    return BrowserRun(proc.stdout, console, proc.stderr, proc.returncode)


def dump_dom(url: str, **kwargs: object) -> BrowserRun:
    """The page's DOM after its scripts ran."""
    return run_chromium(url, "--dump-dom", **kwargs)  # type: ignore[arg-type]


def screenshot(url: str, png: Path, *, window: tuple[int, int] = (1100, 5400), **kwargs: object) -> BrowserRun:
    """A PNG of the page (the window's height: make it tall enough for the whole page)."""
    return run_chromium(url, f"--screenshot={png}", window=window, **kwargs)  # type: ignore[arg-type]


def print_window(height: int = 1400) -> tuple[int, int]:
    """The window a fiche is laid out in before printing: its charts then take the width they print at."""
    text_mm = A4_WIDTH_MM - 2 * PRINT_MARGIN_MM
    return round(text_mm * CSS_PX_PER_MM / PRINT_ZOOM + SCREEN_GUTTERS_PX), height


def print_pdf(url: str, pdf: Path, **kwargs: object) -> BrowserRun:
    """The page printed to PDF: A4 pages (the stylesheet's `@page`), charts laid out at the printed width."""
    kwargs.setdefault("window", print_window())
    return run_chromium(url, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", **kwargs)  # type: ignore[arg-type]
