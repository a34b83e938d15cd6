"""Table 9 (``scm-*``): the closed schema and the rule tables the fast engine looks up."""

from __future__ import annotations

from rdflib import Graph, Namespace

from cstograph.namespaces import OWL, RDF, RDFS
from cstograph.reason import Schema, is_schema_triple

EX = Namespace("http://example.org/")


def tbox() -> Graph:
    return Graph().parse(format="turtle", data="""
        @prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
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
