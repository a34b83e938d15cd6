"""Dates that compare (issue 14): the one-pattern "on date D" queries of data/README.md, run on the built graph,
are right for facts known only to the year or the month, thanks to the xsd:date bounds on every dated node."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cstograph.store import GraphStore

PREFIXES = """PREFIX cst: <https://w3id.org/cstograph/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
#: data/README.md, "Dates": held on D (memberships, office terms; the end is the first day no longer held).
HELD_ON = PREFIXES + """SELECT ?post ?day ?holder WHERE {
  ?term cst:post ?post ; cst:holder ?holder ; cst:latestStart ?s . OPTIONAL { ?term cst:earliestEnd ?e }
  FILTER(?s <= ?day && (!BOUND(?e) || ?day < ?e))
}"""
#: data/README.md, "Dates": under way on D (events; the end is the last day), certainly and possibly.
CERTAINLY_ON = PREFIXES + """SELECT ?day ?event WHERE {
  ?event a cst:Event ; cst:latestStart ?s ; cst:earliestEnd ?e FILTER(?s <= ?day && ?day <= ?e) }"""
POSSIBLY_ON = PREFIXES + """SELECT ?day ?event WHERE {
  ?event a cst:Event ; cst:earliestStart ?s ; cst:latestEnd ?e FILTER(?s <= ?day && ?day <= ?e) }"""
ID = "https://w3id.org/cstograph/id/"


def holders(store: GraphStore, post: str, day: str) -> set[str]:
    rows = store.select(HELD_ON, substitutions={
        "post": ox.NamedNode(ID + "post/" + post), "day": ox.Literal(day, datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))})
    return {r["holder"].value.removeprefix(ID + "person/") for r in rows}


def events(store: GraphStore, query: str, day: str) -> set[str]:
    rows = store.select(query, substitutions={"day": ox.Literal(day, datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"))})
    return {r["event"].value.removeprefix(ID + "event/") for r in rows}


@pytest.mark.parametrize(("post", "day", "expected"), [
    # a year-only start ("2003"): the old pattern on cst:startDate returned nobody on 2010-01-01
    ("csto-secretary-general", "2010-01-01", {"nikolai-bordyuzha"}),
    ("csto-secretary-general", "2003-06-01", set()),  # within 2003: not certain
    ("csto-secretary-general", "2004-01-01", {"nikolai-bordyuzha"}),
    # the record's handover days: both holders
    ("csto-secretary-general", "2017-05-02", {"valery-semerikov", "yuri-khachaturov"}),
    ("csto-secretary-general", "2017-05-03", {"yuri-khachaturov"}),
    ("csto-secretary-general", "2026-11-23", {"taalatbek-masadykov"}),
    # a month-only start ("1999-12")
    ("president-of-russia", "1999-12-15", set()),
    ("president-of-russia", "2000-01-01", {"vladimir-putin"}),
    # terms known only from the days a source shows the holder in office
    ("president-of-kyrgyzstan", "2010-06-12", {"roza-otunbayeva"}),
    ("president-of-kyrgyzstan", "2010-06-13", set()),
    ("president-of-kazakhstan", "2022-01-05", {"kassym-jomart-tokayev"}),
    ("president-of-kazakhstan", "2014-06-01", set()),  # Nazarbayev: some day of 2014, none certain
])
def test_held_on_a_day_with_year_and_month_precision(store: GraphStore, post: str, day: str,
                                                      expected: set[str]) -> None:
    assert holders(store, post, day) == expected


def test_events_of_a_month_are_possibly_but_not_certainly_on_a_day(store: GraphStore) -> None:
    assert "kaz-2022-unrest" in events(store, POSSIBLY_ON, "2022-01-10")  # "January 2022"
    assert "kaz-2022-unrest" not in events(store, CERTAINLY_ON, "2022-01-10")
    # the record's row "2021-05-12/14": between the 12th and the 14th, not one precise day
    assert {"arm-2021-incursion", "arm-2021-request"} <= events(store, POSSIBLY_ON, "2021-05-13")
    assert not {"arm-2021-incursion", "arm-2021-request"} & events(store, POSSIBLY_ON, "2021-05-15")
    # a span known to the day
    assert "kaz-2022-operation" in events(store, CERTAINLY_ON, "2022-01-19")
    assert "kaz-2022-operation" not in events(store, POSSIBLY_ON, "2022-01-20")


def test_every_dated_node_has_comparable_bounds(store: GraphStore) -> None:
    rows = store.select(PREFIXES + """SELECT ?node WHERE {
        ?node cst:date|cst:startDate|cst:establishedOn|cst:referenceTime|cst:referenceStart|cst:attestedOn ?d .
        FILTER NOT EXISTS { ?node cst:latestStart ?b . FILTER(DATATYPE(?b) = xsd:date) } }""")
    assert [r["node"].value for r in rows] == []
    count = store.select(PREFIXES + "SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n cst:latestStart ?b }")
    assert int(count[0]["c"].value) > 120
