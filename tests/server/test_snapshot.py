"""The published snapshot (issue 11): written by the build, opened by the server, and what it buys — entity
tags (the same from every server of one build), 304s, answers that never change until the next build."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.namespaces import sparql_prefixes
from cstograph.pipeline import BuildResult
from cstograph.snapshot import FOLDER, RESULT_FORMATS, Snapshot
from cstograph.store import GraphStore, named_substitutions

from ..conftest import PROJECT_DIR, RunningServer, start_server, stop_server
from .conftest import request


@pytest.fixture(scope="module")
def replicas(built: BuildResult,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Two servers of the same build (``serve`` with the session's build folder)."""
    folder = tmp_path_factory.mktemp("replicas")
    build_dir = ["--build-dir", str(built.path.parent)]
    first = start_server([], folder / "a.log", global_args=build_dir)
    try:
        second = start_server([], folder / "b.log", global_args=build_dir)
        try:
            yield first, second
        finally:
            stop_server(second)
    finally:
        stop_server(first)


def _equivalent(a: bytes, b: bytes, content_type: str) -> bool:
    """Equal bytes, or (RDF) the same triples up to the naming of blank nodes."""
    syntax = {"text/turtle": ox.RdfFormat.TURTLE, "application/trig": ox.RdfFormat.TRIG}.get(
        content_type.split(";")[0])
    if syntax is None:
        return a == b

    def ground(body: bytes) -> tuple[int, set[str]]:
        quads = list(ox.parse(body, format=syntax))
        return len(quads), {str(q) for q in quads if "_:" not in str(q)}

    return ground(a) == ground(b)


def test_the_build_writes_the_snapshot(built: BuildResult) -> None:
    snapshot = Snapshot.open(built.path / FOLDER)
    assert snapshot.triples == sum(snapshot.sizes.values())
    assert snapshot.site.root == "https://w3id.org/cstograph/id/organization/csto"
    assert {q.group for q in snapshot.queries} == {"examples", "checks"}
    assert snapshot.compliance and all(f.verdict for f in snapshot.compliance)
    assert "examples/01-treaty-signatories" in snapshot.results
    answer = json.loads(snapshot.results["examples/01-treaty-signatories"]["json"])
    assert len(answer["results"]["bindings"]) > 0
    with gzip.open(snapshot.dumps["cstograph.nq.gz"]) as packed:
        assert packed.read() == snapshot.dumps["cstograph.nq"].read_bytes()


def test_the_snapshots_answers_are_a_live_evaluations(built: BuildResult, tmp_path: Path) -> None:
    """Each named query's precomputed answer (evaluated once, then written in each format) is, byte for byte,
    what a new evaluation on the same store writes in that format."""
    store = GraphStore.from_files([built.path / "dataset.nq"])
    snapshot = Snapshot.compute(store, queries_dir=PROJECT_DIR / "queries", snapshot_id="test", folder=tmp_path)
    named = {f"{q.group}/{q.name}": q for q in snapshot.queries}
    assert len(snapshot.results) > 10
    for key, answers in snapshot.results.items():
        query = named[key]
        for short, fmt in RESULT_FORMATS.items():
            live = store.query(query.text, substitutions=named_substitutions(query, {}) or None)
            assert not isinstance(live, ox.QueryTriples)
            assert answers[short] == live.serialize(format=fmt), (key, short)


