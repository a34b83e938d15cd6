"""The ontology: parses (rdflib and the independent strict parser rapper), is consistent under OWL 2 RL,
every term is labelled in English and Russian and defined, and data uses only declared terms."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cstograph.load import load_graph
from cstograph.namespaces import CST, ONTOLOGY_IRI
from cstograph.reason import ERROR_PREDICATE, closure

from ..conftest import PROJECT_DIR, require_tool

ONTOLOGY = PROJECT_DIR / "ontology" / "cstograph.ttl"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph([ONTOLOGY])


def declared_terms(g: Graph) -> set[URIRef]:
    return {s for t in (*TERM_TYPES, RDFS.Class) for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for p in (OWL.versionIRI, URIRef("http://purl.org/dc/terms/license"), URIRef("http://purl.org/dc/elements/1.1/creator"),
              URIRef("http://purl.org/dc/terms/description")):
        assert ontology.value(onto, p) is not None, p
    # dcterms:creator is an object property here (cst:author is its sub-property): never an ontology annotation
    assert ontology.value(onto, URIRef("http://purl.org/dc/terms/creator")) is None


def test_rapper_parses_strictly() -> None:
    rapper = require_tool("rapper")
    proc = subprocess.run([rapper, "-i", "turtle", "-c", str(ONTOLOGY)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "returned" in proc.stderr and "triples" in proc.stderr


def test_consistent_under_owl2rl(ontology: Graph) -> None:
    full = closure(ontology)
    assert list(full.objects(None, ERROR_PREDICATE)) == []
    assert len(full) > len(ontology)


def test_every_term_has_english_and_russian_label_and_definition(ontology: Graph) -> None:
    """Every cst: term (classes, properties, concepts, schemes, collections) has one English and one Russian
    label and one English and one Russian skos:definition."""
    terms = {t for t in ontology.subjects() if isinstance(t, URIRef) and str(t).startswith(str(CST))}
    assert len(terms) > 300
    missing = []
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            langs = [v.language for v in ontology.objects(term, prop) if isinstance(v, Literal)]
            if sorted(langs) != ["en", "ru"]:
                missing.append(f"{term}: {prop.n3()} languages {langs}")
    assert missing == []


def test_required_classes_exist(ontology: Graph) -> None:
    required = [
        "State", "InternationalOrganization", "OrganizationBody", "MilitaryFormation", "Person", "Post",
        "OfficeTerm", "MilitaryBase", "Treaty", "Charter", "Protocol", "Agreement", "Article", "Paragraph",
        "ArticleVersion", "Obligation", "Membership", "Event", "Accession", "Signing", "Ratification",
        "EntryIntoForce", "NonRenewal", "Withdrawal", "Suspension", "RequestForAssistance", "Response",
        "Deployment", "Mission", "Refusal", "NoResponse", "ArmedConflict", "BorderClash", "CoupOrRevolution",
        "Unrest", "TradeDispute", "Referendum", "Exercise", "RecurringOperation", "Statement", "Assessment",
        "SourceDocument", "Claim", "Citation", "Statistic",
    ]
    declared = declared_terms(ontology)
    assert [c for c in required if CST[c] not in declared] == []


def test_owl2rl_profile_has_no_constructs_owlrl_ignores(ontology: Graph) -> None:
    """Constructs outside OWL 2 RL that owlrl would silently skip must not appear in the TBox."""
    forbidden = [OWL.someValuesFrom, OWL.minCardinality, OWL.cardinality, OWL.qualifiedCardinality,
                 OWL.disjointUnionOf, OWL.ReflexiveProperty]
    found = [(s, p, o) for p in forbidden for s, _, o in ontology.triples((None, p, None))]
    found += [(s, RDF.type, o) for s, _, o in ontology.triples((None, RDF.type, OWL.ReflexiveProperty))]
    assert found == []


def _data_files() -> list[Path]:
    return sorted((PROJECT_DIR / "data").rglob("*.ttl"))


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: p.name)
def test_data_uses_only_declared_terms(path: Path, ontology: Graph) -> None:
    declared = declared_terms(ontology) | {
        s for s in ontology.subjects(RDF.type, SKOS.Concept)} | {
        s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme)}
    g = load_graph([path])
    used = {p for p in g.predicates() if str(p).startswith(str(CST))}
    used |= {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(str(CST))}
    assert sorted(used - declared) == []
