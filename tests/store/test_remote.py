"""The remote store against REAL servers on 127.0.0.1 (``oxigraph serve`` and Virtuoso Open Source),
started and stopped by the tests: ``cstograph publish --to URL`` loads the build graph by graph, every
named query runs on each server with the answers of the embedded store, and ``cstograph serve --store
URL`` fronts a server with the same protocol and named queries."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.cli import main
from cstograph.config import Settings
from cstograph.namespaces import GRAPH, sparql_prefixes
from cstograph.pipeline import BuildResult
from cstograph.queries import load_queries
from cstograph.store import GraphStore, RemoteStore, StoreLocation, named_substitutions
from tests.conftest import PROJECT_DIR, server_processes, start_server, stop_server

from .servers import Server, oxigraph_server, virtuoso_server

QUERIES = PROJECT_DIR / "queries"
NAMED = [(group, name) for group in ("examples", "checks")  # every query the endpoint serves
         for name, query in sorted(load_queries(QUERIES, group).items()) if query.served]
#: Virtuoso takes ≈ 25 s to start and 40 s per publish test on this machine: its runs are in -m slow (CI's default
#: run keeps every remote-store test against oxigraph serve).
SERVERS = ("oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow))


@pytest.fixture(scope="module", params=SERVERS)
def published(request: pytest.FixtureRequest, built: BuildResult, session_settings: Settings,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server with the build published into it by ``cstograph publish``."""
    start = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    with start(tmp_path_factory.mktemp(request.param)) as server:
        rc = main(["--build-dir", str(session_settings.build_dir), "publish", "--to", server.graph_store_url,
                   "--query-url", server.query_url])
        assert rc == 0
        yield server


@pytest.fixture(scope="module")
def remote(published: Server) -> RemoteStore:
    return RemoteStore(published.query_url, graph_prefix=str(GRAPH))


def _key(term: object) -> tuple[str, ...]:
    """A term as compared across servers: blank nodes (and their Skolem IRIs) stand for themselves only."""
    if term is None or term == ox.Literal(""):
        # GROUP_CONCAT of no values: "" on Virtuoso (SPARQL 1.1 §18.5.1.7), unbound on Oxigraph; one empty cell
        return ("unbound",)
    if isinstance(term, ox.BlankNode) or (isinstance(term, ox.NamedNode) and "/.well-known/genid/" in term.value):
        return ("blank",)
    if isinstance(term, ox.Literal):
        # GROUP_CONCAT leaves the order of its parts to the engine (SPARQL 1.1 §18.5.1.7): compared as a bag
        return ("literal", " ".join(sorted(re.split(r" \| |; | ", term.value))), term.language or term.datatype.value)
    return ("iri", getattr(term, "value", str(term)))


