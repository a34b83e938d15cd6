"""The one loader (``cstograph.load``): files into one Oxigraph store, a named graph per triple file (quad files
keep theirs), ``file:line:column`` syntax errors, and the rdflib graph and dataset made from what was loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from cstograph.errors import InputError, RDFSyntaxError
from cstograph.load import graph_name_for, load_dataset, load_graph, load_store
from cstograph.namespaces import GRAPH, ONTOLOGY_GRAPH


def test_each_file_in_its_named_graph_and_quads_keep_theirs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text("<urn:x:s> <urn:x:p> 'a' .\n")
    (data / "b.nq").write_text('<urn:x:s> <urn:x:p> "b" <urn:x:g> .\n')
    store = load_store([data / "a.ttl", data / "b.nq"], data_dir=data)
    assert store.graph_names() == sorted([str(GRAPH["a"]), "urn:x:g"])
    assert graph_name_for(data / "a.ttl", data_dir=data) == GRAPH["a"]


def test_graph_names_follow_the_project_layout(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert graph_name_for(data / "links" / "wikidata.ttl", data_dir=data) == GRAPH["links/wikidata"]
    assert graph_name_for(data / "states.ttl", data_dir=data) == GRAPH["states"]
    assert graph_name_for(tmp_path / "elsewhere" / "x.ttl", data_dir=data) == GRAPH["x"]  # outside data/: its stem
    assert graph_name_for(tmp_path / "ontology" / "cstograph.ttl") == ONTOLOGY_GRAPH


def test_one_named_graph_per_file_in_the_dataset(tmp_path: Path) -> None:
    for name, text in (("a.ttl", "<urn:x:s> <urn:x:p> 'a' ."), ("b.ttl", "<urn:x:s> <urn:x:p> 'b' , 'c' .")):
        (tmp_path / name).write_text(text + "\n")
    ds = load_dataset([tmp_path / "a.ttl", tmp_path / "b.ttl"], data_dir=tmp_path)
    sizes = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert sizes == {str(GRAPH["a"]): 1, str(GRAPH["b"]): 2}
    assert {o for g in ds.graphs() for o in g.objects(URIRef("urn:x:s"), URIRef("urn:x:p"))} == {
        Literal("a"), Literal("b"), Literal("c")}


def test_load_graph_merges_the_files(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text("@prefix ex: <urn:x:> .\nex:s ex:p 'a'@en .\n")
    (tmp_path / "b.nt").write_text('<urn:x:s> <urn:x:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    g = load_graph([tmp_path / "a.ttl", tmp_path / "b.nt"])
    assert set(g.objects(URIRef("urn:x:s"), URIRef("urn:x:p"))) == {Literal("a", lang="en"), Literal(1)}


def test_a_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:x:s> <urn:x:p> 'ok' .\n<urn:x:s> <urn:x:p> .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        load_store([bad])
    assert (caught.value.line, caught.value.column) == (2, 21)
    assert str(caught.value).startswith(f"{bad}:2:21: ")


def test_nothing_is_returned_when_a_later_file_is_bad(tmp_path: Path) -> None:
    (tmp_path / "good.ttl").write_text("<urn:x:s> <urn:x:p> 'ok' .\n")
    (tmp_path / "bad.ttl").write_text("<urn:x:s> <urn:x:p> 'unterminated .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        load_dataset([tmp_path / "good.ttl", tmp_path / "bad.ttl"])
    assert caught.value.path == tmp_path / "bad.ttl" and caught.value.line == 1


def test_an_unknown_suffix_is_an_input_error(tmp_path: Path) -> None:
    odd = tmp_path / "data.xyz"
    odd.write_text("")
    with pytest.raises(InputError, match="unknown RDF file type"):
        load_store([odd])
