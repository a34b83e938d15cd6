"""The query operation's fast lane (``routers/lane.py``) against the Flask app it stands in front of: for every
kind of query request, the two give the same status, headers and body — the lane answering the requests it
is for, and handing every other (no query, the query page, refusals, conditional requests…) to the app."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from werkzeug.test import Client

from cstograph.server import ServerConfig, create_app
from cstograph.server.routers.lane import QueryLane
from cstograph.store import GraphStore
from tests.conftest import PROJECT_DIR

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/cstograph/ontology#State> } ORDER BY ?s"
MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"  # more rows than the app's max_rows below: a 422 from the engine
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

# (name, method, query string, body, headers) — answered by the lane
ANSWERED: list[tuple[str, str, dict[str, str], bytes | None, dict[str, str]]] = [
    ("get json", "GET", {"query": STATES}, None, {"Accept": "application/sparql-results+json"}),
    ("get no accept", "GET", {"query": STATES}, None, {}),
    ("get format csv", "GET", {"query": STATES, "format": "csv"}, None, {"Accept": "text/html"}),
    ("form xml", "POST", {}, urllib.parse.urlencode({"query": STATES, "format": "xml"}).encode(),
     {"Content-Type": FORM}),
    ("form + args", "POST", {"timeout": "3"}, urllib.parse.urlencode({"query": STATES}).encode(),
     {"Content-Type": FORM, "Accept": "text/tab-separated-values"}),
    ("direct tsv", "POST", {}, STATES.encode(), {"Content-Type": DIRECT, "Accept": "text/tab-separated-values"}),
    ("direct charset", "POST", {}, STATES.encode(), {"Content-Type": DIRECT + "; charset=UTF-8"}),
    ("construct turtle", "GET", {"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/cstograph/ontology#State> }"},
     None, {"Accept": "text/turtle"}),
    ("ask xml", "GET", {"query": "ASK { ?s ?p ?o }"}, None, {"Accept": "application/sparql-results+xml"}),
    ("dataset", "GET", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                        "default-graph-uri": "https://w3id.org/cstograph/graph/inferred"}, None, {}),
    ("relative iri", "POST", {}, b"SELECT ?x WHERE { BIND(<relative/x> AS ?x) }", {"Content-Type": DIRECT}),
    ("relative iri, other host", "POST", {}, b"SELECT ?x WHERE { BIND(<relative/x> AS ?x) }",
     {"Content-Type": DIRECT, "Host": "graph.example.org:8443"}),
    ("too many rows (422)", "GET", {"query": MANY}, None, {}),
    ("long form", "POST", {}, urllib.parse.urlencode({"query": "# " + "x" * 600_000 + "\n" + STATES}).encode(),
     {"Content-Type": FORM}),  # past Flask's default form limit (500 kB), within --max-body-bytes
]
# — handed to the app
HANDED: list[tuple[str, str, dict[str, str], bytes | None, dict[str, str]]] = [
    ("service description", "GET", {}, None, {"Accept": "text/turtle"}),
    ("query page", "GET", {"query": STATES}, None, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}),
    ("malformed", "GET", {"query": "SELECT ?x WHERE {"}, None, {}),
    ("update", "POST", {}, urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(), {"Content-Type": FORM}),
    ("service", "GET", {"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}, None, {}),
    ("not acceptable", "GET", {"query": STATES}, None, {"Accept": "image/png"}),
    ("unsupported body", "POST", {}, STATES.encode(), {"Content-Type": "text/plain"}),
    ("conditional", "GET", {"query": STATES}, None, {"If-None-Match": "*"}),
    ("bad timeout", "GET", {"query": STATES, "timeout": "soon"}, None, {}),
    ("two queries", "GET", {}, None, {"X-Query-String": "query=ASK%7B%7D&query=ASK%7B%7D"}),
    ("latin-1 direct", "POST", {}, STATES.encode(), {"Content-Type": DIRECT + "; charset=latin-1"}),
    ("not utf-8 form", "POST", {}, b"query=ASK%7B%7D&x=\xff", {"Content-Type": FORM}),
    ("options", "OPTIONS", {}, None, {}),
]


@pytest.fixture(scope="module")
def app(store: GraphStore) -> Any:
    return create_app(ServerConfig(queries_dir=PROJECT_DIR / "queries", max_rows=50, result_cache_mb=0), store)


def _send(wsgi: Callable[..., Iterable[bytes]], method: str, args: dict[str, str], body: bytes | None,
          headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = dict(headers)
    query_string = headers.pop("X-Query-String", None) or urllib.parse.urlencode(args)
    reply = Client(wsgi).open("/sparql", method=method, query_string=query_string, data=body, headers=headers)
    fresh = re.compile(r"'nonce-[^']+'")  # a new style nonce in each HTML page (its policy and its body)
    return (reply.status_code, sorted((k.lower(), fresh.sub("'nonce-N'", v)) for k, v in reply.headers.items()),
            re.sub(rb'(csp-nonce" content=|nonce=)"[^"]+"', rb'\1"N"', reply.get_data()))


@pytest.mark.parametrize(("name", "method", "args", "body", "headers"), ANSWERED + HANDED,
                         ids=[case[0] for case in ANSWERED + HANDED])
def test_the_lane_and_the_app_answer_alike(app: Any, name: str, method: str, args: dict[str, str], body: bytes | None,
                                           headers: dict[str, str]) -> None:
    lane = app.wsgi_app
    assert isinstance(lane, QueryLane)
    handed: list[str] = []
    inner = lane.app

    def app_only(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handed.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    lane.app = app_only
    try:
        through_lane = _send(app, method, args, body, headers)
    finally:
        lane.app = inner
    through_app = _send(inner, method, args, body, headers)
    assert through_lane == through_app
    assert (handed == []) == (name in {case[0] for case in ANSWERED}), handed
    assert through_lane[0] in (200, 204, 304, 400, 403, 406, 415, 422), through_lane[:2]
    if name.startswith("relative iri"):  # resolved against the endpoint's URL, as the client named the host
        host = headers.get("Host", "localhost")
        assert f"http://{host}/relative/x".encode() in through_lane[2]
