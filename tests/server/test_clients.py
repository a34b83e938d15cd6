"""Real clients against a real ``cstograph serve`` process (gunicorn) on 127.0.0.1: SPARQLWrapper (Python),
roqet (rasqal, C), and the CLI — the same named-query report comes out of the CLI and the endpoint."""

from __future__ import annotations

import os
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from ..conftest import RunningServer, cstograph_command, require_tool, serve_project, start_server, stop_server
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
