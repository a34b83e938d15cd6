"""SHACL §2.1.3, targets: the focus nodes of a shape, found by Oxigraph (``sh:targetNode``,
``sh:targetClass`` with SHACL instances through ``rdfs:subClassOf*``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``). Each target is one fixed query with its value bound by substitution (Oxigraph binds only a
projected variable, hence ``?v`` in each projection)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from ..namespaces import SH, sparql_prefixes, to_ox

__all__ = ["TARGETS", "focus_nodes"]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_QUERIES = {
    SH.targetClass: sparql_prefixes("rdfs") + "SELECT DISTINCT ?x ?v WHERE { ?x a/rdfs:subClassOf* ?v }",
    SH.targetSubjectsOf: "SELECT DISTINCT ?x ?v WHERE { ?x ?v ?o }",
    SH.targetObjectsOf: "SELECT DISTINCT ?x ?v WHERE { ?s ?v ?x }",
}
#: The same, for the triples of one named graph ``?g`` (with the whole store for the class hierarchy).
_IN_GRAPH = {
    SH.targetClass: sparql_prefixes("rdfs")
    + "SELECT DISTINCT ?x ?v ?g WHERE { GRAPH ?g { ?x a ?t } ?t rdfs:subClassOf* ?v }",
    SH.targetSubjectsOf: "SELECT DISTINCT ?x ?v ?g WHERE { GRAPH ?g { ?x ?v ?o } }",
    SH.targetObjectsOf: "SELECT DISTINCT ?x ?v ?g WHERE { GRAPH ?g { ?s ?v ?x } }",
}


def focus_nodes(store: ox.Store, targets: Iterable[tuple[URIRef, Node]], *,
                graph: ox.NamedNode | None = None) -> tuple[list[ox.NamedNode], bool]:
    """The IRI focus nodes of a shape's targets, sorted, and whether there are blank ones too.

    ``graph``: only the focus nodes that the triples of that named graph make (``sh:targetNode`` ones left out)
    — all that the graph adds to those of the rest of the store, unless it adds ``rdfs:subClassOf`` triples."""
    found: set[str] = set()
    blank = False
    for kind, value in targets:
        if kind == SH.targetNode:
            if graph is None and isinstance(value, URIRef):
                found.add(str(value))
            elif graph is None:
                blank = True
            continue
        bindings: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable("v"): to_ox(value)}
        if graph is not None:
            bindings[ox.Variable("g")] = graph
        query = _QUERIES[kind] if graph is None else _IN_GRAPH[kind]
        for row in store.query(query, substitutions=bindings, use_default_graph_as_union=True):  # type: ignore[union-attr]
            if isinstance(row["x"], ox.NamedNode):
                found.add(row["x"].value)
            elif isinstance(row["x"], ox.BlankNode):
                blank = True
    return [ox.NamedNode(f) for f in sorted(found)], blank
