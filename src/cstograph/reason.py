"""OWL 2 RL reasoning: the closure of ontology + data, kept apart from the asserted triples.

What is published (graph ``…/graph/inferred``) is ``closure(asserted) − asserted − trivial``. The
asserted graphs are never modified. Two engines compute the same inferred graph:

``owlrl``
    the reference: ``owlrl.DeductiveClosure(OWLRL_Semantics)`` over everything (without axiomatic
    and datatype triples). Correct for all of OWL 2 RL, but slow: it re-scans the whole graph on every
    cycle and derives ``x owl:sameAs x`` for every term (≈20 s for 10 k triples).
``fast`` (the default)
    owlrl over the *schema* triples only (the TBox: hierarchies, inverses, chains, domains and ranges,
    characteristics, disjointness; a few hundred triples, a second or so), then the rules this ontology
    needs applied to the data with a semi-naive fixpoint in Python (W3C OWL 2 RL/RDF rules, Tables 4–9:
    ``cax-sco``, ``cax-eqc1/2`` (via the closed hierarchy), ``prp-spo1``, ``prp-eqp1/2``, ``prp-inv1/2``,
    ``prp-dom``, ``prp-rng``, ``prp-symp``, ``prp-trp``, ``prp-spo2``), then the clash rules ``cax-dw`` and
    ``cax-adc``. When the input uses anything else that OWL 2 RL gives meaning to (owl:sameAs, functional
    properties, restrictions, keys, class constructors…), ``fast`` falls back to ``owlrl`` and says why.
    ``tests/test_reason_engines.py`` proves both engines publish the same graph on the real data.

Trivial inferences dropped from the published graph (:func:`is_trivial`):

- reflexive ``x owl:sameAs x``, ``x rdfs:subClassOf x``, ``x rdfs:subPropertyOf x``,
  ``x owl:equivalentClass x``, ``x owl:equivalentProperty x`` (owlrl adds one per term);
- ``x rdf:type owl:Thing`` / ``rdfs:Resource`` / ``owl:NamedIndividual``;
- triples whose subject is a term of RDF, RDFS, OWL or XSD (axiomatic triples about their own vocabulary,
  e.g. ``owl:Nothing rdfs:subClassOf cst:State``);
- ``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` / equivalences *to* a built-in term
  (``cst:State rdfs:subClassOf owl:Thing``);
- ``rdf:type`` to built-in classes other than ``owl:Class``, ``owl:ObjectProperty``,
  ``owl:DatatypeProperty`` (``rdfs:label a owl:AnnotationProperty``, ``xsd:date a rdfs:Datatype``), and
  ``owl:Class`` typing of blank nodes;
- triples with a literal subject (``"2022-01-05"^^xsd:date a xsd:date``), which RDF cannot publish;
- owlrl's clash vocabulary (``err:error``), which becomes an :class:`InconsistencyError` instead.

Inconsistency: a clash (owlrl's ``err:error`` triples, or the fast engine's own ``cax-dw``/``cax-adc``
check) raises :class:`InconsistencyError` naming the resources and the axiom. Ontology axioms outside
OWL 2 RL, which owlrl silently ignores, are reported by :func:`profile_warnings`.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as _dist_version
from pathlib import Path
from typing import Literal as TypingLiteral

import owlrl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD, NamespaceManager
from rdflib.term import Node

from .errors import InconsistencyError
from .namespaces import INFERRED_GRAPH, PREFIXES

__all__ = [
    "ENGINES",
    "ERROR_PREDICATE",
    "Reasoning",
    "Schema",
    "closure",
    "closure_key",
    "explain",
    "fast_path_obstacles",
    "inferred_triples",
    "is_trivial",
    "profile_warnings",
    "reason",
    "reason_dataset",
]

Engine = TypingLiteral["fast", "owlrl"]
ENGINES: tuple[Engine, ...] = ("fast", "owlrl")
Triple = tuple[Node, Node, Node]

#: owlrl's predicate for reported clashes (owlrl.Namespaces.ERRNS.error).
ERROR_PREDICATE = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
_ERROR_CLASS = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_REFLEXIVE = frozenset({OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty})


def _builtin(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN)


def is_trivial(s: Node, p: Node, o: Node) -> bool:
    """True for an inference dropped from the published graph (the list is in the module docstring)."""
    if isinstance(s, Literal) or p == ERROR_PREDICATE or o == _ERROR_CLASS:
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return True
    if _builtin(s):
        return True
    if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty) and _builtin(o):
        return True
    if p == RDF.type and _builtin(o) and o not in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        return True
    return p == RDF.type and o == OWL.Class and isinstance(s, BNode)


# --- names for messages ---------------------------------------------------------------------------------
def _namespaces() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        nm.bind(prefix, ns, replace=True)
    return nm


def _short(node: Node, nm: NamespaceManager) -> str:
    if isinstance(node, URIRef):
        try:
            return nm.normalizeUri(node)
        except Exception:  # noqa: BLE001 - fall back to the full IRI
            return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3()


def _triple_text(t: Triple, nm: NamespaceManager) -> str:
    s, p, o = t
    return f"{_short(s, nm)} {'a' if p == RDF.type else _short(p, nm)} {_short(o, nm)}"


# --- the schema (TBox) ----------------------------------------------------------------------------------
_SCHEMA_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest,
    OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.propertyChainAxiom, OWL.disjointWith,
    OWL.members, OWL.onProperty, OWL.onProperties, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.minCardinality, OWL.minQualifiedCardinality,
    OWL.cardinality, OWL.qualifiedCardinality, OWL.onClass, OWL.onDataRange, OWL.intersectionOf,
    OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.hasKey, OWL.propertyDisjointWith, OWL.disjointUnionOf,
    OWL.hasSelf, OWL.datatypeComplementOf, OWL.withRestrictions, OWL.onDatatype,
})
_SCHEMA_TYPES = frozenset({
    OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
    OWL.AsymmetricProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.Restriction,
    OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.Ontology, RDFS.Datatype, OWL.DataRange,
})


def is_schema_triple(t: Triple) -> bool:
    """A TBox triple: a schema predicate, or a declaration typed with RDFS/OWL's own classes."""
    s, p, o = t
    return p in _SCHEMA_PREDICATES or (p == RDF.type and o in _SCHEMA_TYPES)


