"""Finding things on the site (issue 15, the server's part): the search page behind the header's search box,
the index of kinds with their counts, the list of each kind (events by year), styled error pages — on the built
graph, in-process (same code as the server)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from cstograph.namespaces import BASE
from cstograph.server import ServerConfig, create_app
from cstograph.store import GraphStore

from ..conftest import PROJECT_DIR

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[FlaskClient]:
    yield create_app(ServerConfig(queries_dir=PROJECT_DIR / "queries"), store).test_client()


def _labelled(store: GraphStore, kind: str) -> set[str]:
    rows = store.select("SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    return {r["s"].value for r in rows
            if isinstance(r["s"], ox.NamedNode) and r["s"].value.startswith(f"{BASE}id/{kind}/")}


def test_every_page_has_the_search_box(client: FlaskClient) -> None:
    for path in ("/", "/id/state/ARM.html", "/sparql", "/ontology", "/id/", "/timeline", "/no/such/page"):
        html = client.get(path, headers=HTML).get_data(as_text=True)
        assert '<form class="search" action="/search"' in html and 'name="q"' in html, path


def test_the_kinds_index_counts_what_the_graph_holds(client: FlaskClient, store: GraphStore) -> None:
    html = client.get("/id/", headers=HTML).get_data(as_text=True)
    counts = dict(re.findall(r'<a href="/id/([a-z-]+)/">[a-z-]+</a></th><td class="count">(\d+)</td>', html))
    assert {"state", "event", "person", "operation", "source"} <= set(counts)
    for kind in ("state", "person", "operation", "source", "event"):
        assert int(counts[kind]) == len(_labelled(store, kind)), kind


def test_a_kind_lists_each_of_its_resources_with_a_link(client: FlaskClient, store: GraphStore) -> None:
    html = client.get("/id/state/", headers=HTML).get_data(as_text=True)
    links = set(re.findall(r'href="(/id/state/[A-Z]{3})"', html))
    assert links == {iri.removeprefix(BASE[:-1]) for iri in _labelled(store, "state")}
    assert ">Armenia</a>" in html


def test_events_are_grouped_by_year_latest_first(client: FlaskClient) -> None:
    html = client.get("/id/event/", headers=HTML).get_data(as_text=True)
    years = re.findall(r'<h2 id="y(\d{4}|undated)">', html)
    dated = [y for y in years if y != "undated"]
    assert dated == sorted(dated, reverse=True) and "2022" in dated and "1992" in dated
    assert "kaz-2022-request" in html.split('id="y2022"')[1].split("<h2")[0]


def test_an_unknown_kind_is_a_styled_404(client: FlaskClient) -> None:
    reply = client.get("/id/nothing/", headers=HTML)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 404 and "<h1>" in html and "no resources of kind" in html and 'class="site"' in html


@pytest.mark.parametrize(("method", "path", "status", "message"), [
    ("GET", "/timeline?today=garbage", 400, "'today' must be a date as YYYY-MM-DD, got 'garbage'"),
    ("GET", "/search?q=" + "x" * 201, 400, "the search text is longer than 200 characters"),
    ("GET", "/id/state/ZZZ.html", 404, "no resource https://w3id.org/cstograph/id/state/ZZZ"),
    ("GET", "/no/such/page", 404, "The requested URL was not found on the server."),
    ("DELETE", "/sparql", 405, "The method is not allowed for the requested URL."),
    ("POST", "/timeline", 405, "The method is not allowed for the requested URL."),
    ("GET", "/timeline?format=png", 406, "none of the offered media types is acceptable: image/svg+xml, text/html"),
    ("GET", "/sparql?query=ASK%7B%7D&format=nonsense", 406, "none of the offered media types is acceptable: "
                                                             "application/sparql-results+json"),
])
def test_client_errors_are_styled_pages_of_the_site_for_a_browser(client: FlaskClient, method: str, path: str,
                                                                   status: int, message: str) -> None:
    reply = client.open(path, method=method, headers=HTML)
    html = reply.get_data(as_text=True)
    assert reply.status_code == status and reply.mimetype == "text/html", (reply.status_code, html[:200])
    assert "script-src 'self';" in reply.headers["Content-Security-Policy"]  # the pages' strict policy
    assert '<link rel="stylesheet" href="/static/style.css">' in html  # the site's styles
    assert '<header class="site">' in html and '<form class="search" action="/search"' in html  # header, search
    assert f'<h1><span class="status">{status}</span>' in html and f"<title>{status} " in html
    shown = re.search(r'<p class="message">(.*?)</p>', html, re.S)
    assert shown is not None and str(escape(message)) in shown.group(1), html


@pytest.mark.parametrize("q, lang, expected", [
    ("armenia", "en", "/id/state/ARM"), ("Армения", "ru", "/id/state/ARM"), ("kazakhstan request", "en",
                                                                                "/id/event/kaz-2022-request")])
def test_the_search_page_finds_resources(client: FlaskClient, q: str, lang: str, expected: str) -> None:
    html = client.get("/search", query_string={"q": q, "lang": lang}, headers=HTML).get_data(as_text=True)
    assert f'<a href="{expected}">' in html.split('class="search-results"')[1]


def test_search_page_rejects_overlong_text(client: FlaskClient) -> None:
    assert client.get("/search", query_string={"q": "x" * 201}).status_code == 400


def test_a_check_the_build_alone_runs_is_not_served(client: FlaskClient) -> None:
    """``#+ scope: build`` (seed-quote-subject-violation: SPARQL other servers read differently): the build runs it,
    the endpoint neither lists nor answers it."""
    listed = {q["name"] for q in client.get("/queries").get_json()["queries"]}
    assert "agent-as-participant-violation" in listed and "seed-quote-subject-violation" not in listed
    assert client.get("/queries/checks/seed-quote-subject-violation").status_code == 404
