"""What the published inferred graph leaves out (``is_trivial``), case by case."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, Namespace

from cstograph.namespaces import CST, OWL, RDF, RDFS, XSD
from cstograph.reason import ERROR_PREDICATE, is_trivial

EX = Namespace("http://example.org/")


@pytest.mark.parametrize("triple", [
    (EX.a, OWL.sameAs, EX.a),
    (CST.State, RDFS.subClassOf, CST.State),
    (EX.a, RDF.type, OWL.Thing),
    (EX.a, RDF.type, RDFS.Resource),
    (EX.a, RDF.type, OWL.NamedIndividual),
    (OWL.Nothing, RDFS.subClassOf, CST.State),
    (CST.State, RDFS.subClassOf, OWL.Thing),
    (RDFS.label, RDF.type, OWL.AnnotationProperty),
    (EX.p, RDF.type, OWL.AnnotationProperty),
    (BNode("b"), RDF.type, OWL.Class),
    (Literal("2022-01-05", datatype=XSD.date), RDF.type, XSD.date),
    (EX.a, ERROR_PREDICATE, Literal("clash")),
], ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for x in t))
def test_dropped(triple: tuple) -> None:  # type: ignore[type-arg]
    assert is_trivial(*triple)


@pytest.mark.parametrize("triple", [
    (EX.d, RDF.type, CST.Event),
    (CST.Post, RDFS.subClassOf, EX.Post),
    (EX.C, RDF.type, OWL.Class),
    (EX.p, RDF.type, OWL.ObjectProperty),
    (EX.a, EX.p, Literal("x")),
    (EX.a, OWL.sameAs, EX.b),
])
def test_kept(triple: tuple) -> None:  # type: ignore[type-arg]
    assert not is_trivial(*triple)
