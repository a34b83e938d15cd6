"""The official record's data files: every fact cites a source, every named resource is labelled in English
and Russian, no instance IRI is used without a type, and the record's key facts are there as triples."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from cstograph.load import load_graph
from cstograph.namespaces import CST, ID

from ..conftest import PROJECT_DIR, SHARED_DIR

DATA = PROJECT_DIR / "data"
#: The files of the official record (this test's scope for citations and labels).
RECORD_FILES = ("sources.ttl", "states.ttl", "places.ttl", "organizations.ttl", "treaties.ttl", "obligations.ttl",
                "memberships.ttl", "offices.ttl", "record-events.ttl", "links/wikidata.ttl")
NOT_FACTS = {CST.Citation, CST.SourceDocument, CST.CitedWork}  # pages the record names: cited, not facts


def ns(kind: str) -> str:
    return str(ID) + kind + "/"


@pytest.fixture(scope="module")
def record() -> Graph:
    return load_graph([DATA / f for f in RECORD_FILES])


@pytest.fixture(scope="module")
def per_file() -> dict[str, Graph]:
    return {str(p.relative_to(DATA)): load_graph([p]) for p in sorted(DATA.rglob("*.ttl"))}


@pytest.fixture(scope="module")
def all_data(per_file: dict[str, Graph]) -> Graph:
    union = Graph()
    for g in per_file.values():
        for t in g:
            union.add(t)
    return union


def typed_subjects(g: Graph) -> set[URIRef]:
    return {s for s, o in g.subject_objects(RDF.type)
            if isinstance(s, URIRef) and str(s).startswith(str(ID))
            and str(o).startswith(str(CST)) and o not in NOT_FACTS}


def test_every_fact_in_the_record_files_has_a_citation(record: Graph) -> None:
    subjects = typed_subjects(record)
    assert len(subjects) > 150
    missing = sorted(str(s) for s in subjects if record.value(s, CST.citation) is None)
    assert missing == []
    # each citation names a source document that is declared
    sources = set(record.subjects(RDF.type, CST.SourceDocument))
    cited = set(record.objects(None, CST.citedSource))
    assert cited and cited <= sources, sorted(map(str, cited - sources))


def test_every_named_resource_has_one_english_and_one_russian_label(record: Graph, all_data: Graph) -> None:
    named = {s for s in record.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    bad = []
    for s in sorted(named):
        langs = [lbl.language for lbl in all_data.objects(s, RDFS.label) if isinstance(lbl, Literal)]
        if langs.count("en") != 1 or langs.count("ru") != 1:
            bad.append(f"{s}: {langs}")
    assert bad == []


def test_no_instance_iri_is_used_without_a_type(per_file: dict[str, Graph], all_data: Graph) -> None:
    """Checked over ALL data files; the message names the file that uses the untyped IRI."""
    typed = {s for s in all_data.subjects(RDF.type, None)}
    untyped = []
    for name, g in per_file.items():
        for s, _, o in g:
            for node in (s, o):
                if isinstance(node, URIRef) and str(node).startswith(str(ID)) and node not in typed:
                    untyped.append(f"{name}: {node}")
    assert sorted(set(untyped)) == []


def _iris(kind: str):  # noqa: ANN202 - a tiny IRI maker per instance type
    return lambda slug: URIRef(ns(kind) + slug)


S, T, ORG, M, E = (_iris(k) for k in ("state", "treaty", "organization", "membership", "event"))


def test_treaty_identifiers_and_dates(record: Graph) -> None:
    cst = T("cst")
    assert str(record.value(cst, CST.atopId)) == "4220"
    assert str(record.value(cst, CST.cowAllianceId)) == "350"
    assert str(record.value(cst, CST.unTreatySeriesNumber)) == "32307"
    assert str(record.value(cst, CST.entryIntoForceDate)) == "1994-04-20"
    assert record.value(T("csto-charter"), CST.signedAt) == URIRef(ns("place") + "chisinau")
    assert str(record.value(T("csto-charter"), CST.entryIntoForceDate)) == "2003-09-18"
    assert set(record.objects(cst, CST.signatory)) >= {S(c) for c in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB")}


def test_cow_codes_only_as_given_in_the_reference(record: Graph) -> None:
    expected = {"RUS": "365", "BLR": "370", "ARM": "371", "GEO": "372", "AZE": "373",
                "TJK": "702", "KGZ": "703", "UZB": "704", "KAZ": "705"}
    found = {str(s).rsplit("/", 1)[1]: str(o) for s, o in record.subject_objects(CST.cowCode)}
    assert found == expected


def test_wikidata_links_only_from_the_verified_table(record: Graph) -> None:
    table = (SHARED_DIR / "reference" / "README.md").read_text(encoding="utf-8")
    verified = set(re.findall(r"\|\s*(Q\d+)\s*\|", table))
    linked = {str(o).rsplit("/", 1)[1] for o in record.objects(None, SKOS.exactMatch)}
    assert linked and linked <= verified, sorted(linked - verified)
    assert (ORG("csto"), SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q318693")) in record


def test_armenia_frozen_and_uzbekistan_suspended(record: Graph) -> None:
    frozen = M("csto-ARM-2024-frozen")
    assert record.value(frozen, CST.status) == CST.ParticipationFrozen
    assert str(record.value(frozen, CST.startDate)) == "2024-02-22"
    assert record.value(frozen, CST.endDate) is None
    assert record.value(M("csto-ARM-2002"), CST.endCause) == CST.EndByStatusChange
    assert record.value(M("csto-UZB-2012-suspended"), CST.status) == CST.Suspended
    assert record.value(M("cst-UZB-1992"), CST.endCause) == CST.EndByNonRenewal


def test_atop_dates_are_attributed_claims_that_dispute_the_record(record: Graph) -> None:
    disputed = {(str(record.value(c, CST.claimValue)), m) for c, m in record.subject_objects(CST.disputesFact)}
    assert ("1994-01-03", M("cst-BLR-1993")) in disputed
    assert ("2006-08-17", M("cst-UZB-2006")) in disputed
    # ATOP ends Uzbekistan's spell on 2012-06-28 where the record has it suspended from that day (issue 14, error 1)
    assert ("2012-06-28", M("cst-UZB-2012-suspended")) in disputed
    for claim in record.subjects(CST.disputesFact, None):
        assert record.value(claim, CST.contradicts) is not None


def test_atop_coding_of_the_treaty_is_queryable(record: Graph) -> None:
    coding = {str(record.value(c, SKOS.notation)): int(record.value(c, CST.claimValue))
              for c in record.subjects(CST.about, T("cst")) if (c, RDF.type, CST.Claim) in record}
    assert coding == {"defense": 1, "nonagg": 1, "consul": 1, "offense": 0, "neutral": 0,
                      "conditio": 0, "noothall": 1, "intcom": 1}


def test_kazakhstan_2022_day_by_day(record: Graph) -> None:
    dep = E("kaz-2022-deployment")
    assert record.value(dep, CST.respondsTo) == E("kaz-2022-request")
    assert str(record.value(E("kaz-2022-request"), CST.date)) == "2022-01-05"
    assert str(record.value(dep, CST.date)) == "2022-01-06"
    # contributors are cst:Contribution nodes with their sources (cst:contributor is inferred from them)
    contributions = set(record.objects(dep, CST.hasContribution))
    states = {record.value(c, CST.contributingState) for c in contributions}
    assert states == {S(c) for c in ("RUS", "BLR", "ARM", "TJK", "KGZ")}
    assert record.value(dep, CST.contributor) is None
    assert record.value(E("kaz-2022-csc-decision"), CST.underArticle) == URIRef(ns("article") + "cst-4")
    for sub in ("kaz-2022-csc-decision", "kaz-2022-deployment", "kaz-2022-withdrawal"):
        assert record.value(E(sub), CST.subEventOf) == E("kaz-2022-operation")
    assert str(record.value(E("kaz-2022-operation"), CST.endDate)) == "2022-01-19"
    troops = URIRef(ns("statistic") + "kaz-2022-troops")
    assert int(record.value(troops, CST.value)) == 2000
    assert str(record.value(troops, CST.valueQualifier)) == "more than"


def test_article_4_versions(record: Graph) -> None:
    v1992, v2010 = URIRef(ns("article-version") + "cst-4-1992"), URIRef(ns("article-version") + "cst-4-2010")
    assert str(record.value(v1992, CST.validUntil)) == "2010-12-10"
    assert str(record.value(v2010, CST.validFrom)) == "2010-12-10"
    assert record.value(v2010, CST.supersedes) == v1992
    defense_2010 = URIRef(ns("obligation") + "cst-4-2010-defense")
    assert record.value(defense_2010, CST.condition) == CST.OnRequestOfAttackedMember
    assert (v2010, CST.imposes, defense_2010) in record
