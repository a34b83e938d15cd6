"""OWL 2 Profiles §4.3, Table 5 (the semantics of axioms about properties): the ``prp-*`` rules the fast
engine applies to the data, each forward (from a new triple, what it derives) and backward (for an
explanation, the premises it derives a triple from).

Forward rules take the closed :class:`~._scm.Schema`, the :class:`~._facts.Facts`, the new triple and the
rank of what it derives; backward rules yield :data:`~._facts.Derivation` s from premises of lower rank.
``prp-eqp1/2`` need no rule of their own: owlrl's schema closure turns ``owl:equivalentProperty`` into
``rdfs:subPropertyOf`` both ways, which ``prp-spo1`` then applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rdflib.term import Node

from ..namespaces import OWL, RDF, RDF_TYPE, RDFS, n3
from ._facts import Derivation, Facts, Triple, Why, chain_paths, chain_paths_back
from ._scm import Schema

__all__ = ["BACKWARD", "BACKWARD_TYPE", "FORWARD", "FORWARD_IRI_OBJECT"]

Forward = Callable[[Schema, Facts, Triple, int], None]
#: Whether a forward rule can fire for a triple with this predicate (it has an axiom about it).
Applies = Callable[[Schema, Node], bool]
Backward = Callable[[Schema, Facts, Triple, Callable[[Triple], bool], Why], Iterator[Derivation]]


# --- forward -----------------------------------------------------------------------------------------------
def prp_spo1(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-spo1: T(?p1, rdfs:subPropertyOf, ?p2) T(?x, ?p1, ?y) → T(?x, ?p2, ?y)."""
    s, p, o = t
    for q in schema.superproperties.get(p, ()):  # RULE prp-spo1 (and prp-eqp1/2)
        facts.add((s, q, o), r)