@pytest.mark.parametrize("path, accept", [
    ("/id/state/ARM.html", "text/html"), ("/id/state/ARM.ttl", "text/turtle"), ("/.well-known/void", "text/turtle"),
    ("/sparql", "text/turtle"), ("/compliance", "application/json"), ("/ontology", "text/html"),
    ("/queries/examples/01-treaty-signatories", "application/sparql-results+json"), ("/timeline", "*/*"),
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"), ("/dumps/cstograph.trig", "*/*"),
])
def test_answers_carry_one_entity_tag_per_build_and_304_when_unchanged(
        replicas: tuple[RunningServer, RunningServer], path: str, accept: str) -> None:
    first, second = replicas
    headers = {"Accept": accept, "Host": "cstograph.example"}  # as behind a load balancer: one public host
    a = request(first, "GET", path, headers=headers)
    b = request(second, "GET", path, headers=headers)
    assert a.status == b.status == 200
    assert _equivalent(a.body, b.body, a.headers["content-type"])
    assert a.headers["etag"] == b.headers["etag"]  # the same from every replica of the build
    assert "max-age" in a.headers["cache-control"]
    again = request(second, "GET", path, headers={**headers, "If-None-Match": a.headers["etag"]})
    assert again.status == 304 and again.body == b""
    other = request(second, "GET", path, headers={**headers, "If-None-Match": 'W/"another-build-1"'})
    assert other.status == 200


def test_the_dump_is_the_build_file_and_gzip_when_accepted(replicas: tuple[RunningServer, RunningServer],
                                                           built: BuildResult) -> None:
    first, _ = replicas
    plain = request(first, "GET", "/dumps/cstograph.nq", headers={"Accept-Encoding": "identity"})
    assert plain.body == (built.path / "dataset.nq").read_bytes()
    packed = request(first, "GET", "/dumps/cstograph.nq", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and gzip.decompress(packed.body) == plain.body
    assert "accept-encoding" in packed.headers["vary"].lower()


def test_void_statistics_come_from_the_snapshot(replicas: tuple[RunningServer, RunningServer],
                                                built: BuildResult) -> None:
    first, _ = replicas
    store = ox.Store()
    store.load(request(first, "GET", "/.well-known/void", headers={"Accept": "text/turtle"}).body,
               format=ox.RdfFormat.TURTLE)
    (row,) = store.query(sparql_prefixes("void") + "SELECT ?n WHERE { "
                         "<https://w3id.org/cstograph/void#cstograph> void:triples ?n }")
    served = sum(1 for line in (built.path / "dataset.nq").read_bytes().splitlines() if line.strip())
    assert int(row["n"].value) == served


def test_named_query_answers_come_from_the_snapshot(replicas: tuple[RunningServer, RunningServer],
                                                    built: BuildResult) -> None:
    first, _ = replicas
    snapshot = Snapshot.open(built.path / FOLDER)
    reply = request(first, "GET", "/queries/examples/01-treaty-signatories",
                    headers={"Accept": "application/sparql-results+json"})
    assert reply.body == snapshot.results["examples/01-treaty-signatories"]["json"]


def test_serving_plain_files_computes_the_snapshot(tmp_path: Path) -> None:
    from cstograph.server import ServerConfig
    from cstograph.server.app import open_snapshot

    data = tmp_path / "d.ttl"
    data.write_text("<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\"@en .\n")
    store = GraphStore.from_files([data])
    snapshot = open_snapshot(store, ServerConfig(), snapshot_id="files-1")
    assert snapshot.id == "files-1" and snapshot.triples == 1
    assert snapshot.dumps["cstograph.nq"].read_bytes().count(b"\n") == 1


class _CountingStore:
    """The real store, counting the SPARQL queries asked of it."""

    def __init__(self, store: object) -> None:
        self._store = store
        self.queries: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def query(self, sparql: str, **options: object) -> object:
        self.queries.append(sparql)
        return self._store.query(sparql, **options)  # type: ignore[attr-defined]

    def select(self, sparql: str, **options: object) -> object:
        self.queries.append(sparql)
        return self._store.select(sparql, **options)  # type: ignore[attr-defined]


def test_start_up_from_a_build_runs_no_query(built: BuildResult, store: object) -> None:
    """Regression (issue 13, serve --store DIR at 1M took 9 s): with the build's snapshot, start-up reads no
    triple — sizes, the label index (SQLite, read in place) and the query page's vocabulary (VoID partitions)
    come from the snapshot; search and the vocabulary still answer."""
    from cstograph.server import ServerConfig, create_app
    from tests.conftest import PROJECT_DIR

    counting = _CountingStore(store)
    app = create_app(ServerConfig(queries_dir=PROJECT_DIR / "queries"), counting,  # type: ignore[arg-type]
                     snapshot=Snapshot.open(built.path / FOLDER))
    assert counting.queries == []
    client = app.test_client()
    hits = client.get("/api/search?q=armenia").get_json()["results"]
    assert hits[0]["iri"] == "https://w3id.org/cstograph/id/state/ARM"
    vocabulary = client.get("/api/vocabulary").get_json()
    assert any(t["curie"] == "cst:State" and t["labels"].get("en") for t in vocabulary["classes"])
    assert counting.queries == []
