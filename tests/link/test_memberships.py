"""Memberships against a Wikidata-shaped export (``p:P463`` statements with ``pq:P580``/``pq:P582``),
on tiny stores: spells merged, paired and compared; members on one side only reported."""

from __future__ import annotations

import pyoxigraph as ox

from cstograph.link import LinkReport, compare_memberships
from cstograph.namespaces import WD, expand, sparql_prefixes


def store(turtle: str) -> ox.Store:
    s = ox.Store()
    s.load((sparql_prefixes() + turtle).encode(), format=ox.RdfFormat.TURTLE)  # Turtle 1.1 reads PREFIX lines
    return s


OURS = store("""
membership:a1 cst:member state:ARM ; cst:memberOf treaty:cst ; cst:startDate "1992-05-15"^^xsd:date ;
    cst:endDate "2002-10-07"^^xsd:date .
membership:a2 cst:member state:ARM ; cst:memberOf organization:csto ; cst:startDate "2002-10-07"^^xsd:date .
membership:u1 cst:member state:UZB ; cst:memberOf organization:csto ; cst:startDate "2006-06-23"^^xsd:date ;
    cst:endDate "2012-12-19"^^xsd:date .
membership:k1 cst:member state:KAZ ; cst:memberOf organization:csto ; cst:startDate "2002-10-07"^^xsd:date .
""")
EXPORT = store("""
wd:Q399 p:P463 [ ps:P463 wd:Q318693 ; pq:P580 "1992-05-15T00:00:00Z"^^xsd:dateTime ] .
wd:Q265 p:P463 [ ps:P463 wd:Q318693 ; pq:P580 "1994-04-20T00:00:00Z"^^xsd:dateTime ;
                                     pq:P582 "1999-04-02T00:00:00Z"^^xsd:dateTime ] .
wd:Q423 p:P463 [ ps:P463 wd:Q318693 ] ; rdfs:label "North Korea"@en .
""")
VERIFIED = {str(expand(n)): str(WD[q]) for n, q in (
    ("organization:csto", "Q318693"), ("treaty:cst", "Q110445240"), ("state:ARM", "Q399"), ("state:UZB", "Q265"),
    ("state:KAZ", "Q232"))}


def test_disagreements_are_reported_once_each() -> None:
    report = LinkReport(date="2026-01-02")
    compare_memberships(OURS, EXPORT, report, VERIFIED)
    got = {(f.kind, f.subject, f.ours, f.theirs) for f in report.findings}
    assert got == {
        # the treaty's spell and the CSTO's are one (PREDECESSORS), and touching spells merge: no finding for ARM
        ("member-not-in-graph", str(WD.Q423), "", "(no dates)"),
        ("extra-spell", str(expand("state:UZB")), "", "1994-04-20–1999-04-02"),
        ("missing-spell", str(expand("state:UZB")), "2006-06-23–2012-12-19", ""),
        ("member-not-in-export", str(expand("state:KAZ")), "2002-10-07–", ""),
    }
    assert {f.dataset for f in report.findings} == {"wikidata"}
    (dprk,) = report.of("member-not-in-graph")
    assert dprk.detail == "the export lists North Korea as a member of wd:Q318693; our graph does not"
