"""The SHACL shapes: each shape has a fixture that violates it and one that conforms (self-describing
fixtures under fixtures/shapes/, pySHACL style); the shapes are valid SHACL (SHACL-SHACL); the shipped
data has no sh:Violation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cstograph.config import Settings
from cstograph.load import load_graph
from cstograph.namespaces import CST, SH, SHAPE, turtle_prefixes
from cstograph.pipeline import asserted_sources
from cstograph.validate import validate_dataset, validate_graph

from ..conftest import FIXTURES, PROJECT_DIR

T = Namespace("https://w3id.org/cstograph/test#")
SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
#: Predicates of a node shape that carry no constraint of their own.
NON_CONSTRAINTS = {RDF.type, RDFS.label, RDFS.comment, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                   SH.targetObjectsOf, SH.property, SH.severity, SH.message, SH.deactivated, SH.name}


@cache
def shapes() -> Graph:
    return load_graph(sorted((PROJECT_DIR / "shapes").glob("*.ttl")))


@cache
def ontology() -> Graph:
    return load_graph([PROJECT_DIR / "ontology" / "cstograph.ttl"])


def split_fixture(path: Path) -> tuple[Graph, list[tuple[URIRef, URIRef, URIRef]], list[tuple[URIRef, URIRef]]]:
    """A fixture's data, expected (shape, focus, severity) results, and (shape, focus) pairs that conform."""
    g = load_graph([path])
    expected, conforming, blocks = [], [], set()
    for case in set(g.subjects(T.expect, None)) | set(g.subjects(T.conforms, None)):
        for b in g.objects(case, T.expect):
            expected.append((g.value(b, T.shape), g.value(b, T.focus), g.value(b, T.severity)))
            blocks.add(b)
        for b in g.objects(case, T.conforms):
            conforming.append((g.value(b, T.shape), g.value(b, T.focus)))
            blocks.add(b)
    data = Graph()
    for s, p, o in g:
        if s not in blocks and not str(p).startswith(str(T)):
            data.add((s, p, o))
    return data, expected, conforming  # type: ignore[return-value]


def constraint_shapes() -> set[URIRef]:
    """Named shapes that can produce results themselves: property shapes, and node shapes with a
    constraint of their own (not only sh:property containers)."""
    g = shapes()
    out = set()
    for s in set(g.subjects(RDF.type, SH.PropertyShape)) | set(g.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(s, URIRef) or not str(s).startswith(str(SHAPE)):
            continue
        if (s, RDF.type, SH.PropertyShape) in g or set(g.predicates(s, None)) - NON_CONSTRAINTS:
            out.add(s)
    return out


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_fixture_reports_exactly_the_expected_shape_focus_and_severity(fixture: Path) -> None:
    data, expected, conforming = split_fixture(fixture)
    outcome = validate_graph(data, shapes(), ontology=ontology())
    got = {(r.source_shape, r.focus_node, r.severity) for r in outcome.results}
    missing = [e for e in expected if e not in got]
    assert not missing, f"expected results not reported: {missing}\nreport:\n{outcome.text}"
    wrongly = [(s, f) for s, f in conforming if any(r[0] == s and r[1] == f for r in got)]
    assert not wrongly, f"conforming nodes reported: {wrongly}"


def test_every_shape_has_a_violating_and_a_conforming_fixture() -> None:
    violated, conformed = set(), set()
    for fixture in SHAPE_FIXTURES:
        _, expected, conforming = split_fixture(fixture)
        violated |= {s for s, _, _ in expected}
        conformed |= {s for s, _ in conforming}
    all_shapes = constraint_shapes()
    assert len(all_shapes) > 50
    assert sorted(all_shapes - violated) == [], "shapes without a violating fixture"
    assert sorted(all_shapes - conformed) == [], "shapes without a conforming fixture"


def test_shapes_are_named_with_english_and_russian_messages_and_a_severity() -> None:
    g = shapes()
    for s in constraint_shapes():
        messages = list(g.objects(s, SH.message)) + [
            m for c in g.objects(s, SH.sparql) for m in g.objects(c, SH.message)]
        assert {m.language for m in messages} >= {"en", "ru"}, s  # type: ignore[attr-defined]
        severities = list(g.objects(s, SH.severity))
        assert len(severities) == 1 and severities[0] in (SH.Violation, SH.Warning, SH.Info), s
    # no anonymous top-level shapes
    assert not [s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, BNode)]


