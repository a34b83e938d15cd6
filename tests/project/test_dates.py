"""Dates that compare (issue 14): every dated node of the built graph carries xsd:date bounds, on which the
one-pattern "on date D" queries of data/README.md rely. The questions those queries answer (who held a post on
a day, which events were certainly or possibly under way) are competency questions:
queries/competency/135-… to 152-… (tests/project/test_competency.py)."""

from __future__ import annotations

from cstograph.namespaces import sparql_prefixes
from cstograph.store import GraphStore

PREFIXES = sparql_prefixes("cst", "xsd")


def test_every_dated_node_has_comparable_bounds(store: GraphStore) -> None:
    rows = store.select(PREFIXES + """SELECT ?node WHERE {
        ?node cst:date|cst:startDate|cst:establishedOn|cst:referenceTime|cst:referenceStart|cst:attestedOn ?d .
        FILTER NOT EXISTS { ?node cst:latestStart ?b . FILTER(DATATYPE(?b) = xsd:date) } }""")
    assert [r["node"].value for r in rows] == []
    count = store.select(PREFIXES + "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n cst:latestStart ?b }")
    assert int(count[0]["c"].value) > 120
