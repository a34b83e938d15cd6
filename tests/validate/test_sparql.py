"""SHACL-SPARQL evaluated by Oxigraph (SHACL §5): ``$this`` is pre-bound (§5.3.1) for each focus node of
each target kind, whatever the query's text looks like; the results equal pySHACL's."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace

from cstograph.errors import InputError
from cstograph.load import load_graph
from cstograph.namespaces import SH, turtle_prefixes
from cstograph.validate import ValidationOutcome, validate_graph

from ..conftest import FIXTURES

EX = Namespace("http://example.org/")
SHAPES = FIXTURES / "validate" / "sparql-shapes.ttl"
DATA = FIXTURES / "validate" / "sparql-data.ttl"


def results(outcome: ValidationOutcome) -> set[tuple[object, ...]]:
    return {(r.source_shape, r.focus_node, r.severity, r.value, r.message) for r in outcome.results}


@pytest.fixture(scope="module")
def fast() -> ValidationOutcome:
    return validate_graph(load_graph([DATA]), load_graph([SHAPES]))


def test_every_target_kind_and_query_form_reports_what_it_should(fast: ValidationOutcome) -> None:
    assert results(fast) == {
        # sh:targetClass (a subclass instance too), a query without WHERE, {?value} in the message
        (EX.NoWhereShape, EX.a1, SH.Violation, Literal(-5), "negative balance -5"),
        (EX.NoWhereShape, EX.a2, SH.Violation, Literal(-1), "negative balance -1"),
        # sh:targetNode, "WHERE {" in a comment before the query
        (EX.CommentShape, EX.bob, SH.Warning, EX.bob, "no label"),
        # sh:targetSubjectsOf, $this in a sub-select
        (EX.SubSelectShape, EX.alice, SH.Info, EX.alice, "owns 2 things"),
        # sh:targetObjectsOf, another node as the value
        (EX.OwnedTwiceShape, EX.a2, SH.Violation, EX.bob, f"also owned by {EX.bob}"),
    }
    assert not fast.conforms


def test_oxigraph_and_pyshacl_agree(fast: ValidationOutcome) -> None:
    slow = validate_graph(load_graph([DATA]), load_graph([SHAPES]), sparql_engine="pyshacl")
    assert results(fast) == results(slow)


def test_results_are_in_the_report_graph(fast: ValidationOutcome) -> None:
    report = fast.report
    (node,) = report.subjects(SH.focusNode, EX.bob)
    assert (None, SH.result, node) in report
    assert report.value(node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    assert (None, SH.conforms, Literal(False)) in report


def test_a_constraint_that_does_not_project_this_is_an_input_error() -> None:
    shapes = Graph().parse(format="turtle", data=turtle_prefixes("sh") + """
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a1 ;
            sh:sparql [ sh:select "SELECT ?value WHERE { $this <http://example.org/balance> ?value }" ] .""")
    with pytest.raises(InputError, match="must project"):
        validate_graph(load_graph([DATA]), shapes)


def test_a_constraint_that_does_not_parse_is_an_input_error() -> None:
    shapes = Graph().parse(format="turtle", data=turtle_prefixes("sh") + """
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a1 ; sh:sparql [ sh:select "SELECT $this WHERE { $this" ] .""")
    with pytest.raises(InputError, match="does not parse"):
        validate_graph(load_graph([DATA]), shapes)


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="sparql_engine"):
        validate_graph(Graph(), Graph(), sparql_engine="nope")
