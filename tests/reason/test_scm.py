"""Table 9 (``scm-*``): the closed schema and the rule tables the fast engine looks up."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Namespace

from cstograph.namespaces import OWL, RDF, RDFS, turtle_prefixes
from cstograph.reason import Schema, is_schema_triple

EX = Namespace("http://example.org/")


def tbox() -> Graph:
    return Graph().parse(format="turtle", data=turtle_prefixes("rdfs", "owl") + """
        @prefix ex: <http://example.org/> .
        ex:A rdfs:subClassOf ex:B . ex:B owl:equivalentClass ex:C .
        ex:p rdfs:subPropertyOf ex:q ; rdfs:domain ex:A ; owl:inverseOf ex:r .
        ex:chain owl:propertyChainAxiom ( ex:p ex:s ) .
        ex:t a owl:TransitiveProperty . ex:u a owl:SymmetricProperty .
        ex:A owl:disjointWith ex:D .""")


def test_schema_triples_are_the_tbox() -> None:
    assert is_schema_triple((EX.A, RDFS.subClassOf, EX.B))
    assert is_schema_triple((EX.t, RDF.type, OWL.TransitiveProperty))
    assert not is_schema_triple((EX.x, RDF.type, EX.A))
    assert not is_schema_triple((EX.x, EX.p, EX.y))


def test_tables_are_read_off_the_closed_schema() -> None:
    s = Schema.from_triples(tbox())
    assert {EX.B, EX.C} <= s.superclasses[EX.A]  # scm-sco through scm-eqc1
    assert EX.B in s.superclasses[EX.C] and EX.C in s.superclasses[EX.B]  # equivalence: both ways
    assert EX.A not in s.superclasses.get(EX.A, frozenset())  # no reflexive entries
    assert s.superproperties[EX.p] >= {EX.q}
    assert s.inverses[EX.p] == {EX.r} and s.inverses[EX.r] == {EX.p}  # one table for prp-inv1 and prp-inv2
    assert EX.A in s.domains[EX.p]
    assert s.transitive == {EX.t} and s.symmetric == {EX.u}
    assert s.chains == ((EX.chain, (EX.p, EX.s)),)
    assert s.chain_steps[EX.p] == ((EX.chain, (EX.p, EX.s), 0),)
    assert s.chain_steps[EX.s] == ((EX.chain, (EX.p, EX.s), 1),)
    assert ((EX.A, EX.D), EX.A, "cax-dw") in s.disjoint


def _owlrl_itself(triples: Graph) -> set[tuple[object, object, object]]:
    g = Graph()
    for t in triples:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return set(g)


@pytest.mark.parametrize("ontology", ["project", "functional"])
def test_the_closed_schema_is_owlrls_closure(ontology: str) -> None:
    """The schema closure skips owlrl's ``eq-*`` rules when they can only give ``x owl:sameAs x``, which it
    adds afterwards: the same graph as owlrl's own run (with a functional property, owlrl's own run)."""
    if ontology == "project":
        source = Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "cstograph.ttl")
    else:
        source = tbox()
        source.add((EX.f, RDF.type, OWL.FunctionalProperty))
    triples = Graph()
    for t in source:
        if is_schema_triple(t):
            triples.add(t)
    assert set(Schema.from_triples(triples).graph) == _owlrl_itself(triples)
