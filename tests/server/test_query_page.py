"""The query page as served (no browser): a browser's ``GET /sparql?query=…`` gets the page with the query in
it, to run; every other client still gets results; the page loads only this server's built assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cstograph.store import GraphStore

from .test_endpoint import Q, app_for, make_store

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
STATIC = Path(__file__).resolve().parents[2] / "src" / "cstograph" / "server" / "static"


@pytest.fixture()
def client(tmp_path: Path) -> FlaskClient:
    store: GraphStore = make_store(tmp_path)
    return app_for(store, tmp_path).test_client()


def page_config(body: bytes) -> dict[str, object]:
    found = re.search(rb'<script type="application/json" id="page-config">(.*?)</script>', body, re.S)
    assert found, body[:500]
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_browser_get_with_a_query_gets_the_page_that_runs_it(client: FlaskClient) -> None:
    query = 'SELECT ?s WHERE { ?s ?p "</script><b>" }'
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert page_config(r.data)["query"] == query  # the page opens it in a tab and runs it
    assert b"</script><b>" not in r.data  # escaped in the textarea and in the JSON block
    assert "Vary" in r.headers and "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json", "application/xml",
                                    "text/csv", "text/html;q=0.5, application/sparql-results+xml"])
def test_other_clients_still_get_results(client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", query_string={"query": Q}, headers=headers)
    assert r.status_code == 200 and r.mimetype != "text/html", (accept, r.mimetype)


def test_an_explicit_format_wins_over_a_browser_accept(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": Q, "format": "csv"}, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.mimetype == "text/csv"


def test_page_without_a_query_has_the_default_and_the_named_queries(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": BROWSER})
    config = page_config(r.data)
    assert config["query"] is None and "SELECT" in str(config["default_query"])
    assert config["iri_base"] == "https://w3id.org/cstograph/"
    named = re.search(rb'<script type="application/json" id="named">(.*?)</script>', r.data, re.S)
    assert named and "examples/things-with-p" in json.loads(named.group(1))


def test_page_loads_only_local_built_assets_and_carries_the_style_nonce(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": BROWSER})
    body = r.data.decode()
    nonce = re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"])
    assert nonce and f'<meta name="csp-nonce" content="{nonce.group(1)}">' in body
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', body)
    assert "/static/dist/query.js" in sources and "/static/dist/query.css" in sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert not re.search(r"<script(?![^>]*(?:src=|type=\"application/json\"))", body)  # no inline script


def test_built_assets_are_in_the_package() -> None:
    """scripts/_venv.sh builds frontend/ (npm ci && npm run build) into static/dist, which the wheel carries."""
    if not (STATIC / "dist" / "query.js").is_file():
        pytest.fail("src/cstograph/server/static/dist/query.js is missing: run scripts/_venv.sh (needs npm)")
    script = (STATIC / "dist" / "query.js").read_text(encoding="utf-8")
    assert "cspNonce" in script or "nonce" in script
    assert not re.search(r"https?://(?:cdn|unpkg|fonts)\.", script), "no CDN at run time"
