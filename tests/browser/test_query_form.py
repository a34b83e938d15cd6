"""The query page in a real browser (headless Chromium) against a real server: it loads a named example,
runs it through fetch() and shows the results as a table."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import RunningServer, require_tool, serve_project
from ..server.test_endpoint import DATA, EX, make_queries_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    root = tmp_path_factory.mktemp("browser-project")
    make_queries_dir(root / "queries")
    (root / "data.trig").write_text(DATA, encoding="utf-8")
    with serve_project(root, root / "data.trig") as running:
        yield running


def dump_dom(url: str, profile: Path) -> str:
    chromium = require_tool("chromium")
    run = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=90,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_query_page_runs_a_named_example(server: RunningServer, tmp_path: Path) -> None:
    dom = dump_dom(server.sparql + "#example=examples/things-with-p&run", tmp_path / "profile")
    assert "<textarea" in dom and 'class="cm-content"' in dom  # the form's field, and the editor over it
    assert '<table class="results">' in dom and re.search(r'<th [^>]*data-var="s"[^>]*><button[^>]*>\?s</button>', dom)
    # an IRI outside the served base links to itself, shortened by the query's own prefix
    assert f'<a href="{EX}a" title="{EX}a" class="iri">ex:a</a>' in dom
    at = dom.find("id=\"status\"")
    assert re.search(r"<span id=\"status\"[^>]*>1 rows, \d+ ms</span>", dom), dom[at - 100:at + 200]


def test_query_page_without_a_known_example_runs_the_default_query(server: RunningServer, tmp_path: Path) -> None:
    dom = dump_dom(server.sparql + "#example=examples/missing&run", tmp_path / "profile")
    assert '<table class="results">' in dom and ">?instances</button></th>" in dom  # the default query ran