def _answers(result: object) -> Counter[tuple[tuple[str, ...], ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return Counter(tuple(_key(row[n]) for n in names) for row in result)


def test_publish_loads_every_graph_whole(remote: RemoteStore, store: GraphStore) -> None:
    assert remote.graph_names() == store.graph_names()
    assert remote.sizes() == store.sizes()
    assert len(remote) == len(store)


def test_publish_again_replaces_each_graph(published: Server, remote: RemoteStore, session_settings: Settings,
                                           store: GraphStore) -> None:
    """A second publish replaces the graphs (PUT), nothing is appended; a graph the build no longer has goes."""
    stale = str(GRAPH["retired"])
    remote.put_graph(published.graph_store_url, stale, b"<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    assert main(["--build-dir", str(session_settings.build_dir), "publish", "--to", published.graph_store_url,
                 "--query-url", published.query_url]) == 0
    again = RemoteStore(published.query_url, graph_prefix=str(GRAPH))
    assert again.graph_names() == store.graph_names()
    assert again.sizes() == store.sizes()


def test_a_publish_that_cannot_remove_stale_graphs_records_no_build(published: Server,
                                                                     session_settings: Settings) -> None:
    """Without ``--query-url`` publish cannot delete stale graphs, so it records no build (a front then computes
    its snapshot from what the server holds); with it, the record comes back, written last."""
    from cstograph.snapshot import published_snapshot

    build = ["--build-dir", str(session_settings.build_dir), "publish", "--to", published.graph_store_url]
    assert main(build) == 0
    assert published_snapshot(RemoteStore(published.query_url, graphs=[])) is None
    assert main([*build, "--query-url", published.query_url]) == 0
    snapshot = json.loads((session_settings.current_build / "snapshot" / "snapshot.json").read_text())["id"]
    assert published_snapshot(RemoteStore(published.query_url, graphs=[])) == snapshot


@pytest.mark.parametrize(("group", "name"), NAMED, ids=[f"{g}/{n}" for g, n in NAMED])
def test_named_query_gives_the_same_answers_on_the_server(group: str, name: str, remote: RemoteStore,
                                                          store: GraphStore) -> None:
    """Each named query, portable SPARQL 1.1, on each tested server: the embedded store's answers."""
    query = load_queries(QUERIES, group)[name]
    subs = named_substitutions(query, {})
    local = _answers(store.query(query.text, substitutions=subs))
    there = _answers(remote.query(query.text, substitutions=subs))
    assert there == local


def test_parameters_are_bound_not_pasted(remote: RemoteStore, store: GraphStore) -> None:
    """A parameter is a VALUES binding of a term pyoxigraph wrote: a hostile value stays a literal."""
    query = "SELECT ?v WHERE { }"
    hostile = ox.Literal('") } } DROP ALL #')
    assert [r["v"] for r in remote.select(query, substitutions={"v": hostile})] == [hostile]
    assert [r["v"] for r in store.select(query, substitutions={"v": hostile})] == [hostile]


def test_a_malformed_query_is_a_syntax_error(remote: RemoteStore) -> None:
    from cstograph.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError):
        remote.query("SELECT ?x WHERE { ?x ")


def test_quads_and_dump_read_the_scoped_graphs(remote: RemoteStore, store: GraphStore) -> None:
    state = ox.NamedNode("https://w3id.org/cstograph/id/state/ARM")
    local = {(q.predicate.value, _key(q.object), q.graph_name.value) for q in store.quads(state)}  # type: ignore[union-attr]
    there = {(q.predicate.value, _key(q.object), q.graph_name.value) for q in remote.quads(state)}  # type: ignore[union-attr]
    assert there == local and local
    graph = str(GRAPH["states"])
    dumped = remote.dump(format=ox.RdfFormat.N_TRIPLES, graph=graph)
    assert dumped is not None and len(list(ox.parse(dumped, format=ox.RdfFormat.N_TRIPLES))) == store.sizes()[graph]


