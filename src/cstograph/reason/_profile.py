"""Axioms outside the OWL 2 RL profile (OWL 2 Profiles §4.2), which owlrl silently ignores: one warning
each, naming the axiom as Turtle would write it."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import OWL, RDF, RDFS, n3

__all__ = ["profile_warnings"]

_OUTSIDE = "axiom outside OWL 2 RL, ignored by the reasoner: "
_KINDS = ((OWL.someValuesFrom, "an existential (owl:someValuesFrom)"), (OWL.unionOf, "a union (owl:unionOf)"),
          (OWL.oneOf, "an enumeration (owl:oneOf)"), (OWL.hasSelf, "owl:hasSelf"),
          (OWL.allValuesFrom, "a universal (owl:allValuesFrom)"),
          (OWL.complementOf, "a complement (owl:complementOf)"))


def _describe(node: Node, g: Graph) -> str:
    if not isinstance(node, BNode):
        return n3(node)
    parts = [f"a {n3(o)}" if p == RDF.type else f"{n3(p)} {o if isinstance(o, Literal) else _describe(o, g)}"
             for p, o in sorted(g.predicate_objects(node), key=lambda po: (po[0] != RDF.type, str(po[0])))
             if p not in (RDF.first, RDF.rest)]
    if (node, RDF.first, None) in g:
        return "(" + " ".join(_describe(m, g) for m in Collection(g, node)) + ")"
    return "[ " + " ; ".join(parts) + " ]"


def _kind(g: Graph, x: Node) -> str | None:
    """What kind of class expression outside OWL 2 RL's reach a blank node is, if any."""
    if not isinstance(x, BNode):
        return None
    return next((what for p, what in _KINDS if (x, p, None) in g), None)


def _warning(g: Graph, s: Node, p: Node, o: Node, why: str) -> str:
    return f"{_OUTSIDE}{_describe(s, g)} {n3(p)} {_describe(o, g)} — {why}"


def _subclass_axioms(g: Graph) -> Iterator[str]:
    for s, o in g.subject_objects(RDFS.subClassOf):
        k = _kind(g, o)
        if k and "universal" not in k and "complement" not in k:
            yield _warning(g, s, RDFS.subClassOf, o, f"{k} in a superclass position")
        k = _kind(g, s)
        if k and ("universal" in k or "hasSelf" in k):
            yield _warning(g, s, RDFS.subClassOf, o, f"{k} in a subclass position")


def _equivalences(g: Graph) -> Iterator[str]:
    for s, o in g.subject_objects(OWL.equivalentClass):
        k = next((k for k in (_kind(g, s), _kind(g, o)) if k), None)
        if k:
            yield _warning(g, s, OWL.equivalentClass, o, f"{k} in an equivalence (OWL 2 RL allows only named "
                                                         "classes, intersections and owl:hasValue there)")


def _axiom_of(g: Graph, r: Node) -> str:
    """The axiom a restriction appears in, or the restriction alone."""
    for p in (RDFS.subClassOf, OWL.equivalentClass):
        for c in g.subjects(p, r):
            return f"{_describe(c, g)} {n3(p)} {_describe(r, g)}"
    return _describe(r, g)


def _cardinalities(g: Graph) -> Iterator[str]:
    for p in (OWL.minCardinality, OWL.minQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality):
        for s, _o in g.subject_objects(p):
            yield f"{_OUTSIDE}{_axiom_of(g, s)} — {n3(p)} is not in OWL 2 RL"
    for p in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        for s, o in g.subject_objects(p):
            if isinstance(o, Literal) and str(o) not in ("0", "1"):
                yield f"{_OUTSIDE}{_axiom_of(g, s)} — {n3(p)} {o} (OWL 2 RL allows only 0 or 1)"


def _property_axioms(g: Graph) -> Iterator[str]:
    for s in g.subjects(RDF.type, OWL.ReflexiveProperty):
        yield f"{_OUTSIDE}{n3(s)} a owl:ReflexiveProperty"
    for s, o in g.subject_objects(OWL.disjointUnionOf):
        yield _warning(g, s, OWL.disjointUnionOf, o, "owl:disjointUnionOf is not in OWL 2 RL")


def profile_warnings(graph: Graph) -> list[str]:
    """Axioms outside OWL 2 RL that owlrl silently ignores, one message each (OWL 2 Profiles §4.2).

    Checked: an existential (``owl:someValuesFrom``), a union, an enumeration (``owl:oneOf``), or
    ``owl:hasSelf`` in a superclass position; a universal (``owl:allValuesFrom``) or complement in a
    subclass position; ``owl:minCardinality``/``owl:cardinality`` (and qualified forms);
    ``owl:maxCardinality`` above 1; ``owl:ReflexiveProperty``; ``owl:disjointUnionOf``; an
    ``owl:equivalentClass`` to anything but a named class, intersection or ``owl:hasValue``.
    """
    return sorted({*_subclass_axioms(graph), *_equivalences(graph), *_cardinalities(graph),
                   *_property_axioms(graph)})
