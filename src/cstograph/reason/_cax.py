"""OWL 2 Profiles §4.3, Table 7 (the semantics of class axioms): ``cax-sco`` (with ``cax-eqc1/2`` through
the closed hierarchy) applied to the data, and the clash rules ``cax-dw`` and ``cax-adc``, which name the
individual, its two classes and the axiom that declares them disjoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

from ..namespaces import RDF, RDF_TYPE, RDFS, n3
from ._facts import Derivation, Facts, Triple, Why
from ._scm import Schema

__all__ = ["cax_sco", "cax_sco_back", "clashes"]


def cax_sco(schema: Schema, facts: Facts, t: Triple, r: int) -> None:
    """cax-sco: T(?c1, rdfs:subClassOf, ?c2) T(?x, rdf:type, ?c1) → T(?x, rdf:type, ?c2); cax-eqc1/2
    through the closed hierarchy (``owl:equivalentClass`` is ``rdfs:subClassOf`` both ways there)."""
    s, _, o = t
    for d in schema.superclasses.get(o, ()):  # RULE cax-sco (and cax-eqc1/2 through the closed hierarchy)
        facts.add((s, RDF_TYPE, d), r)


def cax_sco_back(schema: Schema, facts: Facts, t: Triple, ok: Callable[[Triple], bool], why: Why
                 ) -> Iterator[Derivation]:
    s, p, o = t
    if p != RDF.type:
        return
    for c in list(facts.out[RDF.type].get(s, ())):
        if o in schema.superclasses.get(c, ()) and ok((s, RDF.type, c)):
            yield "cax-sco", why(c, RDFS.subClassOf, o), [(s, RDF.type, c)]


def _named(schema: Schema, asserted: Graph | None, x: Node, c: Node) -> str:
    """A class of ``x`` with the asserted types that entail it, when asked: ``cst:LegalDocument (as cst:Treaty)``."""
    text = n3(c)
    if asserted is None:
        return text
    via = sorted(n3(a) for a in asserted.objects(x, RDF.type) if a != c and c in schema.superclasses.get(a, ()))
    return f"{text} (as {', '.join(via)})" if via and (x, RDF.type, c) not in asserted else text


def _how(classes: tuple[Node, ...], c: Node, d: Node, rule: str) -> str:
    if rule == "cax-dw":
        return f"declared disjoint by {n3(c)} owl:disjointWith {n3(d)}"
    return f"declared disjoint by owl:AllDisjointClasses ({' '.join(n3(m) for m in classes)})"


def clashes(schema: Schema, types: Iterable[Triple], asserted: Graph | None = None) -> list[str]:
    """RULES cax-dw / cax-adc: an individual typed with two classes declared disjoint, one message each.

    cax-dw: T(?c1, owl:disjointWith, ?c2) T(?x, rdf:type, ?c1) T(?x, rdf:type, ?c2) → false;
    cax-adc: T(?x, rdf:type, owl:AllDisjointClasses) T(?x, owl:members, ?y) LIST[?y, ?c1, …, ?cn]
    T(?z, rdf:type, ?ci) T(?z, rdf:type, ?cj) → false (1 ≤ i < j ≤ n).
    With ``asserted``, each class is followed by the asserted types that entail it ("as cst:Treaty").
    """
    by_class: defaultdict[Node, set[Node]] = defaultdict(set)
    for s, _, c in types:
        by_class[c].add(s)
    messages = []
    for classes, _axiom, rule in schema.disjoint:
        for i, c in enumerate(classes):
            for d in classes[i + 1:]:
                for x in sorted(by_class.get(c, set()) & by_class.get(d, set()), key=str):
                    messages.append(f"{n3(x)} is both {_named(schema, asserted, x, c)} and "
                                    f"{_named(schema, asserted, x, d)}, {_how(classes, c, d, rule)} [{rule}]")
    return messages
