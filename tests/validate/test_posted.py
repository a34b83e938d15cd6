"""A user's triples validated with a project read once (``ProjectValidator``, what ``POST /shacl`` runs) give
the report of a full validation of the project and those triples (``validate_dataset`` on a dataset built for
the purpose, what ``POST /shacl`` ran before): same verdict, same results (focus nodes, shapes, paths, values,
messages, files, the user's triples), for documents that conform, break a SHACL Core shape, break a
SHACL-SPARQL shape only together with the project, or add to a node of the project — and nothing of one
validation is left for the next."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from cstograph.load import load_graph, new_dataset
from cstograph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, SH, SHAPE, rdflib_term, turtle_prefixes
from cstograph.server.jobs import POSTED_GRAPH, ValidationJob, validation_handler
from cstograph.server.sandbox import Frame
from cstograph.store import GraphStore
from cstograph.validate import ProjectValidator, ValidationReport, validate_dataset

from ..conftest import FIXTURES, PROJECT_DIR

VALIDATE = FIXTURES / "validate"
POSTED = URIRef(POSTED_GRAPH)
SOURCES = {POSTED: "posted data"}
PREFIXES = turtle_prefixes("cst", "rdfs", "xsd", "state", "membership", "organization")
#: name → (Turtle, the (shape, focus node) pairs the report must show)
DOCUMENTS: dict[str, tuple[str, set[tuple[str, str]]]] = {
    "valid": ((VALIDATE / "good-person.ttl").read_text(encoding="utf-8"), set()),
    "core-violation": ((VALIDATE / "incomplete-membership.ttl").read_text(encoding="utf-8"),
                       {(str(SHAPE["MembershipShape-startDate"]), "https://w3id.org/cstograph/id/membership/test-no-start")}),
    # reported on the project's membership, which the posted one overlaps (SHACL-SPARQL, needs the project)
    "sparql-overlap-with-project": ((VALIDATE / "overlapping-membership.ttl").read_text(encoding="utf-8"),
                                    {(str(SHAPE.MembershipOverlapShape),
                                      "https://w3id.org/cstograph/id/membership/csto-KAZ-2002")}),
    # a second alpha-3 code on an existing state: a Core result on a node of the project
    "touches-a-project-node": (PREFIXES + 'state:ARM cst:iso3166Alpha3 "ARX" .\n',
                               {(str(SHAPE["StateShape-iso3166Alpha3"]), "https://w3id.org/cstograph/id/state/ARM")}),
    # the same triples the project has: nothing new, and the duplicates change no count
    "repeats-project-triples": (PREFIXES + 'state:ARM a cst:State ; rdfs:label "Armenia"@en , "Армения"@ru ; '
                                'cst:iso3166Alpha3 "ARM" ; cst:iso3166Alpha2 "AM" .\n', set()),
    # a blank membership: the overlap shape then has a blank focus node and is left to SHACL Core's engine
    "blank-node-overlap": (PREFIXES + """[] a cst:Membership ; rdfs:label "again"@en , "снова"@ru ;
        cst:member state:KAZ ; cst:memberOf organization:csto ; cst:startDate "2010-01-01"^^xsd:date ;
        cst:earliestStart "2010-01-01"^^xsd:date ; cst:latestStart "2010-01-01"^^xsd:date ;
        cst:citation [ a cst:Citation ; cst:citedSource <https://w3id.org/cstograph/id/source/seed-003> ;
                       cst:locator "x" ] .
""", {(str(SHAPE.MembershipOverlapShape), "https://w3id.org/cstograph/id/membership/csto-KAZ-2002")}),
    # a type that makes a project node a focus node of more shapes (SHACL Core and SHACL-SPARQL ones)
    "types-a-project-node": (PREFIXES + "state:ARM a cst:Membership .\n",
                             {(str(SHAPE[f"MembershipShape-{p}"]), "https://w3id.org/cstograph/id/state/ARM")
                              for p in ("member", "memberOf", "startDate")}),
    # a subclass of the project's own class: the class hierarchy changes, so every focus node is found anew
    "adds-a-subclass": (PREFIXES + """cst:MembershipAgain rdfs:subClassOf cst:Membership .
membership:again a cst:MembershipAgain ; rdfs:label "again"@en , "снова"@ru ;
    cst:member state:KAZ ; cst:memberOf organization:csto ; cst:startDate "2010-01-01"^^xsd:date ;
    cst:earliestStart "2010-01-01"^^xsd:date ; cst:latestStart "2010-01-01"^^xsd:date ;
    cst:citation [ a cst:Citation ; cst:citedSource <https://w3id.org/cstograph/id/source/seed-003> ;
                   cst:locator "x" ] .