def _get(url: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback only
        return r.status, dict(r.headers), r.read()


@pytest.fixture(scope="module")
def front(published: Server, session_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``serve --store URL`` with no answer cache (every query crosses the front to the server), beside the build
    it published: it opens that build's snapshot instead of computing one from the server."""
    server = start_server(["--store", published.query_url, "--result-cache-mb", "0"],
                          tmp_path_factory.mktemp("front") / "front.log", timeout=240,
                          global_args=["--build-dir", str(session_settings.build_dir)])
    try:
        yield server.sparql
    finally:
        stop_server(server)


def test_serve_store_url_fronts_the_server(front: str, store: GraphStore) -> None:
    """``cstograph serve --store URL``: the protocol, a named query and a page, answered from the server (its
    start-up computed the snapshot from the server: VoID statistics, compliance, default answers, dumps)."""
    base = front.removesuffix("/sparql")
    _, _, body = _get(base + "/health", "application/json")
    assert str(len(store)) in body.decode()
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cstograph/ontology#State> }"
    _, _, body = _get(front + "?" + urllib.parse.urlencode({"query": query}))
    n = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    assert int(n) == int(store.select(query)[0]["n"].value)
    status, _, body = _get(base + "/queries/examples/01-treaty-signatories", "text/csv")
    assert status == 200 and body.count(b"\n") > 1
    status, _, body = _get(base + "/id/state/ARM.ttl", "text/turtle")
    assert status == 200 and b"Armenia" in body


def test_the_front_opens_the_snapshot_of_the_build_it_published(front: str, published: Server,
                                                                 session_settings: Settings) -> None:
    """``publish`` records the build's snapshot in a graph of its own (which no scoped query sees);
    ``serve --store URL`` beside that build opens its snapshot: the same entity tags as the build's."""
    from cstograph.snapshot import PUBLICATION_GRAPH, published_snapshot

    snapshot = json.loads((session_settings.current_build / "snapshot" / "snapshot.json").read_text())["id"]
    assert published_snapshot(RemoteStore(published.query_url, graphs=[])) == snapshot
    assert PUBLICATION_GRAPH not in RemoteStore(published.query_url, graph_prefix=str(GRAPH)).graph_names()
    _, headers, _ = _get(front.removesuffix("/sparql") + "/.well-known/void", "text/turtle")
    etag = {k.lower(): v for k, v in headers.items()}["etag"]
    assert etag.startswith(f'W/"{snapshot}-'), etag


def test_the_front_sends_queries_itself_and_stops_them_at_the_limit(published: Server, session_settings: Settings,
                                                                   store: GraphStore, tmp_path: Path) -> None:
    """A remote store's server evaluates, so the front runs no query sandbox: its web workers send each query
    themselves, waiting at most the query's time limit (then 503, the server being left to finish it). Cheap
    queries and CONSTRUCT answer as before, and so does the rest of the front."""
    if published.name != "oxigraph":
        pytest.skip("the runaway below is sized for oxigraph serve (Virtuoso plans it differently)")
    server = start_server(["--store", published.query_url, "--result-cache-mb", "0", "--timeout", "1"],
                          tmp_path / "front.log", timeout=240,
                          global_args=["--build-dir", str(session_settings.build_dir)])
    try:
        titles = list(server_processes(server).values())
        assert not [t for t in titles if "query sandbox" in t or "query pool" in t], titles
        assert [t for t in titles if "validation pool" in t], titles  # posted data is still parsed in a sandbox
        runaway = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a a ?c } GRAPH ?g2 { ?d a ?t } }")  # seconds there
        started = time.monotonic()
        status, _, body = _post(server.sparql, [("query", runaway)], "application/sparql-results+json")
        assert status == 503 and b"time limit of 1 s" in body, body[:300]
        assert time.monotonic() - started < 6  # not the seconds the server takes: the limit (+ a noisy machine)
        construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t FILTER(?t = <https://w3id.org/cstograph/ontology#State>) }"
        status, ctype, body = _post(server.sparql, [("query", construct)], "text/turtle")
        assert status == 200 and ctype.startswith("text/turtle"), body[:300]
        result = store.query(construct)
        assert isinstance(result, ox.QueryTriples)
        expected = {ox.Quad(*t) for t in result}
        assert expected and set(ox.parse(body, format=ox.RdfFormat.TURTLE)) == expected
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cstograph/ontology#State> }"
        status, _, body = _post(server.sparql, [("query", query)], "application/sparql-results+json")
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(expected)
    finally:
        stop_server(server)


def test_store_location_reads_urls_and_folders(tmp_path: Path) -> None:
    assert StoreLocation.parse("http://127.0.0.1:1/q").kind == "url"
    assert StoreLocation.parse(str(tmp_path)).kind == "dir"
    from cstograph.errors import InputError

    with pytest.raises(InputError):
        StoreLocation.parse("ftp://example.org/x")
    with pytest.raises(InputError):
        StoreLocation.parse(str(tmp_path)).open()


# --- the front passes the server's own serialisation through ------------------------------------------------
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
EXAMPLES = load_queries(QUERIES, "examples")


def _post(url: str, fields: list[tuple[str, str]], accept: str) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback only
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def _legacy(body: bytes) -> bytes:
    """Virtuoso's JSON with its legacy forms rewritten (SPARQL 1.1 JSON: no ``typed-literal``, canonical
    booleans), as the front rewrites it: written here on its own, not by the code under test."""
    data = json.loads(body)
    for binding in data.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == "http://www.w3.org/2001/XMLSchema#boolean" and term["value"] in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(data).encode()


def _legacy_xml(body: bytes) -> bytes:
    """A server's XML results with ``1``/``0`` booleans written ``true``/``false``, as the front rewrites them
    (none on the tested servers: Virtuoso writes ``1``/``0`` in its JSON only). Written here on its own."""
    boolean = b'datatype="http://www.w3.org/2001/XMLSchema#boolean">'
    return body.replace(boolean + b"1<", boolean + b"true<").replace(boolean + b"0<", boolean + b"false<")


def _csv_rows(body: bytes) -> Counter[tuple[str, ...]]:
    import csv
    import io

    def cell(text: str) -> str:  # as _key compares terms: blank nodes alike, GROUP_CONCAT parts as a bag
        if text.startswith("_:") or "/.well-known/genid/" in text:
            return "blank"
        return " ".join(sorted(re.split(r" \| |; | ", text)))

    return Counter(tuple(map(cell, row)) for row in list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:])


