"""The fast engine: the rules of Tables 5 and 7 applied to the data with a semi-naive fixpoint over the
closed schema (Table 9), and what it does not implement (then ``reason`` falls back to owlrl)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.term import Node

from ..errors import InconsistencyError
from ..namespaces import OWL, RDF_TYPE
from ._cax import cax_sco, clashes
from ._facts import Facts, Triple
from ._prp import FORWARD, FORWARD_IRI_OBJECT, Forward
from ._scm import Schema, is_schema_triple

__all__ = ["fast_closure", "fast_path_obstacles", "fixpoint"]

#: What the fast engine cannot do: the presence of any of these makes it fall back to owlrl
#: (Table 4 ``eq-*``, Table 6 ``cls-*``, and the ``prp-*`` rules of keys, functional, asymmetric,
#: irreflexive and disjoint properties and negative assertions).
_FAST_UNSUPPORTED_PREDICATES = frozenset({
    OWL.sameAs, OWL.differentFrom, OWL.distinctMembers, OWL.hasKey, OWL.propertyDisjointWith,
    OWL.onProperty, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.sourceIndividual,
    OWL.disjointUnionOf,
})
_FAST_UNSUPPORTED_TYPES = frozenset({
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AsymmetricProperty, OWL.IrreflexiveProperty,
    OWL.AllDisjointProperties, OWL.AllDifferent, OWL.NegativePropertyAssertion, OWL.Nothing, OWL.Restriction,
})


#: ``x in _TYPE`` is ``x == rdf:type`` without rdflib's Python-level ``__eq__`` for every other term
#: (a set lookup compares hashes first; URIRef's hash is str's).
_TYPE = frozenset({RDF_TYPE})
_TYPE_RULES: tuple[tuple[Forward, ...], tuple[Forward, ...]] = ((cax_sco,), ())


def fast_path_obstacles(triples: Iterable[Triple]) -> list[str]:
    """Constructs the fast engine does not implement (it then falls back to owlrl), one line each."""
    found: set[str] = set()
    for _, p, o in triples:
        if p in _FAST_UNSUPPORTED_PREDICATES:
            found.add(str(p))
        elif p in _TYPE and o in _FAST_UNSUPPORTED_TYPES:
            found.add(f"rdf:type {o}")
    return sorted(found)


def _rules_for(schema: Schema, p: Node) -> tuple[tuple[Forward, ...], tuple[Forward, ...]]:
    """The rules that can fire for predicate ``p``: for any object, and for IRI objects only (Table 7's
    ``cax-sco`` alone for ``rdf:type``, Table 5's for the others)."""
    if p in _TYPE:
        return _TYPE_RULES
    return (tuple(rule for rule, applies in FORWARD if applies(schema, p)),
            tuple(rule for rule, applies in FORWARD_IRI_OBJECT if applies(schema, p)))


def fixpoint(schema: Schema, triples: Iterable[Triple]) -> Facts:
    """Apply the ABox rules until nothing new is derived (each new triple is processed once)."""
    facts = Facts()
    for t in triples:
        facts.add(t, 0)
    rank, queue = facts.rank, facts.queue
    by_predicate: dict[Node, tuple[tuple[Forward, ...], tuple[Forward, ...]]] = {}
    while queue:
        t = queue.popleft()
        r = rank[t] + 1
        p = t[1]
        rules = by_predicate.get(p)
        if rules is None:
            rules = by_predicate[p] = _rules_for(schema, p)
        any_object, iri_object = rules
        for rule in any_object:
            rule(schema, facts, t, r)
        if iri_object and not isinstance(t[2], Literal):
            for rule in iri_object:
                rule(schema, facts, t, r)
    return facts


def fast_closure(triples: Iterable[Triple]) -> tuple[Schema, Facts]:
    """The fast engine's closure: the closed schema and every fact (asserted or inferred) with its rank.

    Raises :class:`InconsistencyError` on a ``cax-dw``/``cax-adc`` clash.
    """
    given = triples if isinstance(triples, (set, frozenset, Graph)) else set(triples)
    schema = Schema.from_triples(t for t in given if is_schema_triple(t))
    facts = fixpoint(schema, (*schema.graph, *given))
    types = [(s, RDF_TYPE, o) for s, o in facts.types()]
    if clashes(schema, types):  # again, naming the asserted types behind each class (rare path)
        asserted = Graph()
        for t in given:
            if t[1] in _TYPE:
                asserted.add(t)
        raise InconsistencyError(clashes(schema, types, asserted))
    return schema, facts
