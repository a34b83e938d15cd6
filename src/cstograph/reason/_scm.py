"""OWL 2 Profiles §4.3, Table 9 (the semantics of schema vocabulary, ``scm-*``): the closed TBox.

The schema triples (class and property hierarchies, inverses, chains, domains and ranges,
characteristics, disjointness; a few hundred) are closed by owlrl, which applies the ``scm-*`` rules
among the others; the ABox rules (Tables 5 and 7) then look their axioms up in the tables of
:class:`Schema`, so that ``cax-eqc1/2`` and ``prp-eqp1/2`` come for free through the closed hierarchies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import owlrl
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import ERR, OWL, RDF, RDF_TYPE, RDFS
from ._facts import Triple

__all__ = ["SCHEMA_PREDICATES", "SCHEMA_TYPES", "Schema", "is_schema_triple"]

SCHEMA_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest,
    OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.propertyChainAxiom, OWL.disjointWith,
    OWL.members, OWL.onProperty, OWL.onProperties, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.minCardinality, OWL.minQualifiedCardinality,
    OWL.cardinality, OWL.qualifiedCardinality, OWL.onClass, OWL.onDataRange, OWL.intersectionOf,
    OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.hasKey, OWL.propertyDisjointWith, OWL.disjointUnionOf,
    OWL.hasSelf, OWL.datatypeComplementOf, OWL.withRestrictions, OWL.onDatatype,
})
SCHEMA_TYPES = frozenset({
    OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
    OWL.AsymmetricProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.Restriction,
    OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.Ontology, RDFS.Datatype, OWL.DataRange,
})

_TYPE = frozenset({RDF_TYPE})  # ``p in _TYPE``: ``p == rdf:type`` without Identifier.__eq__ for other terms


def is_schema_triple(t: Triple) -> bool:
    """A TBox triple: a schema predicate, or a declaration typed with RDFS/OWL's own classes."""
    _, p, o = t
    return p in SCHEMA_PREDICATES or (p in _TYPE and o in SCHEMA_TYPES)


