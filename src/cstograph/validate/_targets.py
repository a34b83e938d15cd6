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


def focus_nodes(store: ox.Store, targets: Iterable[tuple[URIRef, Node]]) -> tuple[list[ox.NamedNode], bool]:
    """The IRI focus nodes of a shape's targets, sorted, and whether there are blank ones too."""
    found: set[str] = set()
    blank = False
    for kind, value in targets:
        if kind == SH.targetNode:
            if isinstance(value, URIRef):
                found.add(str(value))
            else:
                blank = True
            continue
        for row in store.query(_QUERIES[kind], substitutions={ox.Variable("v"): to_ox(value)},
                              use_default_graph_as_union=True):  # type: ignore[union-attr]
            if isinstance(row["x"], ox.NamedNode):
                found.add(row["x"].value)
            elif isinstance(row["x"], ox.BlankNode):
                blank = True
    return [ox.NamedNode(f) for f in sorted(found)], blank
