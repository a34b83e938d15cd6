"""The one bridge between the store (pyoxigraph, which holds the data from the first parse to the
published dump) and the rdflib world (pySHACL's reports and shapes, owlrl, the fast reasoner's terms).

Only what a step needs crosses, and it crosses term by term (no serialise-and-reparse): the quads of the
graphs asked for become rdflib triples, and rdflib triples (inferred ones, reports) become quads. Terms are
interned on the way in, so a 1M-triple crossing holds each IRI once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import RDF_TYPE, XSD, bind_prefixes, to_ox

__all__ = ["Terms", "dataset_of", "graph_of", "quads_of", "triples_of"]

_XSD_STRING = str(XSD.string)
Triple = tuple[Node, Node, Node]


class Terms:
    """pyoxigraph → rdflib terms, interned (one rdflib object per distinct term); an ``xsd:string``
    literal becomes a plain literal, a blank node keeps its label. ``rdf:type`` becomes
    :data:`~cstograph.namespaces.RDF_TYPE` itself, and each datatype IRI is made once."""

    def __init__(self) -> None:
        type_ox = to_ox(RDF_TYPE)
        self._seen: dict[object, Node] = {type_ox: RDF_TYPE}
        #: the way back: each rdflib term made here → the pyoxigraph term it came from
        self.back: dict[Node, object] = {RDF_TYPE: type_ox}
        self._datatypes: dict[str, URIRef] = {}

    def __call__(self, term: object) -> Node:
        found = self._seen.get(term)
        if found is not None:
            return found
        node: Node
        if isinstance(term, ox.NamedNode):
            node = URIRef(term.value)
        elif isinstance(term, ox.Literal):
            if term.language:
                node = Literal(term.value, lang=term.language)
            elif (dt := term.datatype.value) == _XSD_STRING:
                node = Literal(term.value)
            else:
                datatype = self._datatypes.get(dt)
                if datatype is None:
                    datatype = self._datatypes[dt] = URIRef(dt)
                node = Literal(term.value, datatype=datatype)
        elif isinstance(term, ox.BlankNode):
            node = BNode(term.value)
        else:
            raise TypeError(f"cannot bring {term!r} to rdflib")
        self._seen[term] = node
        self.back[node] = term
        return node

    def to_ox(self, node: Node) -> object:
        """The pyoxigraph term of an rdflib term (the one it came from, when it came through here)."""
        found = self.back.get(node)
        if found is None:
            found = self.back[node] = to_ox(node)
        return found


def triples_of(store: ox.Store, *, graphs: Iterable[str] | None = None, exclude: Iterable[str] = (),
               terms: Terms | None = None) -> Iterator[Triple]:
    """The triples of the named graphs ``graphs`` (default: every named graph but ``exclude``), as rdflib
    terms. A triple in several graphs comes once per graph."""
    t = terms or Terms()
    if graphs is None:
        skip = set(exclude)
        names = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in skip]
    else:
        names = [ox.NamedNode(g) for g in graphs]
    known = t._seen.get  # the interned term when there is one (most are), without a call to ``t``
    for name in names:
        for q in store.quads_for_pattern(None, None, None, name):
            s, p, o = q.subject, q.predicate, q.object
            yield known(s) or t(s), known(p) or t(p), known(o) or t(o)


def graph_of(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph of ``triples`` with the project's prefixes."""
    g = bind_prefixes(Graph())
    for triple in triples:
        g.add(triple)
    return g


def dataset_of(store: ox.Store, *, exclude: Iterable[str] = ()) -> Dataset:
    """The named graphs of ``store`` as an rdflib Dataset (blank nodes shared across graphs stay shared)."""
    ds = bind_prefixes(Dataset(default_union=True))
    terms = Terms()
    skip = set(exclude)
    for name in sorted(store.named_graphs(), key=str):
        if isinstance(name, ox.NamedNode) and name.value not in skip:
            g = ds.graph(URIRef(name.value))
            for q in store.quads_for_pattern(None, None, None, name):
                g.add((terms(q.subject), terms(q.predicate), terms(q.object)))
    return ds


def quads_of(triples: Iterable[Triple], graph: str, *, terms: Terms | None = None) -> Iterator[ox.Quad]:
    """rdflib triples as quads of the named graph ``graph`` (through ``terms``' way back when given)."""
    name = ox.NamedNode(graph)
    t = terms or Terms()
    back, known = t.to_ox, t.back.get  # ``known``: the way back when there is one (most), without a call
    for s, p, o in triples:
        yield ox.Quad(known(s) or back(s), known(p) or back(p), known(o) or back(o), name)  # type: ignore[arg-type]
