"""The SPARQL endpoint in-process (Flask test client): protocol, conneg, safety, limits, named queries.

Real server processes and real clients are in test_clients.py and test_conformance.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from cstograph.server import ServerConfig, create_app
from cstograph.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, NotAcceptable, negotiate
from cstograph.store import GraphStore

EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"
DATA = f"""
@prefix ex: <{EX}> .
<{G1}> {{ ex:a ex:p ex:b . ex:a ex:label "A" . }}
<{G2}> {{ ex:c ex:p ex:d . ex:c ex:label "C"@en . }}
"""
JSON = "application/sparql-results+json"
RUNAWAY = ("SELECT (COUNT(*) AS ?c) WHERE { " + " ".join(
    f"VALUES ?v{k} {{ {' '.join(str(i) for i in range(30))} }}" for k in range(4)) + " }")


def make_queries_dir(root: Path) -> Path:
    (root / "examples").mkdir(parents=True)
    (root / "checks").mkdir()
    (root / "examples" / "things-with-p.rq").write_text(
        "#+ summary: Things linked by ex:p to a given object\n"
        "#+ param: object iri http://example.org/b\n"
        f"PREFIX ex: <{EX}>\nSELECT ?s ?object WHERE {{ ?s ex:p ?object }} ORDER BY ?s\n", encoding="utf-8")
    (root / "examples" / "labelled.rq").write_text(
        "#+ summary: Resources with a given label\n"
        "#+ param: label xsd:string A\n"
        f"PREFIX ex: <{EX}>\nSELECT ?s ?label WHERE {{ ?s ex:label ?label }}\n", encoding="utf-8")
    (root / "checks" / "nothing-violation.rq").write_text(
        "#+ summary: Never any rows\nSELECT ?s WHERE { ?s ?p ?o FILTER(false) }\n", encoding="utf-8")
    return root


def make_store(tmp_path: Path) -> GraphStore:
    path = tmp_path / "data.trig"
    path.write_text(DATA, encoding="utf-8")
    return GraphStore.from_files([path])


@pytest.fixture()
def store(tmp_path: Path) -> GraphStore:
    return make_store(tmp_path)


def app_for(store: GraphStore, tmp_path: Path, **config: object) -> Flask:
    cfg = ServerConfig(queries_dir=make_queries_dir(tmp_path / "queries"), **config)  # type: ignore[arg-type]
    app = create_app(cfg, store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def client(store: GraphStore, tmp_path: Path) -> FlaskClient:
    return app_for(store, tmp_path).test_client()


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    data = json.loads(response.data)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


# --- Protocol §2.1: the three ways to send a query -----------------------------------------------------------
Q = f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"


def test_get(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": Q}, headers={"Accept": JSON})
    assert r.status_code == 200 and r.mimetype == JSON
    assert rows(r) == [{"s": EX + "a"}, {"s": EX + "c"}]


def test_post_form(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"query": Q}, headers={"Accept": JSON})
    assert r.status_code == 200 and rows(r) == [{"s": EX + "a"}, {"s": EX + "c"}]


def test_post_direct(client: FlaskClient) -> None:
    r = client.post("/sparql", data=Q.encode(), content_type="application/sparql-query", headers={"Accept": JSON})
    assert r.status_code == 200 and rows(r) == [{"s": EX + "a"}, {"s": EX + "c"}]


def test_default_graph_is_union_and_protocol_dataset_selects(client: FlaskClient) -> None:
    assert len(rows(client.get("/sparql", query_string={"query": Q}))) == 2
    r = client.get("/sparql", query_string=[("query", Q), ("default-graph-uri", G2)])
    assert rows(r) == [{"s": EX + "c"}]
    r = client.get("/sparql", query_string=[("query", Q), ("named-graph-uri", G2)])
    assert rows(r) == []  # only named graphs given: the default graph is empty (§2.1.4)


def test_from_clause_is_honoured_with_union_default(client: FlaskClient) -> None:
    q = f"SELECT ?s FROM <{G1}> WHERE {{ ?s <{EX}p> ?o }}"
    assert rows(client.get("/sparql", query_string={"query": q})) == [{"s": EX + "a"}]


def test_default_graph_can_be_the_files_own(tmp_path: Path) -> None:
    ttl = tmp_path / "plain.ttl"
    ttl.write_text(f"<{EX}x> <{EX}p> <{EX}y> .\n", encoding="utf-8")
    trig = tmp_path / "data.trig"
    trig.write_text(DATA, encoding="utf-8")
    union = GraphStore.from_files([ttl, trig])
    assert ttl.resolve().as_uri() in union.graph_names()
    assert len(union.select(Q)) == 3
    own = GraphStore.from_files([ttl, trig], union_default_graph=False)
    assert own.graph_names() == [G1, G2]
    assert [str(r["s"].value) for r in own.select(Q)] == [EX + "x"]


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"})
    assert rows(r) == [{"x": "http://localhost/thing"}]


# --- content negotiation ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.short)
def test_select_in_every_results_format(client: FlaskClient, fmt) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/sparql", query_string={"query": Q}, headers={"Accept": fmt.media_type})
    assert r.status_code == 200 and r.mimetype == fmt.media_type
    assert "Accept" in r.headers.get("Vary", "")
    if fmt.short == "csv":  # lossy: Oxigraph does not parse it back
        assert r.data == f"s\r\n{EX}a\r\n{EX}c\r\n".encode()
        return
    parsed = ox.parse_query_results(r.data, format=fmt.oxigraph)
    assert [str(s["s"]) for s in parsed] == [f"<{EX}a>", f"<{EX}c>"]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.short)
def test_construct_in_every_graph_format(client: FlaskClient, fmt) -> None:  # type: ignore[no-untyped-def]
    q = f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}p> ?o }}"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": fmt.media_type})
    assert r.status_code == 200 and r.mimetype == fmt.media_type
    assert len(list(ox.parse(r.data, format=fmt.oxigraph))) == 2


def test_qvalues_and_format_parameter(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}"},
                   headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml"})
    assert r.mimetype == "application/sparql-results+xml"
    r = client.get("/sparql", query_string={"query": Q, "format": "csv"}, headers={"Accept": JSON})
    assert r.mimetype == "text/csv" and r.data.startswith(b"s\r\n")


def test_406_when_nothing_acceptable(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and b"application/sparql-results+json" in r.data
    q = "CONSTRUCT { <a:s> <a:p> <a:o> } WHERE {}"
    assert client.get("/sparql", query_string={"query": q}, headers={"Accept": "image/png"}).status_code == 406


def test_a_graph_for_a_client_that_offers_only_results_formats_comes_as_turtle(client: FlaskClient) -> None:
    """roqet asks a CONSTRUCT for application/sparql-results+xml only: it gets RDF/XML (as the big servers
    answer), not a 406 — and never a results document mislabelled as a graph."""
    q = "CONSTRUCT { <a:s> <a:p> <a:o> } WHERE {}"
    for accept, media, syntax in (("text/csv", "text/turtle", ox.RdfFormat.TURTLE),
                                  ("application/sparql-results+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
                                  ("application/sparql-results+json", "application/ld+json", ox.RdfFormat.JSON_LD)):
        r = client.get("/sparql", query_string={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == media
        assert [str(t) for t in ox.parse(r.data, format=syntax)] == ["<a:s> <a:p> <a:o>"]


def test_negotiate_prefers_specific_over_wildcard() -> None:
    assert negotiate("*/*;q=0.9, text/csv", RESULT_FORMATS).short == "csv"
    assert negotiate("text/*", RESULT_FORMATS).short == "csv"
    assert negotiate(None, GRAPH_FORMATS).short == "turtle"
    assert negotiate("application/json", RESULT_FORMATS).short == "json"
    with pytest.raises(NotAcceptable):
        negotiate("text/csv;q=0", RESULT_FORMATS[2:3])


def test_service_description_and_query_page(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.predicate.value == sd + "endpoint" and t.object.value == "http://localhost/sparql" for t in triples)
    assert {t.object.value for t in triples if t.predicate.value == sd + "name"} == {G1, G2}
    sizes = [t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#triples"]
    assert sorted(sizes) == ["2", "2", "4"]  # each named graph, and the union default graph
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html" and b"<textarea" in page.data
    assert b"examples/things-with-p" in page.data  # the named examples, ready to run


# --- errors -------------------------------------------------------------------------------------------------
def test_malformed_query_gives_400_with_position(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and b"1:" in r.data and b"malformed query" in r.data


@pytest.mark.parametrize("how", ["direct", "form", "get", "query-param"])
def test_updates_are_refused_and_change_nothing(client: FlaskClient, store: GraphStore, how: str) -> None:
    before = len(store)
    upd = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}x> <{EX}y> <{EX}z> }} }}"
    if how == "direct":
        r = client.post("/sparql", data=upd, content_type="application/sparql-update")
    elif how == "form":
        r = client.post("/sparql", data={"update": upd})
    elif how == "get":
        r = client.get("/sparql", query_string={"update": upd})
    else:
        r = client.get("/sparql", query_string={"query": "PREFIX ex: <http://e/> " + upd})
    assert r.status_code == 403 and b"read-only" in r.data
    assert len(store) == before


def test_wrong_method_and_media_type(client: FlaskClient) -> None:
    assert client.put("/sparql", data=Q).status_code == 405
    assert client.post("/sparql", data=Q, content_type="text/plain").status_code == 415
    assert client.post("/sparql", data=Q.encode("utf-16"),
                       content_type="application/sparql-query; charset=UTF-16").status_code == 415
    assert client.get("/sparql", query_string=[("query", Q), ("query", Q)]).status_code == 400
    assert client.get("/sparql", query_string={"query": ""}).status_code == 400


@pytest.mark.parametrize(("how", "what"), [("get", b"the query string"), ("form escaped", b"the form"),
                                           ("form raw", b"the form"), ("direct", b"the query")])
def test_text_that_is_not_utf8_is_a_400_naming_where(client: FlaskClient, how: str, what: bytes) -> None:
    """Not read with replacement characters (a different query from the one sent): refused, saying where."""
    if how == "get":
        r = client.get("/sparql?query=ASK%7B%7D&format=%FF")
    elif how == "form escaped":
        r = client.post("/sparql", data=b"query=ASK%7B%7D&format=%FF", content_type="application/x-www-form-urlencoded")
    elif how == "form raw":
        r = client.post("/sparql", data=b"query=ASK%7B%7D&x=\xff", content_type="application/x-www-form-urlencoded")
    else:
        r = client.post("/sparql", data=b"ASK { FILTER(\"\xff\") }", content_type="application/sparql-query")
    assert r.status_code == 400, r.data
    assert what + b" is not valid UTF-8" in r.data


def test_request_body_over_limit_is_413(store: GraphStore, tmp_path: Path) -> None:
    client = app_for(store, tmp_path, max_body_bytes=1000).test_client()
    r = client.post("/sparql", data=("#" * 2000 + "\nASK {}").encode(), content_type="application/sparql-query")
    assert r.status_code == 413 and b"1000 bytes" in r.data


# --- safety: nothing is fetched or read ---------------------------------------------------------------------
def test_service_refused_by_default(client: FlaskClient) -> None:
    for q in ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
              "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/x> { ?s ?p ?o } }",
              "SELECT * WHERE { BIND(<http://127.0.0.1:9/y> AS ?e) SERVICE ?e { ?s ?p ?o } }",
              "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o .service e:z { ?s ?p ?o } }"):
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 400 and b"SERVICE" in r.data, q


def test_service_allowlist_admits_only_listed_constant_endpoints(store: GraphStore, tmp_path: Path) -> None:
    client = app_for(store, tmp_path, service_allowlist=("http://127.0.0.1:9/ok",)).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/no> { ?s ?p ?o } }"})
    assert r.status_code == 400 and b"not allowed" in r.data
    r = client.get("/sparql", query_string={"query": "SELECT * { BIND(<http://127.0.0.1:9/ok> AS ?e) "
                                                     "SERVICE ?e { ?s ?p ?o } }"})
    assert r.status_code == 400 and b"variable" in r.data
    # An allow-listed endpoint is called (here nothing listens on port 9: Oxigraph refuses it: 502).
    r = client.get("/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/ok> { ?s ?p ?o } }"})
    assert r.status_code == 502


def test_from_file_iri_does_not_read_the_file(client: FlaskClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:s> <urn:p> "top-secret" .\n', encoding="utf-8")
    r = client.post("/sparql", data={"query": f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200 and b"top-secret" not in r.data and rows(r) == []


# --- limits -------------------------------------------------------------------------------------------------
def test_runaway_query_is_answered_503(store: GraphStore, tmp_path: Path) -> None:
    client = app_for(store, tmp_path, query_timeout=0.05).test_client()
    r = client.post("/sparql", data=RUNAWAY, content_type="application/sparql-query")
    assert r.status_code == 503 and b"time limit" in r.data
    # a client may lower the limit but not raise it
    r = client.post("/sparql?timeout=100", data=RUNAWAY, content_type="application/sparql-query")
    assert r.status_code == 503
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert json.loads(client.get("/metrics").data)["timeouts"] == 2


def test_client_may_lower_the_time_limit(client: FlaskClient) -> None:
    r = client.post("/sparql?timeout=0.05", data=RUNAWAY, content_type="application/sparql-query")
    assert r.status_code == 503
    assert client.get("/sparql", query_string={"query": "ASK {}", "timeout": "x"}).status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    client = app_for(store, tmp_path, max_rows=3).test_client()
    ok = client.get("/sparql", query_string={"query": "SELECT ?x { VALUES ?x { 1 2 3 } }", "format": fmt})
    assert ok.status_code == 200
    r = client.get("/sparql", query_string={"query": "SELECT ?x { VALUES ?x { 1 2 3 4 } }", "format": fmt})
    assert r.status_code == 422 and b"more than the limit of 3 rows" in r.data


def test_byte_cap(store: GraphStore, tmp_path: Path) -> None:
    client = app_for(store, tmp_path, max_result_bytes=5000).test_client()
    q = "SELECT ?x { VALUES ?a { " + " ".join(map(str, range(100))) + " } BIND(STR(?a) AS ?x) }"
    ok = client.get("/sparql", query_string={"query": q + " LIMIT 5"})
    assert ok.status_code == 200
    r = client.get("/sparql", query_string={"query": q.replace("?x {", "?x ?a {")})
    assert r.status_code == 422 and b"5000 bytes" in r.data


# --- CORS, health, metrics ------------------------------------------------------------------------------------
def test_cors_default_public_without_credentials(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers
    pre = client.options("/sparql", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]


def test_cors_can_be_disabled(store: GraphStore, tmp_path: Path) -> None:
    client = app_for(store, tmp_path, cors_origin="").test_client()
    assert "Access-Control-Allow-Origin" not in client.get("/sparql", query_string={"query": "ASK {}"}).headers


def test_health_and_metrics(client: FlaskClient) -> None:
    health = json.loads(client.get("/health").data)
    assert health["status"] == "ok" and health["triples"] == 4 and health["graphs"] == 2 and health["snapshot"]
    client.get("/sparql", query_string={"query": "ASK {}"})
    client.get("/sparql", query_string={"query": "ASK {"})
    m = json.loads(client.get("/metrics").data)
    assert m["queries"] >= 2 and m["client_errors"] >= 1 and m["requests"] >= 3
    assert sum(m["latency_histogram"].values()) == m["queries"]


# --- named queries -----------------------------------------------------------------------------------------
def test_named_query_list(client: FlaskClient) -> None:
    data = json.loads(client.get("/queries").data)
    names = {f"{q['group']}/{q['name']}" for q in data["queries"]}
    assert names == {"examples/things-with-p", "examples/labelled", "checks/nothing-violation"}


def test_named_query_binds_parameters_by_substitution(client: FlaskClient) -> None:
    r = client.get("/queries/examples/things-with-p", headers={"Accept": JSON})
    assert rows(r) == [{"s": EX + "a", "object": EX + "b"}]
    r = client.get("/queries/examples/things-with-p", query_string={"object": EX + "d"}, headers={"Accept": JSON})
    assert rows(r) == [{"s": EX + "c", "object": EX + "d"}]
    r = client.get("/queries/examples/labelled", query_string={"label": '" } ; DROP ALL ; #'})
    assert r.status_code == 200 and rows(r) == []  # a value, never query text
    assert client.get("/queries/examples/things-with-p", query_string={"object": "not an iri"}).status_code == 400
    assert client.get("/queries/examples/things-with-p", query_string={"nope": "1"}).status_code == 400
    assert client.get("/queries/examples/missing").status_code == 404
    assert client.get("/queries/other/x").status_code == 404
    assert rows(client.get("/queries/checks/nothing-violation")) == []


def test_query_runner_reuses_threads_and_survives_a_stuck_task() -> None:
    import threading

    from cstograph.server.limits import QueryRunner, QueryTimeout

    runner = QueryRunner()
    assert runner.run(lambda: 1, 5) == 1
    release = threading.Event()
    with pytest.raises(QueryTimeout):
        runner.run(release.wait, 0.01)
    assert runner.run(lambda: 2, 5) == 2  # another thread answers while the first one is stuck
    release.set()
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0, 5)
    names = {t.name for t in threading.enumerate()}
    assert "cstograph-query" in names


def test_plain_json_means_results_json_or_json_ld(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert r.mimetype == "application/sparql-results+json"
    q = "CONSTRUCT { <a:s> <a:p> <a:o> } WHERE {}"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
