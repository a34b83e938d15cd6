"""The one loader and the one bridge: files into one Oxigraph store (a named graph per file, file:line:column
errors), rdflib views of it term by term, and a forced rebuild that re-validates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from cstograph.bridge import Terms, dataset_of, quads_of, triples_of
from cstograph.config import Settings
from cstograph.errors import InputError, RDFSyntaxError
from cstograph.load import graph_name_for, load_store
from cstograph.namespaces import GRAPH
from cstograph.pipeline import build


def test_each_file_in_its_named_graph_and_quads_keep_theirs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text("<urn:x:s> <urn:x:p> 'a' .\n")
    (data / "b.nq").write_text('<urn:x:s> <urn:x:p> "b" <urn:x:g> .\n')
    store = load_store([data / "a.ttl", data / "b.nq"], data_dir=data)
    assert store.graph_names() == sorted([str(GRAPH["a"]), "urn:x:g"])
    assert graph_name_for(data / "a.ttl", data_dir=data) == GRAPH["a"]


def test_a_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:x:s> <urn:x:p> 'ok' .\n<urn:x:s> <urn:x:p> .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        load_store([bad])
    assert (caught.value.line, caught.value.column) == (2, 21)
    assert str(caught.value).startswith(f"{bad}:2:21: ")


def test_an_unknown_suffix_is_an_input_error(tmp_path: Path) -> None:
    odd = tmp_path / "data.xyz"
    odd.write_text("")
    with pytest.raises(InputError, match="unknown RDF file type"):
        load_store([odd])


def test_the_bridge_keeps_terms_and_shares_blank_nodes(tmp_path: Path) -> None:
    store = ox.Store()
    b = ox.BlankNode("c1")
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), b, ox.NamedNode("urn:x:g1")))
    store.add(ox.Quad(b, ox.NamedNode("urn:x:q"), ox.Literal("v", language="ru"), ox.NamedNode("urn:x:g2")))
    ds = dataset_of(store)
    (s, p, o), = ds.graph(URIRef("urn:x:g1"))
    (s2, _, lit), = ds.graph(URIRef("urn:x:g2"))
    assert o == s2 == BNode("c1") and lit == Literal("v", lang="ru")
    terms = Terms()
    assert terms(ox.NamedNode("urn:x:s")) is terms(ox.NamedNode("urn:x:s"))  # interned
    back = list(quads_of(triples_of(store, graphs=["urn:x:g2"]), "urn:x:g2"))
    assert back == list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:x:g2")))


def test_a_forced_rebuild_of_unchanged_data_revalidates_nothing(project_copy: Path, tmp_path: Path) -> None:
    settings = Settings.discover(project_dir=project_copy, build_dir=tmp_path / "build")
    first = build(settings)
    again = build(settings, force=True)
    assert first.manifest["validation"]["reused"] is False  # type: ignore[index]
    assert again.manifest["validation"]["reused"] is True  # type: ignore[index]
    assert again.manifest["reasoning"]["closure_reused"] is True  # type: ignore[index]
    assert json.loads((again.path / "manifest.json").read_text())["triples"] == first.manifest["triples"]
    (project_copy / "shapes" / "core.ttl").write_text((project_copy / "shapes" / "core.ttl").read_text() + "\n# edit\n")
    changed = build(settings)
    assert changed.manifest["validation"]["reused"] is False  # type: ignore[index]