def prp_dom(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-dom: T(?p, rdfs:domain, ?c) T(?x, ?p, ?y) → T(?x, rdf:type, ?c)."""
    s, p, _ = t
    for d in schema.domains.get(p, ()):  # RULE prp-dom
        facts.add((s, RDF_TYPE, d), r)


def prp_inv(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-inv1: T(?p1, owl:inverseOf, ?p2) T(?x, ?p1, ?y) → T(?y, ?p2, ?x); prp-inv2: … T(?x, ?p2, ?y)
    → T(?y, ?p1, ?x). :attr:`Schema.inverses` holds both directions, so one lookup serves both rules."""
    s, p, o = t
    for q in schema.inverses.get(p, ()):  # RULE prp-inv1 / prp-inv2
        facts.add((o, q, s), r)


def prp_rng(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-rng: T(?p, rdfs:range, ?c) T(?x, ?p, ?y) → T(?y, rdf:type, ?c)."""
    _, p, o = t
    for d in schema.ranges.get(p, ()):  # RULE prp-rng
        facts.add((o, RDF_TYPE, d), r)


def prp_symp(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-symp: T(?p, rdf:type, owl:SymmetricProperty) T(?x, ?p, ?y) → T(?y, ?p, ?x)."""
    s, p, o = t
    if p in schema.symmetric:  # RULE prp-symp
        facts.add((o, p, s), r)


def prp_trp(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-trp: T(?p, rdf:type, owl:TransitiveProperty) T(?x, ?p, ?y) T(?y, ?p, ?z) → T(?x, ?p, ?z)."""
    s, p, o = t
    if p not in schema.transitive:
        return
    rank = facts.rank
    for z in list(facts.out[p].get(o, ())):  # RULE prp-trp (t is the first premise)
        facts.add((s, p, z), max(r, rank[(o, p, z)] + 1))
    for x in list(facts.inn[p].get(s, ())):  # RULE prp-trp (t is the second premise)
        facts.add((x, p, o), max(r, rank[(x, p, s)] + 1))


def prp_spo2(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """prp-spo2: T(?p, owl:propertyChainAxiom, ?x) LIST[?x, ?p1, …, ?pn] T(?u1, ?p1, ?u2) … T(?un, ?pn, ?un+1)
    → T(?u1, ?p, ?un+1); ``t`` may stand at any position of the chain."""
    s, p, o = t
    rank = facts.rank
    for q, steps, i in schema.chain_steps.get(p, ()):  # RULE prp-spo2
        for x, before in list(chain_paths_back(facts, steps[:i], s)):
            for z, after in list(chain_paths(facts, steps[i + 1:], o)):
                path = [*before, t, *after]
                facts.add((x, q, z), 1 + max(rank[u] for u in path))


#: Rules for any new triple other than ``rdf:type``, in the order they are applied, each with its test.
FORWARD: tuple[tuple[Forward, Applies], ...] = (
    (prp_spo1, lambda schema, p: p in schema.superproperties),
    (prp_dom, lambda schema, p: p in schema.domains),
)
#: Rules that need an IRI or blank-node object (a literal cannot be a subject).
FORWARD_IRI_OBJECT: tuple[tuple[Forward, Applies], ...] = (
    (prp_inv, lambda schema, p: p in schema.inverses),
    (prp_rng, lambda schema, p: p in schema.ranges),
    (prp_symp, lambda schema, p: p in schema.symmetric),
    (prp_trp, lambda schema, p: p in schema.transitive),
    (prp_spo2, lambda schema, p: p in schema.chain_steps),
)


# --- backward ----------------------------------------------------------------------------------------------
def prp_dom_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                 ) -> Iterator[Derivation]:
    s, p, o = t
    if p != RDF.type:
        return
    for q, ds in schema.domains.items():
        if o in ds:
            for y in list(facts.out[q].get(s, ())):
                if ok((s, q, y)):
                    yield "prp-dom", why(q, RDFS.domain, o), [(s, q, y)]


def prp_rng_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                 ) -> Iterator[Derivation]:
    s, p, o = t
    if p != RDF.type:
        return
    for q, rs in schema.ranges.items():
        if o in rs:
            for x in list(facts.inn[q].get(s, ())):
                if ok((x, q, s)):
                    yield "prp-rng", why(q, RDFS.range, o), [(x, q, s)]


def prp_spo1_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                  ) -> Iterator[Derivation]:
    s, p, o = t
    for q, sups in schema.superproperties.items():
        if p in sups and ok((s, q, o)):
            yield "prp-spo1", why(q, RDFS.subPropertyOf, p), [(s, q, o)]


def prp_inv_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                 ) -> Iterator[Derivation]:
    s, p, o = t
    for q in schema.inverses.get(p, ()):
        if ok((o, q, s)):
            # prp-inv1: T(p1 inverseOf p2), T(x p1 y) → T(y p2 x); prp-inv2: T(x p2 y) → T(y p1 x)
            if (q, OWL.inverseOf, p) in schema.graph:
                yield "prp-inv1", why(q, OWL.inverseOf, p), [(o, q, s)]
            if (p, OWL.inverseOf, q) in schema.graph:
                yield "prp-inv2", why(p, OWL.inverseOf, q), [(o, q, s)]


def prp_symp_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                  ) -> Iterator[Derivation]:
    s, p, o = t
    if p in schema.symmetric and ok((o, p, s)):
        yield "prp-symp", why(p, RDF.type, OWL.SymmetricProperty), [(o, p, s)]


def prp_trp_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                 ) -> Iterator[Derivation]:
    s, p, o = t
    if p not in schema.transitive:
        return
    for z in list(facts.out[p].get(s, ())):
        if ok((s, p, z)) and ok((z, p, o)):
            yield "prp-trp", why(p, RDF.type, OWL.TransitiveProperty), [(s, p, z), (z, p, o)]


def prp_spo2_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                  ) -> Iterator[Derivation]:
    s, p, o = t
    for q, steps in schema.chains:
        if q != p:
            continue
        for z, path in list(chain_paths(facts, steps, s)):
            if z == o and all(ok(u) for u in path):
                chain = " ".join(n3(x) for x in steps)
                yield "prp-spo2", f"{n3(q)} owl:propertyChainAxiom ({chain})", path


#: Backward rules for ``rdf:type`` triples (after ``cax-sco``) and for the others, in the order tried.
BACKWARD_TYPE: tuple[Backward, ...] = (prp_dom_back, prp_rng_back)
BACKWARD: tuple[Backward, ...] = (prp_spo1_back, prp_inv_back, prp_symp_back, prp_trp_back, prp_spo2_back)
