"""A researcher's browser: Debian's Chromium driven by Playwright (from PyPI; no browser is downloaded), against a
real ``cstograph serve`` on 127.0.0.1. Each test gets a fresh browser context (empty localStorage) and fails if
the page reported a Content-Security-Policy violation or a script error. Screenshots go to
``tests/artifacts/screenshots/`` (git-ignored)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_DIR, RunningServer, require_tool

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = PROJECT_DIR / "tests" / "artifacts" / "screenshots"

# Recorded in the page before any of its scripts run (an init script is not subject to the page's CSP).
WATCH = """
window.__problems = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__problems.push('CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});
window.addEventListener('error', function (e) { window.__problems.push('error: ' + e.message); });
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    exe = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed (the test extra has it)")
        pytest.skip("playwright not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site(live_server: RunningServer) -> RunningServer:
    """The built project, served by ``cstograph serve`` (the session's live server)."""
    return live_server


class Problems:
    def __init__(self) -> None:
        self.console: list[str] = []

    def of(self, page: Any) -> list[str]:
        seen = list(self.console)
        for frame_page in page.context.pages:
            with contextlib.suppress(Exception):  # a page that is closing has nothing more to say
                seen += frame_page.evaluate("window.__problems || []")
        return seen


@pytest.fixture()
def page(chromium: Any, tmp_path: Path) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(WATCH)
    context.set_default_timeout(20_000)
    problems = Problems()

    def on_console(message: Any) -> None:
        where = str((message.location or {}).get("url", ""))
        answered = "the server responded with a status of 4" in message.text  # a query refused: tests read it
        if message.type == "error" and not where.endswith("/favicon.ico") and not (
                answered and ("/sparql" in where or "/queries/" in where)):
            problems.console.append(f"console: {message.text} ({where})")

    context.on("console", on_console)
    page = context.new_page()
    yield page
    found = problems.of(page)
    context.close()
    assert not found, f"the page reported problems: {found}"


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot as a test artefact: the full page of an HTML document, the window of a picture (an SVG
    document has no page size to take)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=bool(page.evaluate("document.contentType === 'text/html'")))
    return path
