"""The bridge between Oxigraph and rdflib (``cstograph.bridge``): terms one by one and back, blank nodes shared
across graphs, a ``xsd:string`` literal as a plain one, interning."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from cstograph.bridge import Terms, dataset_of, graph_of, quads_of, triples_of
from cstograph.namespaces import RDF_TYPE, expand

TERMS = [
    ox.NamedNode("urn:x:s"),
    ox.BlankNode("b1"),
    ox.Literal("plain"),
    ox.Literal("да", language="ru"),
    ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer))),
    ox.Literal("1995-05-15", datatype=ox.NamedNode(str(XSD.date))),
    ox.NamedNode(str(RDF_TYPE)),
]


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_a_term_goes_to_rdflib_and_back_unchanged(term: object) -> None:
    terms = Terms()
    node = terms(term)
    assert terms.to_ox(node) == term
    assert Terms().to_ox(node) == term  # also without the way back of the Terms that made it


def test_terms_are_read_as_rdflib_writes_them() -> None:
    terms = Terms()
    assert terms(ox.NamedNode("urn:x:s")) == URIRef("urn:x:s")
    assert terms(ox.BlankNode("b1")) == BNode("b1")
    assert terms(ox.Literal("plain")) == Literal("plain") and terms(ox.Literal("plain")).datatype is None
    assert terms(ox.Literal("да", language="ru")) == Literal("да", lang="ru")
    assert terms(ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer)))) == Literal(12)
    assert terms(ox.NamedNode(str(RDF_TYPE))) is RDF_TYPE
    assert terms(ox.NamedNode("urn:x:s")) is terms(ox.NamedNode("urn:x:s"))  # interned
    with pytest.raises(TypeError, match="cannot bring"):
        terms("not a term")


def test_the_bridge_keeps_terms_and_shares_blank_nodes() -> None:
    store = ox.Store()
    b = ox.BlankNode("c1")
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), b, ox.NamedNode("urn:x:g1")))
    store.add(ox.Quad(b, ox.NamedNode("urn:x:q"), ox.Literal("v", language="ru"), ox.NamedNode("urn:x:g2")))
    ds = dataset_of(store)
    (s, p, o), = ds.graph(URIRef("urn:x:g1"))
    (s2, _, lit), = ds.graph(URIRef("urn:x:g2"))
    assert o == s2 == BNode("c1") and lit == Literal("v", lang="ru")
    back = list(quads_of(triples_of(store, graphs=["urn:x:g2"]), "urn:x:g2"))
    assert back == list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:x:g2")))


def test_graphs_can_be_chosen_or_left_out() -> None:
    store = ox.Store()
    for g in ("urn:x:g1", "urn:x:g2", "urn:x:g3"):
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal(g), ox.NamedNode(g)))
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("default")))  # default graph
    assert {str(o) for _, _, o in triples_of(store)} == {"urn:x:g1", "urn:x:g2", "urn:x:g3"}
    assert {str(o) for _, _, o in triples_of(store, exclude=["urn:x:g2"])} == {"urn:x:g1", "urn:x:g3"}
    assert {str(o) for _, _, o in triples_of(store, graphs=["urn:x:g3"])} == {"urn:x:g3"}
    ds = dataset_of(store, exclude=["urn:x:g1"])
    assert sorted(str(g.identifier) for g in ds.graphs() if len(g)) == ["urn:x:g2", "urn:x:g3"]


def test_graph_of_binds_the_project_prefixes() -> None:
    g = graph_of([(URIRef(str(expand("state:ARM"))), RDF_TYPE, URIRef(str(expand("cst:State"))))])
    assert len(g) == 1
    assert "state:ARM a cst:State" in g.serialize(format="turtle")
