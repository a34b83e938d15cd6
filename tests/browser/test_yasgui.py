"""YASGUI (``@zazuko/yasgui``, pinned in ``tests/clients/package.json``) on another origin: a page served from its
own loopback port loads YASGUI's built bundle from the test-only ``node_modules`` (never a CDN), points it at a
real ``cstograph serve`` and runs a query with YASGUI's default request — a cross-origin POST, form-encoded,
asking for SPARQL results JSON. The results table must show the endpoint's rows, with no CORS error (or any
other console error) in the page; every request the browser makes stays on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cstograph.namespaces import sparql_prefixes
from tests.conftest import RunningServer, free_port

from .conftest import screenshot

HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent / "clients" / "node_modules" / "@zazuko" / "yasgui" / "build"
STATES = sparql_prefixes("cst", "rdfs") + (
    'SELECT ?state ?label WHERE { ?state a cst:State ; rdfs:label ?label FILTER(lang(?label) = "en") } ORDER BY ?label')


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:<another port>``: the page (tests/browser/yasgui_page/) and YASGUI's bundle."""
    if not (BUNDLE / "yasgui.min.js").is_file():
        if os.environ.get("CI"):
            pytest.fail("tests/clients/node_modules has no @zazuko/yasgui (scripts/test runs npm ci there)")
        pytest.skip("@zazuko/yasgui not installed (scripts/test runs npm ci in tests/clients/)")
    root = tmp_path_factory.mktemp("other-origin")
    for name in ("index.html", "page.js"):
        shutil.copy(HERE / "yasgui_page" / name, root / name)
    (root / "yasgui").symlink_to(BUNDLE, target_is_directory=True)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def endpoint_rows(site: RunningServer, query: str) -> list[list[str]]:
    """The endpoint's own answer, as YASR shows it: row number, ``<IRI>``, ``"label"@en``."""
    request = urllib.request.Request(site.sparql, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback test server
        bindings = json.load(r)["results"]["bindings"]
    return [[str(n), f"<{b['state']['value']}>", f'"{b["label"]["value"]}"@en'] for n, b in enumerate(bindings, 1)]


def run_in_yasgui(page: Any, site: RunningServer, other_origin: str, query: str) -> tuple[list[list[str]], list[Any]]:
    """Open the other origin's page, let YASGUI run ``query`` against ``site``; the results table's cells and the
    requests the browser sent to the endpoint."""
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))
    # Nothing may leave the machine: a request to anything but the two loopback origins is refused and recorded.
    strays: list[str] = []

    def refuse(route: Any) -> None:
        strays.append(route.request.url)
        route.abort()

    page.context.route(lambda url: not url.startswith((other_origin + "/", site.url + "/")), refuse)
    page.goto(other_origin + "/index.html?" + urllib.parse.urlencode({"to": site.sparql, "run": query}))
    page.wait_for_function("window.__done === true")
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    cells = page.eval_on_selector_all(".yasr table.dataTable tbody tr",
                                      "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
    assert strays == []
    return cells, [r for r in requests if r.url.startswith(site.sparql)]


def test_yasgui_on_another_origin_shows_the_endpoints_rows(page: Any, site: RunningServer, other_origin: str) -> None:
    """YASGUI's default request for a SELECT — a "simple" cross-origin POST (form-encoded, ``Accept:
    application/sparql-results+json,*/*;q=0.9``: no preflight) — gets the endpoint's rows, CORS-allowed."""
    cells, sent = run_in_yasgui(page, site, other_origin, STATES)
    screenshot(page, "yasgui-other-origin")
    expected = endpoint_rows(site, STATES)
    assert len(expected) >= 10 and cells == expected
    assert [r.method for r in sent] == ["POST"], [(r.method, r.post_data[:80], r.headers.get("accept")) for r in sent]
    headers = sent[0].headers
    assert headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert headers["accept"].startswith("application/sparql-results+json")
    assert urllib.parse.parse_qs(sent[0].post_data)["query"] == [STATES]
    assert sent[0].headers["origin"] != site.url
    assert sent[0].response().header_value("access-control-allow-origin") == "*"


@pytest.mark.slow
def test_yasgui_on_another_origin_shows_a_construct(page: Any, site: RunningServer, other_origin: str) -> None:
    """A CONSTRUCT from YASGUI (its graph Accept, N-Triples first) comes back as N-Triples and is shown as
    triples."""
    construct = STATES.replace("SELECT ?state ?label WHERE", "CONSTRUCT { ?state rdfs:label ?label } WHERE")
    cells, sent = run_in_yasgui(page, site, other_origin, construct)
    assert sent[0].response().header_value("content-type").startswith("application/n-triples")
    labels = sorted(row[-1] for row in cells)
    assert labels == sorted(row[-1] for row in endpoint_rows(site, STATES))
