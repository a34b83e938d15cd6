"""Real clients against a real ``cstograph serve`` process (gunicorn) on 127.0.0.1: SPARQLWrapper and rdflib
(Python), roqet (rasqal, C), Comunica (Node, ``tests/clients/``), and the CLI — the same named-query report comes
out of the CLI and the endpoint. YASGUI in a browser on another origin: ``tests/browser/test_yasgui.py``."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from cstograph.namespaces import RDF, XSD, sparql_prefixes

from ..conftest import (
    PROJECT_DIR,
    RunningServer,
    cstograph_command,
    require_tool,
    serve_project,
    start_server,
    stop_server,
)
from .test_endpoint import DATA, EX, G1, make_queries_dir


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    make_queries_dir(root / "queries")
    (root / "data.trig").write_text(DATA, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[RunningServer]:
    with serve_project(project, project / "data.trig") as running:
        yield running


def wrapper(server: RunningServer, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


Q = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"


def test_sparqlwrapper_select_json_get_and_post(server: RunningServer) -> None:
    for method in ("GET", POST):
        sparql = wrapper(server, Q, JSON)
        sparql.setMethod(method)
        bindings = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        assert [b["s"]["value"] for b in bindings] == [EX + "a", EX + "c"]


def test_sparqlwrapper_select_xml_and_csv(server: RunningServer) -> None:
    doc = wrapper(server, Q, XML).queryAndConvert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("uri")][:2] == [EX + "a", EX + "b"]  # type: ignore[union-attr]
    csv = wrapper(server, Q, CSV).queryAndConvert()
    assert csv.splitlines()[0] == b"s,o"  # type: ignore[union-attr]


def test_sparqlwrapper_ask_and_construct(server: RunningServer) -> None:
    assert wrapper(server, f"ASK {{ <{EX}a> ?p ?o }}", JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]
    sparql = wrapper(server, f"CONSTRUCT WHERE {{ ?s <{EX}p> ?o }}", TURTLE)
    response = sparql.query()
    assert response.response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.convert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 2


def test_sparqlwrapper_dataset_parameters(server: RunningServer) -> None:
    sparql = wrapper(server, Q, JSON)
    sparql.addDefaultGraph(G1)
    bindings = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["s"]["value"] for b in bindings] == [EX + "a"]


def test_sparqlwrapper_sees_malformed_query_as_bad_request(server: RunningServer) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()


def test_roqet_select(server: RunningServer) -> None:
    roqet = require_tool("roqet")
    run = subprocess.run([roqet, "-q", "-p", server.sparql, "-e", Q, "-r", "csv"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["s,o", f"{EX}a,{EX}b", f"{EX}c,{EX}d"]


def test_roqet_reports_malformed_query(server: RunningServer) -> None:
    roqet = require_tool("roqet")
    run = subprocess.run([roqet, "-p", server.sparql, "-e", "SELECT * WHERE { ?s ?p }"],
                         capture_output=True, text=True, timeout=60)
    assert "400" in run.stderr


@pytest.mark.parametrize(("name", "params"), [
    ("examples/things-with-p", {}),
    ("examples/things-with-p", {"object": EX + "d"}),
    ("examples/labelled", {"label": "A"}),
    ("checks/nothing-violation", {}),
])
def test_same_report_from_cli_and_endpoint(server: RunningServer, project: Path, name: str,
                                           params: dict[str, str]) -> None:
    cli = subprocess.run(
        [*cstograph_command(), "--project", str(project), "query", name, "--data", str(project / "data.trig"),
         "--format", "csv", *[f"-p{k}={v}" for k, v in params.items()]],
        capture_output=True, timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    url = f"{server.url}/queries/{name}?" + urllib.parse.urlencode({**params, "format": "csv"})
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        assert response.status == 200
        assert response.read() == cli.stdout


@pytest.fixture(scope="module")
def oxigraph_server(project: Path) -> Iterator[str]:
    """The Rust Oxigraph server (PyPI ``oxigraph``) on the same data: the remote end of SERVICE."""
    import shutil
    import signal
    import sys
    import time

    from ..conftest import free_port

    exe = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or require_tool("oxigraph")
    location = project / "oxdb"
    subprocess.run([exe, "load", "--location", str(location), "--file", str(project / "data.trig")],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def test_service_to_an_allow_listed_endpoint_is_federated(project: Path, oxigraph_server: str) -> None:
    running = start_server(["--data", str(project / "data.trig"), "--service-allow", oxigraph_server],
                           project / "federating.log")
    try:
        sparql = wrapper(running, f"SELECT ?s WHERE {{ SERVICE <{oxigraph_server}> {{ ?s <{EX}label> ?l }} }} "
                                  "ORDER BY ?s", JSON)
        bindings = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        assert [b["s"]["value"] for b in bindings] == [EX + "a", EX + "c"]
        other = oxigraph_server.replace("/query", "/elsewhere")
        with pytest.raises(QueryBadFormed):
            wrapper(running, f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}", JSON).queryAndConvert()
    finally:
        stop_server(running)


def test_service_refused_by_default_on_a_real_server(server: RunningServer, oxigraph_server: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(server, f"SELECT * WHERE {{ SERVICE <{oxigraph_server}> {{ ?s ?p ?o }} }}", JSON).queryAndConvert()


# --- every common client's default request works (issue 15) --------------------------------------------------
CONSTRUCT = f"CONSTRUCT WHERE {{ ?s <{EX}p> ?o }}"
DESCRIBE = f"DESCRIBE <{EX}a>"


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt, syntax", [
    (XML, "RDF_XML"), ("rdf+xml", "RDF_XML"), ("json-ld", "JSON_LD"), ("n3", "TURTLE"), (TURTLE, "TURTLE"),
])
def test_sparqlwrapper_graph_queries_in_every_return_format(server: RunningServer, query: str, fmt: str,
                                                            syntax: str) -> None:
    """SPARQLWrapper sends ``format=xml`` (its default), ``rdf+xml``, ``json-ld``, ``n3``… for a graph: each
    is answered in that RDF syntax (a 406 before)."""
    import pyoxigraph as ox

    body = wrapper(server, query, fmt).query().response.read()
    triples = list(ox.parse(body, format=getattr(ox.RdfFormat, syntax)))
    assert triples and all(t.subject.value.startswith(EX) for t in triples)


def test_sparqlwrapper_json_for_a_graph_gets_json_ld(server: RunningServer) -> None:
    """SPARQLWrapper sends returnFormat JSON for a CONSTRUCT as ``format=json`` with ``Accept: */*`` (and a
    warning): the server answers the JSON syntax of RDF, JSON-LD."""
    import pyoxigraph as ox

    with pytest.warns(RuntimeWarning, match="Sending Accept header"):
        response = wrapper(server, CONSTRUCT, JSON).query().response
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert len(list(ox.parse(response.read(), format=ox.RdfFormat.JSON_LD))) == 2


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, "tsv"])
def test_sparqlwrapper_select_and_ask_in_every_return_format(server: RunningServer, fmt: str) -> None:
    for query in (Q, f"ASK {{ <{EX}a> ?p ?o }}"):
        response = wrapper(server, query, fmt).query()
        assert response.response.status == 200 and response.response.read()


def test_rdflib_sparqlstore_reads_the_endpoint(server: RunningServer) -> None:
    import warnings

    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server.sparql, returnFormat="json"))
    rows = list(graph.query(Q))
    assert [str(r[0]) for r in rows] == [EX + "a", EX + "c"]
    assert graph.query(f"ASK {{ <{EX}a> ?p ?o }}").askAnswer is True
    with warnings.catch_warnings():  # rdflib's own: its CONSTRUCT result is a ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        assert len(graph.query(CONSTRUCT).graph) == 2  # type: ignore[union-attr]


def test_roqet_construct_gets_a_graph(server: RunningServer) -> None:
    """roqet offers only results formats even for a CONSTRUCT: it gets Turtle, not 406."""
    roqet = require_tool("roqet")
    import pyoxigraph as ox

    run = subprocess.run([roqet, "-q", "-p", server.sparql, "-e", CONSTRUCT], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "Error" not in run.stderr, run.stderr  # (a 406 before)
    # what roqet was sent: RDF/XML, the graph syntax of the XML family it asked for
    request = urllib.request.Request(server.sparql + "?" + urllib.parse.urlencode({"query": CONSTRUCT}),
                                     headers={"Accept": "application/sparql-results+xml"})
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback only
        assert r.headers["Content-Type"] == "application/rdf+xml"
        assert sorted(str(t) for t in ox.parse(r.read(), format=ox.RdfFormat.RDF_XML)) == [
            f"<{EX}a> <{EX}p> <{EX}b>", f"<{EX}c> <{EX}p> <{EX}d>"]


def test_a_query_editor_on_another_origin_can_query(server: RunningServer) -> None:
    """What YASGUI on another site sends: a CORS preflight for a POST, then the POST with an Origin."""
    preflight = urllib.request.Request(server.sparql, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(preflight, timeout=30) as r:  # noqa: S310 - loopback only
        assert r.status == 204 and r.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
        assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    request = urllib.request.Request(server.sparql, data=urllib.parse.urlencode({"query": Q}).encode(), headers={
        "Origin": "https://yasgui.example", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback only
        assert r.headers["Access-Control-Allow-Origin"] == "*" and b'"bindings"' in r.read()


# --- Comunica (Node; tests/clients/, a test-only package installed by scripts/test) -------------------------
CLIENTS = Path(__file__).resolve().parents[1] / "clients"
XSD_STRING = str(XSD.string)
LANG_STRING = str(RDF.langString)
Cell = tuple[str, str, str, str]  # termType, value, language, datatype (a blank node's label is not kept)


def comunica(endpoint: str, *queries: str) -> list[dict[str, Any]]:
    """Each query's result as Comunica (``@comunica/query-sparql``) gets it from ``endpoint``, one Node run."""
    node = require_tool("node")
    if not (CLIENTS / "node_modules" / "@comunica" / "query-sparql").is_dir():
        if os.environ.get("CI"):
            pytest.fail("tests/clients/node_modules has no @comunica/query-sparql (scripts/test runs npm ci there)")
        pytest.skip("@comunica/query-sparql not installed (scripts/test runs npm ci in tests/clients/)")
    run = subprocess.run([node, "comunica-query.mjs", endpoint, *queries], cwd=CLIENTS, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(line) for line in run.stdout.splitlines()]


def comunica_cell(term: dict[str, str]) -> Cell:
    kind = term["termType"]
    if kind == "Literal":
        return (kind, term["value"], term["language"], term["datatype"])
    return (kind, "" if kind == "BlankNode" else term["value"], "", "")


def results_json_cell(term: dict[str, str]) -> Cell:
    """A term of SPARQL 1.1 Query Results JSON (§3.2.2) in the same form."""
    if term["type"] == "uri":
        return ("NamedNode", term["value"], "", "")
    if term["type"] == "bnode":
        return ("BlankNode", "", "", "")
    if "xml:lang" in term:
        return ("Literal", term["value"], term["xml:lang"], LANG_STRING)
    return ("Literal", term["value"], "", term.get("datatype", XSD_STRING))


def table(rows: list[dict[str, Cell]]) -> list[list[tuple[str, Cell]]]:
    """Rows as sorted lists of (variable, cell): compared as a multiset, whatever order each side streams."""
    return sorted(sorted(row.items()) for row in rows)


def endpoint_json(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 - loopback only
        return dict(json.load(r))


def named_example(name: str) -> tuple[str, str]:
    """A named example query with its default parameters bound as a VALUES block (the text a SPARQL client is
    given), and the server's own URL for it (which binds them by substitution)."""
    from cstograph.queries import load_queries
    from cstograph.store import bind_values, named_substitutions

    query = load_queries(PROJECT_DIR / "queries", "examples")[name]
    return bind_values(query.text, named_substitutions(query, {})), f"/queries/examples/{name}"


def assert_same_rows(got: dict[str, Any], server: dict[str, Any]) -> None:
    assert got["type"] == "bindings"
    assert got["variables"] == server["head"]["vars"]
    mine = [{k: comunica_cell(v) for k, v in row.items()} for row in got["rows"]]
    theirs = [{k: results_json_cell(v) for k, v in row.items()} for row in server["results"]["bindings"]]
    assert table(mine) == table(theirs)


def assert_same_graph(got: dict[str, Any], sparql_url: str, construct: str) -> None:
    import pyoxigraph as ox

    request = urllib.request.Request(sparql_url + "?" + urllib.parse.urlencode({"query": construct}),
                                     headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 - loopback only
        triples = list(ox.parse(r.read(), format=ox.RdfFormat.N_TRIPLES))

    def cell(term: Any) -> Cell:
        if isinstance(term, ox.Literal):
            return ("Literal", term.value, term.language or "", term.datatype.value)
        return ("NamedNode", term.value, "", "") if isinstance(term, ox.NamedNode) else ("BlankNode", "", "", "")

    assert got["type"] == "quads" and got["quads"]
    assert sorted(tuple(comunica_cell(t) for t in q) for q in got["quads"]) == sorted(
        (cell(t.subject), cell(t.predicate), cell(t.object)) for t in triples)


LABELS_OF_STATES = sparql_prefixes("cst", "rdfs") + (
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a cst:State ; rdfs:label ?l }")
ASKS = {"""ASK { <https://w3id.org/cstograph/id/state/ARM> ?p ?o }""": True,
        """ASK { <https://w3id.org/cstograph/id/state/XXX> ?p ?o }""": False}


def test_comunica_select_construct_ask(live_server: RunningServer) -> None:
    """Comunica, told the source is a SPARQL endpoint, gets the endpoint's own rows for named queries with their
    default parameters (an IRI and a date), the endpoint's triples for a CONSTRUCT and both answers of an ASK —
    literals with their language and datatype (one Node start-up for all)."""
    members, members_url = named_example("02-members-on-date")
    history, history_url = named_example("03-membership-history")
    asks = list(ASKS)
    got = comunica(live_server.sparql, members, history, LABELS_OF_STATES, *asks)
    assert_same_rows(got[0], endpoint_json(live_server.url + members_url))
    assert_same_rows(got[1], endpoint_json(live_server.url + history_url))
    assert got[0]["rows"] and got[1]["rows"]
    assert_same_graph(got[2], live_server.sparql, LABELS_OF_STATES)
    assert [g["boolean"] for g in got[3:]] == [ASKS[q] for q in asks]


@pytest.mark.slow
def test_comunica_gets_every_named_example(live_server: RunningServer) -> None:
    """Every ``queries/examples/*.rq`` (default parameters): Comunica's rows are the endpoint's."""
    from cstograph.queries import load_queries

    names = sorted(load_queries(PROJECT_DIR / "queries", "examples"))
    examples = [named_example(name) for name in names]
    got = comunica(live_server.sparql, *(text for text, _ in examples))
    for (_, url), result in zip(examples, got, strict=True):
        assert_same_rows(result, endpoint_json(live_server.url + url))
