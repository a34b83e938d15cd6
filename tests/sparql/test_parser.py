"""cstograph.sparql: the parser the endpoint's safety rules stand on (SPARQL 1.1 Query §19.8).

Each test names the rule or production it checks. The lexical forms of SERVICE below are those the grammar
accepts (case, comments, whitespace, prefixed names, escapes): every one must be found, and the one form
the serving engine reads differently from the grammar (``SERVICE:q``) must be refused.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import cstograph.sparql as sparql
from cstograph.sparql import Limits, QueryTooComplex, SparqlSyntaxError, UpdateRequest, analyse

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def test_public_surface() -> None:
    assert sorted(sparql.__all__) == ["Limits", "QueryAnalysis", "QueryTooComplex", "ServiceCall",
                                      "SparqlSyntaxError", "Token", "UpdateRequest", "analyse", "tokens",
                                      "with_explicit_services"]


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*/*.rq")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_named_query_parses(path: Path) -> None:
    analysis = analyse(path.read_text(encoding="utf-8"))
    forms = ("SELECT", "ASK") if path.parent.name == "competency" else ("SELECT",)  # yes-or-no questions
    assert analysis.form in forms and analysis.services == () and not analysis.has_dataset


@pytest.mark.parametrize("query, endpoint", [
    ("SELECT * { SERVICE <http://a.example/q> { ?s ?p ?o } }", "http://a.example/q"),
    ("select * { service<http://a.example/q>{?s ?p ?o} }", "http://a.example/q"),
    ("SELECT * { SeRvIcE#comment\n<http://a.example/q> { ?s ?p ?o } }", "http://a.example/q"),
    ("SELECT * { SERVICE\tSILENT\n<http://a.example/q> { } }", "http://a.example/q"),
    ("PREFIX e: <http://a.example/> SELECT * { SERVICE e:q { ?s ?p ?o } }", "http://a.example/q"),
    ("PREFIX : <http://a.example/> SELECT * { SERVICE :q { ?s ?p ?o } }", "http://a.example/q"),
    ("PREFIX e: <http://a.example/> SELECT * { ?s ?p ?o . SERVICE e: { } }", "http://a.example/"),
    (r"SELECT * { SERVICE <http://a.example/\u0071> { } }", "http://a.example/q"),
    (r"SELECT * { SERVICE <http://a.example/\U00000071> { } }", "http://a.example/q"),
    ("SELECT * { ?s ?p ?o.SERVICE <http://a.example/q> {} }", "http://a.example/q"),
    ("SELECT * { OPTIONAL { SERVICE <http://a.example/q> {} } }", "http://a.example/q"),
    ("SELECT * { FILTER EXISTS { SERVICE <http://a.example/q> {} } }", "http://a.example/q"),
    ("SELECT * { { SELECT * { SERVICE <http://a.example/q> {} } } }", "http://a.example/q"),
    ("ASK { MINUS { SERVICE <http://a.example/q> {} } }", "http://a.example/q"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { SERVICE <http://a.example/q> { ?s ?p ?o } } }", "http://a.example/q"),
    ("DESCRIBE ?s WHERE { {} UNION { SERVICE <http://a.example/q> { ?s ?p ?o } } }", "http://a.example/q"),
])
def test_service_is_found_in_every_lexical_form(query: str, endpoint: str) -> None:
    """§19.8 [59] ServiceGraphPattern: keywords are case-insensitive (§19.5), escapes decoded (§19.2)."""
    assert [call.iri for call in analyse(query).services] == [endpoint]


def test_service_with_a_variable_has_no_iri() -> None:
    (call,) = analyse("SELECT * { BIND(<http://a.example/q> AS ?e) SERVICE SILENT ?e { } }").services
    assert call.iri is None and call.variable == "e" and call.silent


@pytest.mark.parametrize("query", [
    "PREFIX : <http://a.example/> SELECT ?v WHERE { SERVICE:q { ?x ?y ?v } }",
    "PREFIX service: <http://a.example/> SELECT * { service:q ?p ?o }",
])
def test_service_as_a_prefix_is_refused(query: str) -> None:
    """By the grammar ``SERVICE:q`` is a prefixed name, but Oxigraph reads it as SERVICE :q and calls it."""
    with pytest.raises(SparqlSyntaxError, match="'SERVICE' may not be used as a prefix"):
        analyse(query)


@pytest.mark.parametrize("query", [
    'SELECT ?service { ?s <http://a.example/service> "SERVICE" } # SERVICE <http://a.example/q> {}',
    "SELECT * { ?s <http://a.example/SERVICE> ?o }",
    "PREFIX e: <http://a.example/> SELECT * { ?s e:SERVICE ?o }",
    "SELECT * { ?s ?p '''SERVICE <http://a.example/q> { }''' }",
])
def test_service_in_names_strings_and_comments_is_not_a_call(query: str) -> None:
    assert analyse(query).services == ()


@pytest.mark.parametrize("query", [
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX a: <http://x/> BASE <http://y/> INSERT DATA { a:s a:p a:o }",
    "load <http://a.example/data>",
    "CLEAR ALL",
    "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_recognised(query: str) -> None:
    with pytest.raises(UpdateRequest):
        analyse(query)


def test_dataset_clauses() -> None:
    """§19.8 [13]–[16]: FROM / FROM NAMED."""
    a = analyse("select * from<http://g/1> FROM NAMED <http://g/2> { ?s ?p ?o }")
    assert a.default_graphs == ("http://g/1",) and a.named_graphs == ("http://g/2",) and a.has_dataset
    assert not analyse("SELECT ?from { <http://from/x> ?p 'FROM' }").has_dataset


@pytest.mark.parametrize("query, where", [
    ("SELECT * WHERE { ?s ?p }", "1:24"),
    ("SELECT * WHERE { ?s ?p ?o", "1:26"),
    ("SELECT * WHERE { ?s ?p ?o } }", "1:29"),
    ("SELECT * WHERE { ?s e:p ?o }", "1:21"),
    ("SELECT * WHERE { ?s <http://a b> ?o }", "1:21"),
    ("SELECT (STR(1, 2) AS ?x) {}", "1:9"),
    ("SELECT * { VALUES (?a ?b) { (1) } }", "1:33"),
    ("SELECT\n*\nWHERE { ?s ?p ?o . FILTER(?o = ) }", "3:32"),
])
def test_syntax_errors_say_where(query: str, where: str) -> None:
    with pytest.raises(SparqlSyntaxError) as caught:
        analyse(query)
    assert str(caught.value).startswith(where + ":")


def test_nesting_limit_is_measured_on_the_parse() -> None:
    """Brackets nested deeper than the limit are refused before any evaluation, with where it happens."""
    limits = Limits(max_nesting=8)
    assert analyse("SELECT * " + "{ " * 7 + "?s ?p ?o" + " }" * 7, limits).nesting == 7
    for deep in ("SELECT * " + "{ " * 9 + "?s ?p ?o" + " }" * 9,
                 "SELECT * { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 9 + "}" * 9 + " }",
                 "SELECT (" + "(" * 9 + "1" + ")" * 9 + " AS ?x) {}",
                 "SELECT * { ?s " + "(" * 9 + "<http://p>" + ")" * 9 + " ?o }",
                 "SELECT * { ?s <http://p> " + "[ <http://p> " * 9 + "?o" + " ]" * 9 + " }"):
        with pytest.raises(QueryTooComplex, match="more than 8 levels"):
            analyse(deep, limits)


@pytest.mark.parametrize("chain", [
    "SELECT * { " + " ".join(f"?s{i} <http://p> ?s{i + 1} ." for i in range(60)) + " }",
    "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 60) + " }",
    "SELECT * { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 60) + ") }",
    "SELECT (" + " + ".join(["1"] * 60) + " AS ?x) {}",
    "SELECT * { ?s " + "/".join(["<http://p>"] * 60) + " ?o }",
    "SELECT * { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(60)) + " }",
    "SELECT * { ?s <http://p> (" + " ".join(["1"] * 30) + ") }",
])
def test_long_chains_count_as_depth(chain: str) -> None:
    """A flat chain nests as deep as it is long in a recursive evaluator (left-deep joins, unions, operators,
    path sequences, collections): the depth limit counts it."""
    assert analyse(chain).depth > 50
    with pytest.raises(QueryTooComplex, match="more than the limit of 50"):
        analyse(chain, Limits(max_depth=50))


def test_large_flat_values_are_not_deep() -> None:
    values = "SELECT * { VALUES ?x { " + " ".join(str(i) for i in range(5000)) + " } }"
    assert analyse(values).depth < 10


def test_less_than_is_an_operator_where_an_operator_is_expected() -> None:
    """``?a<3&&?b>2`` lexes as an IRI by longest match; in operator position it is read as ``<``."""
    assert analyse("SELECT * { ?a ?b ?c FILTER(?a<3&&?b>2) }").form == "SELECT"


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o }",
    "PREFIX e: <http://e/> SELECT ?s (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s e:p/e:q* ?o ; ^e:r [ e:t ( 1 2.5 -3e2 ) ] "
    "FILTER NOT EXISTS { ?o a e:C } } GROUP BY ?s HAVING (COUNT(?o) > 1) ORDER BY DESC(?n) LIMIT 5 OFFSET 1",
    "SELECT * { ?s ?p ?o FILTER(REGEX(STR(?o), '^a', 'i') && LANGMATCHES(LANG(?o), 'en') || ?o IN (1, 2)) }",
    "SELECT (GROUP_CONCAT(?o; SEPARATOR=', ') AS ?all) { ?s ?p ?o }",
    "ASK { VALUES (?a ?b) { (1 UNDEF) (<http://x> 'y'@en) } }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://e/x>",
    "SELECT * { ?s !(<http://p>|^<http://q>) ?o . BIND(IF(BOUND(?o), NOW(), BNODE()) AS ?z) }",
    'SELECT * { ?s ?p """long\n"string""" , "x"^^<http://www.w3.org/2001/XMLSchema#string> }',
])
def test_queries_the_engine_accepts_parse_alike(query: str) -> None:
    """Where this parser accepts a query, Oxigraph accepts it too. (Where the two read a SERVICE endpoint
    differently, the endpoint sends it as this parser read it: tests/sparql/test_engine_reading.py.)"""
    analyse(query)
    ox.Store().query(query)