#: What the fast engine cannot do: the presence of any of these makes it fall back to owlrl.
_FAST_UNSUPPORTED_PREDICATES = frozenset({
    OWL.sameAs, OWL.differentFrom, OWL.distinctMembers, OWL.hasKey, OWL.propertyDisjointWith,
    OWL.onProperty, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.sourceIndividual,
    OWL.disjointUnionOf,
})
_FAST_UNSUPPORTED_TYPES = frozenset({
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.AsymmetricProperty, OWL.IrreflexiveProperty,
    OWL.AllDisjointProperties, OWL.AllDifferent, OWL.NegativePropertyAssertion, OWL.Nothing, OWL.Restriction,
})


def fast_path_obstacles(triples: Iterable[Triple]) -> list[str]:
    """Constructs the fast engine does not implement (it then falls back to owlrl), one line each."""
    found: set[str] = set()
    for _, p, o in triples:
        if p in _FAST_UNSUPPORTED_PREDICATES:
            found.add(str(p))
        elif p == RDF.type and o in _FAST_UNSUPPORTED_TYPES:
            found.add(f"rdf:type {o}")
    return sorted(found)


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

    @classmethod
    def from_triples(cls, tbox: Iterable[Triple]) -> Schema:
        """Close the TBox with owlrl (schema rules ``scm-*``) and read the rule tables off it."""
        g = Graph()
        for t in tbox:
            g.add(t)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)

        def table(pred: URIRef, *, reflexive_ok: bool = False) -> dict[Node, frozenset[Node]]:
            out: defaultdict[Node, set[Node]] = defaultdict(set)
            for s, o in g.subject_objects(pred):
                if s != o or reflexive_ok:
                    out[s].add(o)
            return {k: frozenset(v) for k, v in out.items()}

        inverses: defaultdict[Node, set[Node]] = defaultdict(set)
        for p, q in g.subject_objects(OWL.inverseOf):
            inverses[p].add(q)
            inverses[q].add(p)
        chains = []
        for q, head in g.subject_objects(OWL.propertyChainAxiom):
            steps = tuple(Collection(g, head))
            if steps:
                chains.append((q, steps))
        disjoint: list[tuple[tuple[Node, ...], Node, str]] = [
            ((c, d), c, "cax-dw") for c, d in g.subject_objects(OWL.disjointWith)]
        for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = g.value(axiom, OWL.members)
            if members is not None:
                disjoint.append((tuple(Collection(g, members)), axiom, "cax-adc"))
        return cls(
            graph=g,
            superclasses=table(RDFS.subClassOf),
            superproperties=table(RDFS.subPropertyOf),
            inverses={k: frozenset(v) for k, v in inverses.items()},
            domains=table(RDFS.domain, reflexive_ok=True),
            ranges=table(RDFS.range, reflexive_ok=True),
            transitive=frozenset(g.subjects(RDF.type, OWL.TransitiveProperty)),
            symmetric=frozenset(g.subjects(RDF.type, OWL.SymmetricProperty)),
            chains=tuple(sorted(chains, key=lambda c: str(c[0]))),
            disjoint=tuple(disjoint),
        )