def owlrl_closure(graph: Graph) -> None:
    """Expand ``graph`` in place with owlrl's OWL 2 RL rules (no axiomatic or datatype triples)."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)


#: The terms without which no rule derives an ``owl:sameAs`` other than ``x owl:sameAs x``: ``owl:sameAs``
#: itself (``eq-*``), functional and inverse-functional properties (``prp-fp``, ``prp-ifp``), keys
#: (``prp-key``) and max cardinalities (``cls-maxc2``, ``cls-maxqc3/4``).
_EQUALITY_TERMS = frozenset({
    OWL.sameAs, OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.hasKey, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality,
})


#: The predicates owlrl's ``_classes`` (Table 6) acts on; it acts on ``rdf:type owl:Nothing`` too.
_CLASS_PREDICATES = frozenset({
    OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.oneOf,
})
_NOTHING = frozenset({OWL.Nothing})


class _ReflexiveEquality(owlrl.OWLRL_Semantics):  # type: ignore[misc]
    """owlrl's OWL 2 RL without Table 4 (``eq-*``) and with Table 6 (``cls-*``) tried only on the triples it
    acts on, for a graph where the ``eq-*`` rules can only derive ``eq-ref``'s
    ``x owl:sameAs x`` (see :func:`_schema_closure`): owlrl applies ``eq-ref`` to every triple of every
    cycle, and the ``x owl:sameAs x`` it adds are then carried through every later cycle (half its time on
    the project's TBox), though no other rule reads them when nothing is said about ``owl:sameAs``."""

    def _equality(self, triple: Triple, cycle_num: int) -> None:
        return None

    def _classes(self, triple: Triple, cycle_num: int) -> None:
        """owlrl's Table 6 (``cls-*``) for the triples its branches test for, the others passed by with a set
        lookup instead of a dozen rdflib comparisons (most triples of a TBox are none of them)."""
        _, p, o = triple
        if p in _CLASS_PREDICATES or (p in _TYPE and o in _NOTHING):
            super()._classes(triple, cycle_num)


def _schema_closure(graph: Graph) -> None:
    """:func:`owlrl_closure`, faster when no rule can equate two different terms: then ``eq-ref``'s
    ``x owl:sameAs x`` (for every term of every triple) are added once after the other rules' closure,
    which is the same graph (each ``eq-*`` rule applied to ``x owl:sameAs x`` gives back a triple it had);
    and owlrl starts from what Table 9 derives (:func:`_table9`), so that its passes over the whole graph —
    three on the project's TBox — come down to the one that finds nothing new.
    A clash (owlrl's ``err:error``, added after the rules) is left to owlrl's own run, messages and all."""
    if any(term in _EQUALITY_TERMS for t in graph for term in t):
        owlrl_closure(graph)
        return
    given = list(graph)
    for t in _table9(given):
        graph.add(t)
    owlrl.DeductiveClosure(_ReflexiveEquality, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    if (None, ERR.error, None) in graph:
        graph.remove((None, None, None))
        for t in given:
            graph.add(t)
        owlrl_closure(graph)
        return
    terms = {term for t in graph for term in t}
    same_as = OWL.sameAs
    terms.add(same_as)
    for term in terms:
        graph.add((term, same_as, term))


_DECLARED_PROPERTY = frozenset({OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property})


def _table9(triples: Iterable[Triple]) -> set[Triple]:
    """The triples Table 9's hierarchy rules derive from ``triples`` — ``scm-cls``, ``scm-op``/``scm-dp``,
    ``scm-sco``, ``scm-eqc1/2``, ``scm-spo``, ``scm-eqp1/2``, ``scm-dom1/2``, ``scm-rng1/2`` — with owlrl's own
    conditions (which skip some reflexive cases, and count ``rdf:Property`` as a declared property), and
    owl:Thing and owl:Nothing as the classes owlrl's ``cls-thing``/``cls-nothing`` declare. Every triple here is
    one owlrl's closure holds, so starting owlrl from them changes nothing but the number of its passes
    (``tests/reason/test_scm.py`` compares the graphs)."""
    tables: dict[Node, set[tuple[Node, Node]]] = {p: set() for p in _TABLE9}
    sub, subp = tables[RDFS.subClassOf], tables[RDFS.subPropertyOf]
    eqc, eqp = tables[OWL.equivalentClass], tables[OWL.equivalentProperty]
    classes: set[Node] = {OWL.Thing, OWL.Nothing}
    for s, p, o in triples:
        if p in tables:
            tables[p].add((s, o))
        elif p in _TYPE and o == OWL.Class:
            classes.add(s)
        elif p in _TYPE and o in _DECLARED_PROPERTY:
            subp.add((s, s))  # scm-op, scm-dp
            eqp.add((s, s))
    for c in classes:  # scm-cls
        sub.update({(c, c), (c, OWL.Thing), (OWL.Nothing, c)})
        eqc.add((c, c))
    size = -1
    while size != (size := sum(map(len, tables.values()))):
        _hierarchy(sub, eqc, reflexive_eq2=True)  # scm-eqc1, scm-sco, scm-eqc2
        _hierarchy(subp, eqp, reflexive_eq2=False)  # scm-eqp1, scm-spo, scm-eqp2
        supers, subprops = _successors(sub), _successors((b, a) for a, b in subp)
        for table in (tables[RDFS.domain], tables[RDFS.range]):
            for prop, c in list(table):
                table.update((prop, d) for d in supers.get(c, ()) if d != c)  # scm-dom1, scm-rng1
                table.update((q, c) for q in subprops.get(prop, ()) if q != prop)  # scm-dom2, scm-rng2
    return {(a, p, b) for p, pairs in tables.items() for a, b in pairs}


_TABLE9 = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, RDFS.domain,
           RDFS.range)


def _hierarchy(sub: set[tuple[Node, Node]], eq: set[tuple[Node, Node]], *, reflexive_eq2: bool) -> None:
    """One pass of ``scm-eqc1``/``scm-eqp1`` (equivalence → both subsumptions), ``scm-sco``/``scm-spo``
    (transitivity, no reflexive result) and ``scm-eqc2``/``scm-eqp2`` (mutual subsumption → equivalence;
    owlrl reads a reflexive ``rdfs:subPropertyOf`` for neither rule, a reflexive ``rdfs:subClassOf`` for the
    latter)."""
    for a, b in list(eq):
        if a != b:
            sub.update({(a, b), (b, a)})
    supers = _successors(sub)
    for a, b in list(sub):
        if a != b:
            sub.update((a, c) for c in supers.get(b, ()) if c != a)
        if (a != b or reflexive_eq2) and (b, a) in sub:
            eq.add((a, b))


def _successors(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    out: defaultdict[Node, set[Node]] = defaultdict(set)
    for a, b in pairs:
        out[a].add(b)
    return out


def _table(g: Graph, pred: URIRef, *, reflexive_ok: bool = False) -> dict[Node, frozenset[Node]]:
    out: defaultdict[Node, set[Node]] = defaultdict(set)
    for s, o in g.subject_objects(pred):
        if s != o or reflexive_ok:
            out[s].add(o)
    return {k: frozenset(v) for k, v in out.items()}


def _inverses(g: Graph) -> dict[Node, frozenset[Node]]:
    inverses: defaultdict[Node, set[Node]] = defaultdict(set)
    for p, q in g.subject_objects(OWL.inverseOf):
        inverses[p].add(q)
        inverses[q].add(p)
    return {k: frozenset(v) for k, v in inverses.items()}


def _chains(g: Graph) -> tuple[tuple[Node, tuple[Node, ...]], ...]:
    chains = []
    for q, head in g.subject_objects(OWL.propertyChainAxiom):
        steps = tuple(Collection(g, head))
        if steps:
            chains.append((q, steps))
    return tuple(sorted(chains, key=lambda c: str(c[0])))


def _disjoint(g: Graph) -> tuple[tuple[tuple[Node, ...], Node, str], ...]:
    disjoint: list[tuple[tuple[Node, ...], Node, str]] = [
        ((c, d), c, "cax-dw") for c, d in g.subject_objects(OWL.disjointWith)]
    for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = g.value(axiom, OWL.members)
        if members is not None:
            disjoint.append((tuple(Collection(g, members)), axiom, "cax-adc"))
    return tuple(disjoint)


@dataclass(frozen=True, slots=True)
class Schema:
    """The rule tables of a closed TBox: everything the ABox rules look up.

    Hierarchies are closed (``superclasses[C]`` holds every entailed superclass, ``cax-eqc`` included).
    """

    graph: Graph
    superclasses: dict[Node, frozenset[Node]]
    superproperties: dict[Node, frozenset[Node]]
    inverses: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]
    transitive: frozenset[Node]
    symmetric: frozenset[Node]
    chains: tuple[tuple[Node, tuple[Node, ...]], ...]
    #: (classes declared pairwise disjoint, the axiom's subject, "cax-dw" or "cax-adc")
    disjoint: tuple[tuple[tuple[Node, ...], Node, str], ...]
    #: property → (chain property, chain, position of the property in the chain), for ``prp-spo2``
    chain_steps: dict[Node, tuple[tuple[Node, tuple[Node, ...], int], ...]]

    @classmethod
    def from_triples(cls, tbox: Iterable[Triple]) -> Schema:
        """Close the TBox with owlrl (schema rules ``scm-*``) and read the rule tables off it."""
        g = Graph()
        for t in tbox:
            g.add(t)
        _schema_closure(g)
        chains = _chains(g)
        steps: defaultdict[Node, list[tuple[Node, tuple[Node, ...], int]]] = defaultdict(list)
        for q, chain in chains:
            for i, p in enumerate(chain):
                steps[p].append((q, chain, i))
        return cls(
            graph=g,
            superclasses=_table(g, RDFS.subClassOf),
            superproperties=_table(g, RDFS.subPropertyOf),
            inverses=_inverses(g),
            domains=_table(g, RDFS.domain, reflexive_ok=True),
            ranges=_table(g, RDFS.range, reflexive_ok=True),
            transitive=frozenset(g.subjects(RDF.type, OWL.TransitiveProperty)),
            symmetric=frozenset(g.subjects(RDF.type, OWL.SymmetricProperty)),
            chains=chains,
            disjoint=_disjoint(g),
            chain_steps={p: tuple(v) for p, v in steps.items()},
        )