""", {(str(SHAPE.MembershipOverlapShape), "https://w3id.org/cstograph/id/membership/csto-KAZ-2002")}),
}


@pytest.fixture(scope="module")
def shapes():  # type: ignore[no-untyped-def]
    return load_graph(sorted((PROJECT_DIR / "shapes").glob("*.ttl")))


@pytest.fixture(scope="module")
def asserted(store: GraphStore) -> list[ox.Quad]:
    """The project as POST /shacl sees it: the asserted named graphs, the ontology among them."""
    return [q for q in store.oxigraph.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != str(INFERRED_GRAPH)]


@pytest.fixture(scope="module")
def validators(shapes, asserted: list[ox.Quad]) -> dict[bool, ProjectValidator]:  # type: ignore[no-untyped-def]
    ontology = [q for q in asserted if q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))]
    return {True: ProjectValidator(shapes, asserted), False: ProjectValidator(shapes, ontology)}


def parse(turtle: str) -> list[ox.Quad]:
    return list(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))


def full_validation(shapes, project: list[ox.Quad], posted: list[ox.Quad]) -> ValidationReport:  # type: ignore[no-untyped-def]
    """The reference: the project's graphs and the posted graph in a fresh dataset, validated whole."""
    ds = new_dataset()
    for q in project:
        ds.graph(URIRef(q.graph_name.value)).add(  # type: ignore[union-attr]
            (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
    g = ds.graph(POSTED)
    for q in posted:
        g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
    return validate_dataset(ds, shapes, user_graphs=[POSTED], sources=SOURCES)


def summary(report: ValidationReport) -> dict[str, object]:
    """Everything a client of POST /shacl sees, in an order that does not depend on graph iteration."""
    def rows(everything: bool) -> list[str]:
        return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False)
                      for r in report.to_json(everything=everything)["results"])  # type: ignore[attr-defined]
    results = Counter((r.focus_node, r.source_shape, r.severity, r.path, r.value, r.messages,
                       r.node is not None and report.outcome.report.value(r.node, SH.sourceConstraintComponent))
                      for r in report.outcome.results)
    return {"conforms": report.conforms, "counts": report.counts(report.shown()), "shown": rows(False),
            "all": rows(True), "results": results, "text": Counter(report.render_text().splitlines())}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("with_project", [True, False], ids=["with-project", "ontology-only"])
def test_the_report_is_that_of_a_full_validation(name: str, with_project: bool, shapes,  # type: ignore[no-untyped-def]
                                                 asserted: list[ox.Quad],
                                                 validators: dict[bool, ProjectValidator]) -> None:
    turtle, expected = DOCUMENTS[name]
    posted = parse(turtle)
    project = asserted if with_project else [q for q in asserted if q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))]
    report = validators[with_project].validate(posted, graph=POSTED, sources=SOURCES)
    reference = full_validation(shapes, project, posted)
    assert summary(report) == summary(reference)
    if with_project:
        shown = {(str(r.result.source_shape), str(r.result.focus_node)) for r in report.shown()
                 if r.result.severity == SH.Violation}
        assert shown == expected
        assert report.conforms == (not expected)


def test_nothing_of_one_validation_is_left_for_the_next(shapes, asserted: list[ox.Quad],  # type: ignore[no-untyped-def]
                                                        validators: dict[bool, ProjectValidator]) -> None:
    validator = validators[True]
    before = {(r.focus_node, r.source_shape, r.value) for r in validator.project_outcome.results}
    for name in ("sparql-overlap-with-project", "touches-a-project-node", "blank-node-overlap"):
        assert not validator.validate(parse(DOCUMENTS[name][0]), graph=POSTED).conforms
    after = validator.validate([], graph=POSTED)
    assert {(r.focus_node, r.source_shape, r.value) for r in after.outcome.results} == before
    good = parse(DOCUMENTS["valid"][0])
    assert summary(validator.validate(good, graph=POSTED, sources=SOURCES)) == summary(
        full_validation(shapes, asserted, good))


def test_a_project_graph_is_not_a_name_for_the_added_triples(validators: dict[bool, ProjectValidator]) -> None:
    with pytest.raises(ValueError, match="graph of the project"):
        validators[True].validate([], graph=URIRef(str(ONTOLOGY_GRAPH)))


def test_the_handler_answers_each_job_from_the_project_as_it_was(store: GraphStore) -> None:
    """The validation pool's handler, job after job in one process: each report as if it were the first."""
    handle = validation_handler(store, PROJECT_DIR / "shapes")()

    def post(name: str) -> dict[str, object]:
        job = ValidationJob(media_type="text/turtle", report_type="application/json", with_project=True)
        answer = handle(Frame(1, job.header(), DOCUMENTS[name][0].encode("utf-8")))
        return json.loads(answer.body)  # type: ignore[no-any-return]

    first = post("valid")
    assert first["conforms"] is True
    assert post("sparql-overlap-with-project")["conforms"] is False
    assert post("touches-a-project-node")["conforms"] is False
    assert post("valid") == first


def test_posted_triple_terms_are_refused(store: GraphStore) -> None:
    handle = validation_handler(store, PROJECT_DIR / "shapes")()
    job = ValidationJob(media_type="text/turtle", report_type="application/json", with_project=False)
    body = b"<http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> ."
    answer = handle(Frame(1, job.header(), body))
    assert answer.header["status"] == 400 and "triple terms" in str(answer.header["message"])
