"""The snapshot module (``cstograph.snapshot``) on a tiny store: what it computes (sizes, VoID statistics, site
settings, the label index, the named queries' answers), that what it writes opens as it was computed, and its
identifiers. How a server serves a snapshot (entity tags, 304s, two replicas of one build) is in
``tests/server/test_snapshot.py``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.namespaces import CST, DCTERMS, GRAPH, ID, RDF, RDFS, SKOS, VOID, VOID_BASE
from cstograph.snapshot import (
    FORMAT,
    LABELS,
    PUBLICATION_GRAPH,
    RESULT_FORMATS,
    Snapshot,
    normalise,
    publication_record,
    published_snapshot,
    snapshot_id,
    write_snapshot,
)
from cstograph.store import GraphStore

ARM, RUS = f"{ID}state/ARM", f"{ID}state/RUS"
DATA = f"""
<{GRAPH}states> {{
  <{ARM}> a <{CST}State> ; <{RDFS.label}> "Armenia"@en , "Армения"@ru ; <{SKOS.altLabel}> "Hayastan"@en ;
          <{SKOS.exactMatch}> <http://www.wikidata.org/entity/Q399> .
  <{RUS}> a <{CST}State> ; <{RDFS.label}> "Russia"@en .
  <http://example.org/elsewhere> <{RDFS.label}> "not ours"@en .
}}
<{GRAPH}dataset> {{
  <{VOID_BASE}cstograph> a <{VOID.Dataset}> ; <{DCTERMS.title}> "Tiny"@en , "Крошечный"@ru ;
      <{VOID.rootResource}> <{ARM}> ; <{VOID.exampleResource}> <{RUS}> , <{ARM}> ;
      <{CST.featuredResource}> ( <{RUS}> <{ARM}> ) .
}}
"""
QUERY = ("#+ summary: The states\n"
         f"SELECT ?s WHERE {{ ?s a <{CST}State> }} ORDER BY ?s\n")
TODAY = ("#+ summary: The states on a day\n#+ param: day xsd:date today\n"
         f"SELECT ?s WHERE {{ ?s a <{CST}State> }}\n")


@pytest.fixture()
def store(tmp_path: Path) -> GraphStore:
    path = tmp_path / "data.trig"
    path.write_text(DATA, encoding="utf-8")
    return GraphStore.from_files([path])


@pytest.fixture()
def queries(tmp_path: Path) -> Path:
    root = tmp_path / "queries"
    (root / "examples").mkdir(parents=True)
    (root / "examples" / "states.rq").write_text(QUERY, encoding="utf-8")
    (root / "examples" / "on-a-day.rq").write_text(TODAY, encoding="utf-8")
    return root


def test_compute_describes_the_store(store: GraphStore, queries: Path, tmp_path: Path) -> None:
    snapshot = Snapshot.compute(store, queries_dir=queries, snapshot_id="s-1", folder=tmp_path)
    assert (snapshot.id, snapshot.triples) == ("s-1", len(store))
    assert snapshot.sizes == {str(GRAPH["dataset"]): 11, str(GRAPH["states"]): 8}
    assert snapshot.statistics["entities"] == 2  # typed resources under …/id/
    assert [str(CST.State), 2] in snapshot.statistics["classes"]  # type: ignore[operator]
    assert snapshot.statistics["linksets"] == [["http://www.wikidata.org/", 1]]
    site = snapshot.site
    assert site.title == {"en": "Tiny", "ru": "Крошечный"} and site.root == ARM
    assert site.examples == (ARM, RUS) and site.featured == (RUS, ARM)  # a list keeps its order
    assert {q.name for q in snapshot.queries} == {"states", "on-a-day"}
    assert list(snapshot.results) == ["examples/states"]  # "today" changes every day: not kept
    assert set(snapshot.results["examples/states"]) == set(RESULT_FORMATS)
    assert snapshot.results["examples/states"]["csv"].decode().split() == ["s", ARM, RUS]
    assert snapshot.compliance == ()  # no compliance query in these queries


def test_the_label_index_holds_our_resources_only(store: GraphStore, tmp_path: Path) -> None:
    snapshot = Snapshot.compute(store, queries_dir=None, snapshot_id="s-1", folder=tmp_path)
    db = sqlite3.connect(snapshot.labels)
    try:
        labels = sorted(db.execute("SELECT iri, language, text, alternative, key FROM label"))
        types = sorted(db.execute("SELECT iri, type FROM type"))
    finally:
        db.close()
    assert labels == [(ARM, "en", "Armenia", 0, "armenia"), (ARM, "en", "Hayastan", 1, "hayastan"),
                      (ARM, "ru", "Армения", 0, "армения"), (RUS, "en", "Russia", 0, "russia")]
    assert types == [(ARM, str(CST.State)), (RUS, str(CST.State)), (f"{VOID_BASE}cstograph", str(VOID.Dataset))]
    assert snapshot.labels == tmp_path / LABELS


def test_a_written_snapshot_opens_as_computed(store: GraphStore, queries: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    dump = build / "dataset.nq"
    dump.write_bytes(store.oxigraph.dump(format=ox.RdfFormat.N_QUADS) or b"")
    folder = write_snapshot(build, store, queries_dir=queries, dumps={"cstograph.nq": dump})
    assert json.loads((folder / "snapshot.json").read_text())["format"] == FORMAT
    opened = Snapshot.open(folder)
    computed = Snapshot.compute(store, queries_dir=queries, snapshot_id=opened.id, folder=tmp_path)
    for name in ("id", "triples", "sizes", "site", "results"):
        assert getattr(opened, name) == getattr(computed, name), name
    assert [(q.group, q.name, q.text, q.summary, q.params) for q in opened.queries] == [
        (q.group, q.name, q.text, q.summary, q.params) for q in computed.queries]
    assert opened.statistics == json.loads(json.dumps(computed.statistics))  # as JSON keeps it
    assert opened.dumps["cstograph.nq"].read_bytes() == dump.read_bytes()
    assert opened.named()["examples"]["states"].summary == "The states"


def test_another_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "snapshot.json").write_text(json.dumps({"format": FORMAT - 1}))
    with pytest.raises(ValueError, match="rebuild"):
        Snapshot.open(tmp_path)


def test_the_id_is_the_files_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"one")
    b.write_bytes(b"two")
    first = snapshot_id([a, b])
    assert snapshot_id([a, b]) == first and len(first) == 16
    assert snapshot_id([b, a]) != first
    b.write_bytes(b"tw")
    assert snapshot_id([a, b]) != first


def test_the_publication_record_names_the_snapshot(tmp_path: Path) -> None:
    record = tmp_path / "publication.nt"
    record.write_bytes(publication_record("abc123"))
    store = GraphStore.from_files([record], default_graph_name=PUBLICATION_GRAPH)
    assert published_snapshot(store) == "abc123"
    assert published_snapshot(GraphStore.from_files([])) is None


def test_the_search_key_folds_case_accents_and_yo() -> None:
    assert normalise("  Ёлка   ÉTÉ\tÇa ") == "елка ete ca"
    assert normalise(str(RDF.type)) == str(RDF.type).casefold()