# --- the fast engine: semi-naive fixpoint over the ABox ---------------------------------------------------
class _Facts:
    """Triples with their derivation rank (0 = given) and the indexes the rules join on."""

    def __init__(self) -> None:
        self.rank: dict[Triple, int] = {}
        self.out: defaultdict[Node, defaultdict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.inn: defaultdict[Node, defaultdict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.queue: deque[Triple] = deque()

    def add(self, t: Triple, rank: int) -> None:
        if t in self.rank:
            return
        s, p, o = t
        self.rank[t] = rank
        self.out[p][s].add(o)
        self.inn[p][o].add(s)
        self.queue.append(t)


def _chain_paths(facts: _Facts, steps: Sequence[Node], start: Node) -> Iterator[tuple[Node, list[Triple]]]:
    """Every ``z`` reachable from ``start`` along ``steps``, with the triples of the path."""
    frontier: list[tuple[Node, list[Triple]]] = [(start, [])]
    for p in steps:
        nxt = []
        for node, path in frontier:
            for z in facts.out[p].get(node, ()):
                nxt.append((z, [*path, (node, p, z)]))
        frontier = nxt
    yield from frontier


def _chain_paths_back(facts: _Facts, steps: Sequence[Node], end: Node) -> Iterator[tuple[Node, list[Triple]]]:
    frontier: list[tuple[Node, list[Triple]]] = [(end, [])]
    for p in reversed(steps):
        nxt = []
        for node, path in frontier:
            for x in facts.inn[p].get(node, ()):
                nxt.append((x, [(x, p, node), *path]))
        frontier = nxt
    yield from frontier


def _fixpoint(schema: Schema, triples: Iterable[Triple]) -> _Facts:
    """Apply the ABox rules until nothing new is derived (each new triple is processed once)."""
    facts = _Facts()
    for t in triples:
        facts.add(t, 0)
    chains_by_step: defaultdict[Node, list[tuple[Node, tuple[Node, ...], int]]] = defaultdict(list)
    for q, steps in schema.chains:
        for i, p in enumerate(steps):
            chains_by_step[p].append((q, steps, i))
    sup_c, sup_p, inv = schema.superclasses, schema.superproperties, schema.inverses
    dom, rng, trans, symm = schema.domains, schema.ranges, schema.transitive, schema.symmetric
    rank, add, queue = facts.rank, facts.add, facts.queue
    while queue:
        t = queue.popleft()
        s, p, o = t
        r = rank[t] + 1
        if p == RDF.type:
            for d in sup_c.get(o, ()):  # RULE cax-sco (and cax-eqc1/2 through the closed hierarchy)
                add((s, RDF.type, d), r)
            continue
        literal_o = isinstance(o, Literal)
        for q in sup_p.get(p, ()):  # RULE prp-spo1 (and prp-eqp1/2)
            add((s, q, o), r)
        for d in dom.get(p, ()):  # RULE prp-dom
            add((s, RDF.type, d), r)
        if literal_o:
            continue
        for q in inv.get(p, ()):  # RULE prp-inv1 / prp-inv2
            add((o, q, s), r)
        for d in rng.get(p, ()):  # RULE prp-rng
            add((o, RDF.type, d), r)
        if p in symm:  # RULE prp-symp
            add((o, p, s), r)
        if p in trans:  # RULE prp-trp
            for z in list(facts.out[p].get(o, ())):
                add((s, p, z), max(r, rank[(o, p, z)] + 1))
            for x in list(facts.inn[p].get(s, ())):
                add((x, p, o), max(r, rank[(x, p, s)] + 1))
        for q, steps, i in chains_by_step.get(p, ()):  # RULE prp-spo2
            for x, before in list(_chain_paths_back(facts, steps[:i], s)):
                for z, after in list(_chain_paths(facts, steps[i + 1:], o)):
                    path = [*before, t, *after]
                    add((x, q, z), 1 + max(rank[u] for u in path))
    return facts


def _clashes(schema: Schema, types: Iterable[Triple], nm: NamespaceManager,
             asserted: Graph | None = None) -> list[str]:
    """RULES cax-dw / cax-adc: an individual typed with two classes declared disjoint.

    With ``asserted``, each class is followed by the asserted types that entail it ("as cst:Treaty").
    """
    by_class: defaultdict[Node, set[Node]] = defaultdict(set)
    for s, _, c in types:
        by_class[c].add(s)

    def named(x: Node, c: Node) -> str:
        text = _short(c, nm)
        if asserted is None:
            return text
        via = sorted(_short(a, nm) for a in asserted.objects(x, RDF.type)
                     if a != c and c in schema.superclasses.get(a, ()))
        return f"{text} (as {', '.join(via)})" if via and (x, RDF.type, c) not in asserted else text

    messages = []
    for classes, _axiom, rule in schema.disjoint:
        for i, c in enumerate(classes):
            for d in classes[i + 1:]:
                for x in sorted(by_class.get(c, set()) & by_class.get(d, set()), key=str):
                    if rule == "cax-dw":
                        how = f"declared disjoint by {_short(c, nm)} owl:disjointWith {_short(d, nm)}"
                    else:
                        members = " ".join(_short(m, nm) for m in classes)
                        how = f"declared disjoint by owl:AllDisjointClasses ({members})"
                    messages.append(f"{_short(x, nm)} is both {named(x, c)} and {named(x, d)}, {how} "
                                    f"[{rule}]")
    return messages


# --- owlrl ---------------------------------------------------------------------------------------------
def closure(graph: Graph) -> Graph:
    """The full OWL 2 RL closure of ``graph`` by owlrl (a copy; ``graph`` is untouched)."""
    work = Graph()
    for t in graph:
        work.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return work


def _owlrl_clash_messages(full: Graph, nm: NamespaceManager, asserted: Graph | None = None) -> list[str]:
    """owlrl's err:error triples, explained where we can (disjointness, sameAs/differentFrom)."""
    raw = sorted(str(o) for o in full.objects(None, ERROR_PREDICATE))
    if not raw:
        return []
    schema = Schema.from_triples(t for t in full if is_schema_triple(t))
    messages = _clashes(schema, full.triples((None, RDF.type, None)), nm, asserted)
    for x, y in full.subject_objects(OWL.differentFrom):
        if (x, OWL.sameAs, y) in full or (y, OWL.sameAs, x) in full:
            why = [f"{_short(fp, nm)} is an owl:FunctionalProperty and {_short(z, nm)} {_short(fp, nm)} both"
                   for fp in full.subjects(RDF.type, OWL.FunctionalProperty)
                   for z in full.subjects(fp, x) if (z, fp, y) in full]
            messages.append(f"{_short(x, nm)} and {_short(y, nm)} are declared owl:differentFrom but inferred "
                            f"owl:sameAs{' (prp-fp: ' + '; '.join(why) + ')' if why else ''} [eq-diff1]")
    explained = bool(messages)
    for m in raw:
        if not (explained and ("Disjoint" in m or "differentFrom" in m)):
            messages.append(f"owlrl: {m}")
    return messages


# --- profile check -------------------------------------------------------------------------------------
def _describe(node: Node, g: Graph, nm: NamespaceManager) -> str:
    if not isinstance(node, BNode):
        return _short(node, nm)
    parts = [f"a {_short(o, nm)}" if p == RDF.type else
             f"{_short(p, nm)} {o if isinstance(o, Literal) else _describe(o, g, nm)}"
             for p, o in sorted(g.predicate_objects(node), key=lambda po: (po[0] != RDF.type, str(po[0])))
             if p not in (RDF.first, RDF.rest)]
    if (node, RDF.first, None) in g:
        return "(" + " ".join(_describe(m, g, nm) for m in Collection(g, node)) + ")"
    return "[ " + " ; ".join(parts) + " ]"


def profile_warnings(graph: Graph) -> list[str]:
    """Axioms outside OWL 2 RL that owlrl silently ignores, one message each (OWL 2 Profiles §4.2).

    Checked: an existential (``owl:someValuesFrom``), a union, an enumeration (``owl:oneOf``), or
    ``owl:hasSelf`` in a superclass position; a universal (``owl:allValuesFrom``) or complement in a
    subclass position; ``owl:minCardinality``/``owl:cardinality`` (and qualified forms);
    ``owl:maxCardinality`` above 1; ``owl:ReflexiveProperty``; ``owl:disjointUnionOf``; an
    ``owl:equivalentClass`` to anything but a named class, intersection or ``owl:hasValue``.
    """
    nm = _namespaces()
    out: list[str] = []

    def kind(x: Node) -> str | None:
        if not isinstance(x, BNode):
            return None
        for p, what in ((OWL.someValuesFrom, "an existential (owl:someValuesFrom)"),
                        (OWL.unionOf, "a union (owl:unionOf)"), (OWL.oneOf, "an enumeration (owl:oneOf)"),
                        (OWL.hasSelf, "owl:hasSelf"), (OWL.allValuesFrom, "a universal (owl:allValuesFrom)"),
                        (OWL.complementOf, "a complement (owl:complementOf)")):
            if (x, p, None) in graph:
                return what
        return None

    def warn(s: Node, p: Node, o: Node, why: str) -> None:
        out.append(f"axiom outside OWL 2 RL, ignored by the reasoner: {_describe(s, graph, nm)} {_short(p, nm)} "
                   f"{_describe(o, graph, nm)} — {why}")

    for s, o in graph.subject_objects(RDFS.subClassOf):
        k = kind(o)
        if k and "universal" not in k and "complement" not in k:
            warn(s, RDFS.subClassOf, o, f"{k} in a superclass position")
        k = kind(s)
        if k and ("universal" in k or "hasSelf" in k):
            warn(s, RDFS.subClassOf, o, f"{k} in a subclass position")
    for s, o in graph.subject_objects(OWL.equivalentClass):
        for x in (s, o):
            k = kind(x)
            if k:
                warn(s, OWL.equivalentClass, o, f"{k} in an equivalence (OWL 2 RL allows only named classes, "
                                              "intersections and owl:hasValue there)")
                break
    def axiom_of(r: Node) -> str:  # the axiom a restriction appears in, or the restriction alone
        for p in (RDFS.subClassOf, OWL.equivalentClass):
            for c in graph.subjects(p, r):
                return f"{_describe(c, graph, nm)} {_short(p, nm)} {_describe(r, graph, nm)}"
        return _describe(r, graph, nm)

    for p in (OWL.minCardinality, OWL.minQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality):
        for s, _o in graph.subject_objects(p):
            out.append(f"axiom outside OWL 2 RL, ignored by the reasoner: {axiom_of(s)} — "
                       f"{_short(p, nm)} is not in OWL 2 RL")
    for p in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        for s, o in graph.subject_objects(p):
            if isinstance(o, Literal) and str(o) not in ("0", "1"):
                out.append(f"axiom outside OWL 2 RL, ignored by the reasoner: {axiom_of(s)} — "
                           f"{_short(p, nm)} {o} (OWL 2 RL allows only 0 or 1)")
    for s in graph.subjects(RDF.type, OWL.ReflexiveProperty):
        out.append(f"axiom outside OWL 2 RL, ignored by the reasoner: {_short(s, nm)} a owl:ReflexiveProperty")
    for s, o in graph.subject_objects(OWL.disjointUnionOf):
        warn(s, OWL.disjointUnionOf, o, "owl:disjointUnionOf is not in OWL 2 RL")
    return sorted(set(out))


# --- the entry points ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reasoning:
    """One reasoning run: the published inferred triples and how they were obtained."""

    inferred: Graph
    engine: Engine
    #: why the fast engine fell back to owlrl (empty when it did not)
    fallback: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: the closure came from the cache (see :func:`reason_dataset`)
    reused: bool = False
    key: str | None = None
    dataset: Dataset | None = field(default=None, compare=False)

    def summary(self) -> dict[str, object]:
        return {"engine": self.engine, "fallback": list(self.fallback), "warnings": list(self.warnings),
                "closure_key": self.key, "closure_reused": self.reused, "inferred_triples": len(self.inferred)}


def _new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    return g


def _union(asserted: Iterable[Graph], *, only: Callable[[Triple], bool] | None = None) -> Graph:
    union = _new_graph()
    for g in asserted:
        for t in g:
            if only is None or only(t):
                union.add(t)
    return union


def fast_closure(triples: Iterable[Triple]) -> tuple[Schema, _Facts]:
    """The fast engine's closure: the closed schema and every fact (asserted or inferred) with its rank.

    Raises :class:`InconsistencyError` on a ``cax-dw``/``cax-adc`` clash.
    """
    given = triples if isinstance(triples, (set, frozenset, Graph)) else set(triples)
    schema = Schema.from_triples(t for t in given if is_schema_triple(t))
    facts = _fixpoint(schema, (*schema.graph, *given))
    nm = _namespaces()
    types = [(s, RDF.type, o) for s, o in _types(facts)]
    if _clashes(schema, types, nm):  # again, naming the asserted types behind each class (rare path)
        asserted = Graph()
        for t in given:
            if t[1] == RDF.type:
                asserted.add(t)
        raise InconsistencyError(_clashes(schema, types, nm, asserted))
    return schema, facts


def _types(facts: _Facts) -> Iterator[tuple[Node, Node]]:
    for o, subjects in facts.inn[RDF.type].items():
        for s in subjects:
            yield s, o


def reason(asserted: Iterable[Graph], *, engine: Engine = "fast") -> Reasoning:
    """Reason over the asserted graphs; returns the published inferred triples.

    Raises :class:`InconsistencyError` when the closure contains a clash.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    given: set[Triple] = set()
    for g in asserted:
        given.update(g)
    tbox = Graph()
    for t in given:
        if is_schema_triple(t):
            tbox.add(t)
    warnings = tuple(profile_warnings(tbox))  # every construct it looks at is a schema triple
    fallback: tuple[str, ...] = tuple(fast_path_obstacles(given)) if engine == "fast" else ()
    inferred = _new_graph()
    if engine == "fast" and not fallback:
        _, facts = fast_closure(given)
        for t in facts.rank:
            if t not in given and not is_trivial(*t):
                inferred.add(t)
        return Reasoning(inferred=inferred, engine="fast", warnings=warnings)
    union = _new_graph()
    for t in given:
        union.add(t)
    full = closure(union)
    errors = _owlrl_clash_messages(full, _namespaces(), union)
    if errors:
        raise InconsistencyError(errors)
    for t in full:
        if t not in given and not is_trivial(*t):
            inferred.add(t)
    return Reasoning(inferred=inferred, engine="owlrl", fallback=fallback, warnings=warnings)


def inferred_triples(asserted: Iterable[Graph], *, engine: Engine = "fast") -> Graph:
    """The published inferred graph: closure(asserted) − asserted − trivial triples.

    Raises :class:`InconsistencyError` when the closure contains a clash.
    """
    return reason(asserted, engine=engine).inferred


# --- the closure cache ---------------------------------------------------------------------------------
def closure_key(files: Sequence[Path], *, engine: Engine = "fast") -> str:
    """A hash of what the closure depends on: the ontology and data files, the reasoning code, owlrl's
    version and the engine; not the shapes, so a shapes-only change reuses the closure."""
    h = hashlib.sha256(f"{engine}\0owlrl {_dist_version('owlrl')}\0".encode())
    h.update(Path(__file__).read_bytes())
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _read_nquads(path: Path) -> Dataset:
    """Read N-Quads written by :func:`reason_dataset` (one IRI-named graph per line), keeping blank nodes
    shared across graphs; rdflib's own N-Quads parser goes through deprecated Dataset APIs."""
    lines: defaultdict[str, list[bytes]] = defaultdict(list)
    with path.open("rb") as f:
        for line in f:
            body, _, rest = line.rstrip().rpartition(b" <")
            if body:
                lines[rest[:-3].decode() if rest.endswith(b"> .") else rest.decode()].append(body + b" .")
    published = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        published.bind(prefix, ns, replace=True)
    bnodes: dict[str, BNode] = {}
    for name, nt in lines.items():
        published.graph(URIRef(name)).parse(data=b"\n".join(nt).decode("utf-8"), format="nt", bnode_context=bnodes)
    return published


def reason_dataset(ds: Dataset, *, cache_dir: Path | None = None, key: str | None = None,
                   engine: Engine = "fast") -> Reasoning:
    """Reason over every graph of ``ds``; the result's ``dataset`` holds the asserted graphs and the
    inferred graph (``INFERRED_GRAPH``) with consistent blank nodes, ready to publish.

    With ``cache_dir`` and ``key`` (see :func:`closure_key`), a previous result for the same key is
    reused: it is stored as N-Quads of asserted + inferred graphs, because blank-node labels differ
    between two parses of the same Turtle and the inferred triples must share the asserted ones.
    """
    cached = cache_dir / f"{key}.nq" if cache_dir is not None and key else None
    if cached is not None and cached.is_file():
        published = _read_nquads(cached)
        inferred = _new_graph()
        for t in published.graph(INFERRED_GRAPH):
            inferred.add(t)
        return Reasoning(inferred=inferred, engine=engine, reused=True, key=key, dataset=published,
                         warnings=tuple(profile_warnings(_union(ds.graphs(), only=is_schema_triple))))
    result = reason(list(ds.graphs()), engine=engine)
    published = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        published.bind(prefix, ns, replace=True)
    for ctx in ds.graphs():
        if len(ctx) and ctx.identifier != INFERRED_GRAPH:
            g = published.graph(ctx.identifier)
            for t in ctx:
                g.add(t)
    g_inf = published.graph(INFERRED_GRAPH)
    for t in result.inferred:
        g_inf.add(t)
    if cached is not None and cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}-", suffix=".nq", dir=cache_dir)
        with open(fd, "wb") as out:  # N-Triples of each graph + its name (Dataset.serialize is deprecated-API)
            for ctx in published.graphs():
                if not len(ctx) or not isinstance(ctx.identifier, URIRef):
                    continue
                suffix = f" <{ctx.identifier}> .\n".encode()
                for line in ctx.serialize(format="nt", encoding="utf-8").splitlines():
                    if line.endswith(b" ."):
                        out.write(line[:-2] + suffix)
        shutil.move(tmp, cached)
    return Reasoning(inferred=result.inferred, engine=result.engine, fallback=result.fallback,
                     warnings=result.warnings, reused=False, key=key, dataset=published)


# --- explanations --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Step:
    """How one triple holds: asserted, from the schema closure, or by ``rule`` from ``premises``."""

    triple: Triple
    rule: str  # "asserted", "schema", or an OWL 2 RL rule id
    axiom: str = ""
    premises: tuple[Step, ...] = ()

    def render(self, nm: NamespaceManager | None = None, indent: int = 0) -> str:
        nm = nm or _namespaces()
        pad = "  " * indent
        head = f"{pad}{_triple_text(self.triple, nm)}"
        if self.rule == "asserted":
            return head + "   [asserted]"
        if self.rule == "schema":
            return head + f"   [schema closure: {self.axiom}]"
        lines = [head, f"{pad}  ⇐ {self.rule}: {self.axiom}"]
        lines += [p.render(nm, indent + 2) for p in self.premises]
        return "\n".join(lines)


class _Explainer:
    def __init__(self, union: Graph) -> None:
        self.union = union
        self.schema, self.facts = fast_closure(union)
        self.nm = _namespaces()

    def _schema_why(self, s: Node, p: Node, o: Node) -> str:
        text = _triple_text((s, p, o), self.nm)
        if (s, p, o) in self.union:
            return text
        if p in (RDFS.subClassOf, RDFS.subPropertyOf):  # show the asserted path (scm-sco / scm-spo)
            path = self._path(s, o, p)
            if path:
                return text + " (entailed: " + " ⊑ ".join(_short(n, self.nm) for n in path) + ")"
        if p in (RDFS.domain, RDFS.range):  # scm-dom1/scm-rng1 (superclass), scm-dom2/scm-rng2 (subproperty)
            for q in (s, *sorted(self.schema.superproperties.get(s, ()), key=str)):
                for d0 in self.union.objects(q, p):
                    path = self._path(d0, o, RDFS.subClassOf)
                    if path:
                        hier = " ⊑ ".join(_short(n, self.nm) for n in path)
                        via = "" if q == s else f"{_short(s, self.nm)} ⊑ {_short(q, self.nm)}, "
                        return text + f" (entailed: {via}{_short(q, self.nm)} {_short(p, self.nm)} {hier})"
        return text + " (entailed by the schema closure, scm-* rules)"

    def _path(self, a: Node, b: Node, p: Node) -> list[Node]:
        prev: dict[Node, Node | None] = {a: None}
        todo = deque([a])
        while todo:
            x = todo.popleft()
            if x == b:
                path = [x]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])  # type: ignore[arg-type]
                return path[::-1]
            for y in (*self.union.objects(x, p), *self.union.objects(x, OWL.equivalentClass),
                      *self.union.subjects(OWL.equivalentClass, x)):
                if y not in prev:
                    prev[y] = x
                    todo.append(y)
        return []

    def one_step(self, t: Triple) -> tuple[str, str, list[Triple]] | None:
        """A rule instance deriving ``t`` from premises of lower rank (so the recursion terminates)."""
        return next(self.derivations(t), None)

    def derivations(self, t: Triple) -> Iterator[tuple[str, str, list[Triple]]]:
        """Every one-step rule instance (rule id, axiom, premises) deriving ``t`` from lower-rank premises."""
        s, p, o = t
        r = self.facts.rank.get(t)
        if r is None:
            return
        sch, out, inn = self.schema, self.facts.out, self.facts.inn

        def ok(u: Triple) -> bool:
            return self.facts.rank.get(u, r) < r

        if p == RDF.type:
            for c in list(out[RDF.type].get(s, ())):
                if o in sch.superclasses.get(c, ()) and ok((s, RDF.type, c)):
                    yield "cax-sco", self._schema_why(c, RDFS.subClassOf, o), [(s, RDF.type, c)]
            for q, ds in sch.domains.items():
                if o in ds:
                    for y in list(out[q].get(s, ())):
                        if ok((s, q, y)):
                            yield "prp-dom", self._schema_why(q, RDFS.domain, o), [(s, q, y)]
            for q, rs in sch.ranges.items():
                if o in rs:
                    for x in list(inn[q].get(s, ())):
                        if ok((x, q, s)):
                            yield "prp-rng", self._schema_why(q, RDFS.range, o), [(x, q, s)]
            return
        for q, sups in sch.superproperties.items():
            if p in sups and ok((s, q, o)):
                yield "prp-spo1", self._schema_why(q, RDFS.subPropertyOf, p), [(s, q, o)]
        for q in sch.inverses.get(p, ()):
            if ok((o, q, s)):
                # prp-inv1: T(p1 inverseOf p2), T(x p1 y) → T(y p2 x); prp-inv2: T(x p2 y) → T(y p1 x)
                if (q, OWL.inverseOf, p) in sch.graph:
                    yield "prp-inv1", self._schema_why(q, OWL.inverseOf, p), [(o, q, s)]
                if (p, OWL.inverseOf, q) in sch.graph:
                    yield "prp-inv2", self._schema_why(p, OWL.inverseOf, q), [(o, q, s)]
        if p in sch.symmetric and ok((o, p, s)):
            yield "prp-symp", self._schema_why(p, RDF.type, OWL.SymmetricProperty), [(o, p, s)]
        if p in sch.transitive:
            for z in list(out[p].get(s, ())):
                if ok((s, p, z)) and ok((z, p, o)):
                    yield ("prp-trp", self._schema_why(p, RDF.type, OWL.TransitiveProperty),
                           [(s, p, z), (z, p, o)])
        for q, steps in sch.chains:
            if q != p:
                continue
            for z, path in list(_chain_paths(self.facts, steps, s)):
                if z == o and all(ok(u) for u in path):
                    chain = " ".join(_short(x, self.nm) for x in steps)
                    yield "prp-spo2", f"{_short(q, self.nm)} owl:propertyChainAxiom ({chain})", path

    def step(self, t: Triple) -> Step:
        if t in self.union:
            return Step(t, "asserted")
        found = self.one_step(t)
        if found is None:
            return Step(t, "schema", "owlrl scm-* rules over the ontology")
        rule, axiom, premises = found
        return Step(t, rule, axiom, tuple(self.step(u) for u in premises))