def test_sparql_constraints_say_why_core_cannot() -> None:
    text = (PROJECT_DIR / "shapes" / "semantic.ttl").read_text()
    blocks = text.split("\nshape:")[1:]
    for block in blocks:
        if "sh:sparql" in block:
            name = block.split()[0]
            lines = text.split(f"\nshape:{name} a sh:NodeShape")[0].rstrip().splitlines()
            comment = []
            while lines and lines[-1].startswith("#"):
                comment.append(lines.pop())
            assert any(c.startswith("# Why SPARQL:") for c in comment), name


def test_shapes_conform_to_shacl_shacl() -> None:
    conforms, _, text = meta_validate(shapes(), inference="none")
    assert conforms, text


def test_meta_validation_catches_a_broken_shape() -> None:
    broken = Graph()
    broken.parse(data=turtle_prefixes("sh") + """@prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .""", format="turtle")
    conforms, _, _ = meta_validate(broken, inference="none")
    assert not conforms


def test_shipped_data_has_no_violation() -> None:
    settings = Settings.discover(project_dir=PROJECT_DIR)
    report = validate_dataset(asserted_sources(settings), shapes())
    assert report.outcome.violations == (), report.render_text()


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_oxigraph_evaluation_of_sparql_constraints_agrees_with_pyshacl(fixture: Path) -> None:
    """The fast path (each SHACL-SPARQL constraint run once by Oxigraph over all focus nodes bound with
    VALUES) reports exactly what pySHACL's per-focus-node evaluation reports."""
    data, _, _ = split_fixture(fixture)
    fast = validate_graph(data, shapes(), ontology=ontology())
    slow = validate_graph(data, shapes(), ontology=ontology(), sparql_engine="pyshacl")

    def key(o):  # type: ignore[no-untyped-def]
        return sorted({(str(r.source_shape), str(r.focus_node), str(r.severity), str(r.value),
                        tuple(sorted(map(str, r.messages)))) for r in o.results})

    assert key(fast) == key(slow)


def test_every_class_with_instances_has_a_named_node_shape() -> None:
    """Each cst: class that has instances in the shipped data is the sh:targetClass of a named node shape
    (itself or a superclass of it, when a more specific shape would say nothing more)."""
    settings = Settings.discover(project_dir=PROJECT_DIR)
    ds = asserted_sources(settings)
    onto = ontology()
    targeted = set(shapes().objects(None, SH.targetClass))
    used = {o for g in ds.graphs() for o in g.objects(None, RDF.type)
            if isinstance(o, URIRef) and str(o).startswith(str(CST))
            and (o, RDF.type, OWL.Class) in onto}
    uncovered = sorted(c for c in used if not ({c, *onto.transitive_objects(c, RDFS.subClassOf)} & targeted))
    assert uncovered == []
    # the main classes have a shape of their own
    own = {CST[c] for c in ("State", "Person", "Organization", "Post", "OfficeTerm", "Membership", "Place",
                            "LegalDocument", "LegalDocumentPart", "ArticleVersion", "Obligation", "Event",
                            "RequestForAssistance", "Response", "Deployment", "ArmedConflict", "Operation",
                            "Statement", "Claim", "Assessment", "Recommendation", "SourceDocument", "CitedWork",
                            "Citation", "Statistic")}
    assert own <= targeted, sorted(own - targeted)


def test_blank_focus_nodes_are_checked_too() -> None:
    """A shape whose focus nodes include a blank node is left to pySHACL (VALUES cannot bind blank nodes)."""
    data = Graph().parse(format="turtle", data=turtle_prefixes("cst", "xsd") + """
        [] a cst:Membership ; cst:startDate "2005-01-01"^^xsd:date ; cst:endDate "2004-01-01"^^xsd:date .""")
    outcome = validate_graph(data, shapes(), ontology=ontology())
    assert [r for r in outcome.results if r.source_shape == SHAPE.SpanEndsAfterStartShape
            and isinstance(r.focus_node, BNode) and r.severity == SH.Violation]