@pytest.mark.parametrize("short", sorted(RESULT_TYPES))
def test_the_front_passes_the_servers_answers_through(short: str, front: str, published: Server,
                                                      remote: RemoteStore, store: GraphStore) -> None:
    """Each example query through ``/sparql`` of the front, in each results format: the bytes the server
    itself answers to the same request (its JSON with Virtuoso's legacy forms rewritten; CSV and TSV written
    from its XML, Virtuoso's own TSV not being SPARQL TSV), the asked Content-Type, and the embedded store's
    rows."""
    from cstograph.server.negotiation import RESULT_FORMATS
    from cstograph.store import bind_values

    fmt = next(f for f in RESULT_FORMATS if f.short == short)
    graphs = remote.graph_names()
    for name, query in sorted(EXAMPLES.items()):
        text = bind_values(query.text, named_substitutions(query, {}))
        status, ctype, body = _post(front, [("query", text)], RESULT_TYPES[short])
        assert (status, ctype) == (200, fmt.content_type), (name, body[:300])
        scoped = [("query", text), *[("default-graph-uri", g) for g in graphs],
                  *[("named-graph-uri", g) for g in graphs]]
        _, _, direct = _post(published.query_url, scoped, RESULT_TYPES[short])
        if short == "json":
            assert json.loads(body) == json.loads(direct) or b"typed-literal" in direct, name
        elif short == "xml":
            assert body == _legacy_xml(direct), name
        else:  # CSV, TSV: the server's XML answer, written as the embedded store writes it
            _, _, answer = _post(published.query_url, scoped, RESULT_TYPES["xml"])
            solutions = ox.parse_query_results(_legacy_xml(answer), format=ox.QueryResultsFormat.XML)
            assert body == solutions.serialize(format=fmt.oxigraph), name  # type: ignore[arg-type]
        if short == "csv":
            expected = store.query(text).serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
            assert _csv_rows(body) == _csv_rows(expected), name
            continue
        there = ox.parse_query_results(body, format=fmt.oxigraph)  # type: ignore[arg-type]
        assert _answers(there) == _answers(store.query(text)), name


def test_the_front_applies_its_caps_to_passed_answers(published: Server, tmp_path: Path) -> None:
    """The row and byte caps hold on the server's own serialisation whatever its layout: 422, never 500."""
    server = start_server(["--store", published.query_url, "--result-cache-mb", "0", "--max-rows", "2"],
                          tmp_path / "front.log", timeout=240,  # no build here: the snapshot comes from the server
                          global_args=["--build-dir", str(tmp_path / "no-build")])
    try:
        states = "SELECT ?s ?l WHERE { ?s a <https://w3id.org/cstograph/ontology#State> ; rdfs:label ?l }"
        prologue = sparql_prefixes("rdfs")
        for media_type in RESULT_TYPES.values():
            status, _, body = _post(server.sparql, [("query", prologue + states)], media_type)
            assert status == 422 and b"limit of 2 rows" in body, (media_type, body[:300])
            status, _, body = _post(server.sparql, [("query", prologue + states + " LIMIT 2")], media_type)
            assert status == 200, (media_type, body[:300])
            status, _, body = _post(server.sparql, [("query", "SELECT ?x WHERE { ?x ?y }")], media_type)
            assert status == 400, (media_type, body[:300])
    finally:
        stop_server(server)