def _parse_term(token: str) -> Node:
    token = token.strip()
    if token == "a":
        return RDF.type
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    if token.startswith(("http://", "https://", "urn:")):
        return URIRef(token)
    prefix, sep, local = token.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(str(PREFIXES[prefix]) + local)
    raise ValueError(f"cannot read {token!r} as an IRI (use <…>, a full IRI, or a known prefix: cst:, state:…)")


def explain(asserted: Iterable[Graph], query: str) -> list[Step]:
    """Derivations of inferred triples: ``query`` is ``"S P O"`` (one triple) or ``"S"`` (every inferred
    triple about S). Terms are prefixed names (``state:ARM``, ``cst:isMemberOf``), ``<IRI>``s or ``a``.

    Raises :class:`ValueError` for an unreadable query or a triple that is neither asserted nor inferred.
    """
    union = _union(asserted)
    ex = _Explainer(union)
    tokens = query.split()
    if len(tokens) == 3:
        t = (_parse_term(tokens[0]), _parse_term(tokens[1]), _parse_term(tokens[2]))
        if t not in ex.facts.rank:
            raise ValueError(f"{_triple_text(t, ex.nm)} is neither asserted nor inferred")
        return [ex.step(t)]
    if len(tokens) != 1:
        raise ValueError("give one IRI, or a triple as three terms: \"S P O\"")
    subject = _parse_term(tokens[0])
    triples = sorted((t for t in ex.facts.rank if t[0] == subject and t not in union and not is_trivial(*t)),
                     key=lambda t: (str(t[1]), str(t[2])))
    return [ex.step(t) for t in triples]
