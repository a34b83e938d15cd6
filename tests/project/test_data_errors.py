"""One regression test per error of issue 14 ("every fact right, honestly sourced"); each failed on the data
before the fix. The rules behind them also run in the build (shapes/, queries/checks/*-violation.rq).

Tests read the asserted data (data/*.ttl, as written) unless the error is about what a query answers,
then they use the built store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from cstograph.load import load_graph
from cstograph.namespaces import CST, ID, sparql_prefixes
from cstograph.queries import parse_query_file
from cstograph.store import GraphStore

from .._record import part, record_text
from ..conftest import PROJECT_DIR, SHARED_DIR

DATA = PROJECT_DIR / "data"


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug}")


S, E, M, C, T, P = (lambda s, k=k: iri(k, s) for k in ("state", "event", "membership", "claim", "term", "place"))
SOURCE = lambda s: iri("source", s)  # noqa: E731
RECORD = SOURCE("ref-reference-readme")
SEEDS = {SOURCE(f"seed-{n}"): f for n, f in (("000", "000_bc88a2134bb8f35b.txt"), ("002", "002_f91b04b62670fa7f.txt"),
                                              ("003", "003_c2a6dec94f66bae9.txt"), ("004", "004_31ac2e71aae4dd18.txt"))}


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_graph([PROJECT_DIR / "ontology" / "cstograph.ttl", *sorted(DATA.rglob("*.ttl"))])


def citations(g: Graph, node: URIRef) -> list[tuple[URIRef, str, str]]:
    """(source, locator, quote) of each citation of ``node``."""
    return [(g.value(c, CST.citedSource), str(g.value(c, CST.locator) or ""), str(g.value(c, CST.quote) or ""))
            for c in g.objects(node, CST.citation)]


def members_on(store: GraphStore, day: str) -> set[tuple[str, str]]:
    query = parse_query_file(PROJECT_DIR / "queries" / "examples" / "02-members-on-date.rq")
    import pyoxigraph as ox

    rows = store.select(query.text, substitutions={"date": ox.Literal(day, datatype=ox.NamedNode(str(XSD.date)))})
    return {(r["state"].value.rsplit("/", 1)[1], r["status"].value.rsplit("#", 1)[1]) for r in rows}


# ------------------------------------------------------------------------------------------- error 1
def test_error1_uzbekistan_stays_suspended_after_the_councils_decision(store: GraphStore) -> None:
    """The record: the Council formally suspended Uzbekistan on 2012-12-19 — suspended, not ended."""
    assert ("UZB", "Suspended") in members_on(store, "2013-01-01")
    assert ("UZB", "Suspended") in members_on(store, "2026-11-23")
    assert ("UZB", "Suspended") in members_on(store, "2012-09-01")


def test_error1_uzbekistan_is_not_a_full_treaty_party_while_suspended_in_the_csto(data: Graph) -> None:
    full_treaty_spells = [m for m in data.subjects(CST.member, S("UZB"))
                          if data.value(m, CST.memberOf) == iri("treaty", "cst")
                          and data.value(m, CST.status) == CST.FullMember]
    for m in full_treaty_spells:
        end = data.value(m, CST.endDate)
        assert end is not None and str(end) <= "2012-06-28", (m, end)


# ------------------------------------------------------------------------------------------- error 2
def test_error2_citations_name_the_document_read(data: Graph) -> None:
    """No citation names a page that the reference record only names (they are cst:CitedWork, relied on)."""
    read = set(data.subjects(RDF.type, CST.SourceDocument))
    cited = set(data.objects(None, CST.citedSource))
    assert cited <= read, sorted(map(str, cited - read))
    pages = {s for s in data.subjects(RDF.type, CST.CitedWork) if str(s).startswith(str(ID) + "source/ref-")}
    assert len(pages) >= 28
    assert not cited & pages


def test_error2_record_citations_quote_the_row_they_name_and_rely_on_its_pages(data: Graph) -> None:
    """A citation of the reference record quotes the row (or bullet, or section) its locator names, and
    links the page that row names with cst:reliesOn ("according to the record, which cites …")."""
    problems: list[str] = []
    count = 0
    for c in data.subjects(CST.citedSource, RECORD):
        count += 1
        locator, quote = str(data.value(c, CST.locator) or ""), str(data.value(c, CST.quote) or "")
        try:
            named = part(locator)
        except LookupError as exc:
            problems.append(f"{locator!r}: {exc}")
            continue
        if not quote or quote not in named.text:
            problems.append(f"{locator!r}: quote {quote!r} is not in that part")
        for work in data.objects(c, CST.reliesOn):
            # the reference as printed, or another name the record prints for the same page (skos:altLabel)
            names = [str(b) for b in data.objects(work, CST.bibliographicCitation)]
            names += [str(a) for a in data.objects(work, SKOS.altLabel)]
            if not any(n in named.sources for n in names):
                problems.append(f"{locator!r}: relies on {work} ({names}), which the part does not name")
        if locator.split(",")[0] in ("Timeline", "Secretaries General") and data.value(c, CST.reliesOn) is None:
            problems.append(f"{locator!r}: the row names its source; cst:reliesOn is missing")
    assert count > 150
    assert problems == []


def test_error2_every_quote_is_an_exact_substring_of_the_document_read(data: Graph) -> None:
    texts = {s: (SHARED_DIR / "seeds" / f).read_text(encoding="utf-8") for s, f in SEEDS.items()}
    texts[RECORD] = record_text()
    bad = []
    for c, quote in data.subject_objects(CST.quote):
        source = data.value(c, CST.citedSource)
        text = texts.get(source)
        if text is None or str(quote) not in text:
            bad.append(f"{source}: {quote!r}")
    assert bad == []


def test_error2_every_citation_of_a_text_says_what_it_points_at(data: Graph) -> None:
    """Citations of the seeds and of the record carry a quote (a locator alone says nothing checkable)."""
    bare = [f"{s} {data.value(c, CST.citedSource)} {data.value(c, CST.locator)}"
            for s, c in data.subject_objects(CST.citation)
            if data.value(c, CST.citedSource) in {*SEEDS, RECORD} and data.value(c, CST.quote) is None]
    assert bare == []


# ------------------------------------------------------------------------------------------- error 3
def origins(g: Graph, node: URIRef) -> set[URIRef]:
    """Where a node's citations come from: the works the source read relies on for them (the reference
    record reports ATOP's coding beside the official record), else the source read itself."""
    out: set[URIRef] = set()
    for c in g.objects(node, CST.citation):
        relied = set(g.objects(c, CST.reliesOn))
        out |= relied or {g.value(c, CST.citedSource)}
    return out


def test_error3_a_disputing_source_is_never_a_supporting_citation(data: Graph) -> None:
    bad = []
    for claim, fact in data.subject_objects(CST.disputesFact):
        bad += [f"{fact} cites {s}, whose {claim} disputes it" for s in origins(data, claim) & origins(data, fact)]
    assert bad == []
    assert "having quit" not in " ".join(q for _, _, q in citations(data, E("uzb-suspension-2012")))
    assert "ignored" not in " ".join(q for _, _, q in citations(data, E("kgz-2010-refusal")))
    # and the disputes are there, as claims linked to the record's position
    assert (C("004-uzb-quit-2012"), CST.disputesFact, E("uzb-suspension-2012")) in data
    assert (C("003-kgz-2010-request-ignored"), CST.disputesFact, E("kgz-2010-refusal")) in data


# ------------------------------------------------------------------------------------------- error 4
@pytest.mark.parametrize(("seed_claim", "record_claim"), [
    ("003-arm-2021-assistance", "record-arm-2021-consultations"),
    ("003-arm-2020-request", "record-arm-2020-no-request"),
    ("002-kgz-2010-coup-not-prevented", "003-kgz-2010-revolution"),
    ("003-kaz-2022-russian-troops-next-day", "record-kaz-2022-deployment"),
])
def test_error4_disagreements_are_contradictions_not_corroborations(data: Graph, seed_claim: str,
                                                                    record_claim: str) -> None:
    a, b = C(seed_claim), C(record_claim)
    assert (a, CST.contradicts, b) in data or (b, CST.contradicts, a) in data
    assert (a, CST.corroborates, b) not in data and (b, CST.corroborates, a) not in data
    for claim in (a, b):
        assert data.value(claim, CST.claimProperty) is not None, f"{claim}: no typed value to compare"


def test_error4_seed_003_does_not_corroborate_the_2021_consultations(data: Graph) -> None:
    assert all(s != SOURCE("seed-003") for s, _, _ in citations(data, E("arm-2021-request")))
    umbrella = C("003-armenia-requests-unanswered")
    assert not set(data.objects(umbrella, CST.corroborates)) & {C("record-arm-2021-no-statement")}


# ------------------------------------------------------------------------------------------- error 5
def test_error5_the_customs_academy_has_no_headquarters_from_an_author_address(data: Graph) -> None:
    academy = iri("organization", "russian-customs-academy")
    assert data.value(academy, CST.headquarters) is None
    assert "Rostov" in str(data.value(iri("person", "kirill-mozolev"), CST.address))


def test_error5_no_citation_of_a_section_the_record_does_not_have(data: Graph) -> None:
    text = record_text()
    assert "well-known codes" not in text
    bad = [str(s) for s, c in data.subject_objects(CST.citation) if "well-known" in str(data.value(c, CST.locator))]
    assert bad == []
    assert not [n for n in data.objects(S("SUN"), SKOS.note) if "1991" in str(n)]


def test_error5_every_place_is_named_by_a_quote_of_its_source(data: Graph) -> None:
    """A place exists because a source names it: one of its citations quotes its name (Almaty: none does)."""
    bad = []
    for place in set(data.subjects(RDF.type, CST.Place)) | set(data.subjects(RDF.type, CST.MilitaryBase)):
        names = [str(n) for p in (RDFS.label, SKOS.altLabel) for n in data.objects(place, p)
                 if isinstance(n, Literal) and n.language == "en"]
        short = {n.split(" Province")[0].split(" Oblast")[0].split("-")[0].split(" of ")[0].casefold() for n in names}
        quotes = " ".join(q for _, _, q in citations(data, place)).casefold()
        if not any(s and s in quotes for s in short):
            bad.append(f"{place}: {names} not in {quotes!r}")
    assert bad == []
    assert data.value(P("almaty"), SKOS.note) is None


def test_error5_putin_took_office_the_source_does_not_say_he_was_elected(data: Graph) -> None:
    event = E("putin-becomes-president-1999")
    assert (event, RDF.type, CST.Election) not in data
    assert (event, RDF.type, CST.TakingOffice) in data


def test_error5_russia_asked_its_allies_not_the_csto(data: Graph) -> None:
    assert data.value(E("rus-syria-request-2017"), CST.addressee) != iri("organization", "csto")
    labels = {x.language: str(x) for x in data.objects(E("rus-syria-request-2017"), RDFS.label)}
    assert set(labels) == {"en", "ru"}
    assert "its allies" in labels["en"] and "CSTO" not in labels["en"], labels  # 004: "Russia asked its allies"
    assert "ОДКБ" not in labels["ru"], labels


def test_error5_the_demining_is_not_dated_by_the_request(data: Graph) -> None:
    assert data.value(E("arm-syria-demining-2017"), CST.date) is None


def test_error5_crdf_as_the_source_names_it_and_not_a_csto_body_before_the_csto(data: Graph) -> None:
    crdf = iri("formation", "csto-crdf")
    assert "Central Asian" not in " ".join(str(x) for x in data.objects(crdf, RDFS.label))
    assert data.value(crdf, CST.bodyOf) is None


def test_error5_no_unsourced_descriptions(data: Graph) -> None:
    azattyk = iri("organization", "radio-azattyk")
    assert "RFE/RL" not in " ".join(str(d) for d in data.objects(azattyk, DCTERMS.description))
    assert data.value(iri("person", "andrey-serdyukov"), CST.citizenOf) is None


def test_error5_seed_002_date_is_its_year_not_its_received_date(data: Graph) -> None:
    seed = SOURCE("seed-002")
    assert str(data.value(seed, DCTERMS.date)) == "2018"
    assert str(data.value(seed, DCTERMS.dateSubmitted)) == "2018-11-01"


def test_error5_posts_cite_a_quote_that_names_them(data: Graph) -> None:
    bad = []
    for post in data.subjects(RDF.type, CST.Post):
        quotes = [q for _, _, q in citations(data, post)]
        if not quotes or not all(quotes):
            bad.append(f"{post}: {quotes}")
    assert bad == []
    # the Timeline of the record names no presidency: no post cites it
    for post in data.subjects(RDF.type, CST.Post):
        assert all(not loc.startswith("Timeline") or q for _, loc, q in citations(data, post))


def test_every_cited_work_has_one_reference_as_printed(data: Graph) -> None:
    works = set(data.subjects(RDF.type, CST.CitedWork))
    several = {w: list(data.objects(w, CST.bibliographicCitation)) for w in works
               if len(list(data.objects(w, CST.bibliographicCitation))) > 1}
    assert several == {}
    page = SOURCE("ref-odkb-cst-text")
    assert str(data.value(page, CST.bibliographicCitation)).startswith("https://en.odkb-csto.org/documents/")
    assert str(data.value(page, SKOS.altLabel)) in record_text()


def test_error5_reference_pages_are_labelled_as_the_record_names_them(data: Graph) -> None:
    bad = []
    pages = [p for p in data.subjects(RDF.type, CST.CitedWork) if str(p).startswith(str(ID) + "source/ref-")]
    assert len(pages) >= 28
    for page in pages:
        names = [str(b) for b in data.objects(page, CST.bibliographicCitation)]
        label = str(next((x for x in data.objects(page, RDFS.label) if x.language == "en"), ""))
        if not names or not any(label.startswith(n) for n in names) or not any(n in record_text() for n in names):
            bad.append(f"{page}: {label!r} / {names}")
    assert bad == []


# ------------------------------------------------------------------------------------------- error 6
def test_error6_secretary_general_terms_follow_the_last_day_plus_one_rule(store: GraphStore) -> None:
    rows = store.select(sparql_prefixes("cst", "xsd", "post") + """SELECT ?person WHERE {
          ?t cst:post post:csto-secretary-general ; cst:holder ?person ;
             cst:latestStart ?s . OPTIONAL { ?t cst:earliestEnd ?e }
          FILTER(?s <= "2017-05-02"^^xsd:date && (!BOUND(?e) || "2017-05-02"^^xsd:date < ?e)) }""")
    assert {r["person"].value.rsplit("/", 1)[1] for r in rows} == {"valery-semerikov", "yuri-khachaturov"}


def test_error6_the_2021_row_is_not_split_into_two_precise_days(data: Graph) -> None:
    for slug in ("arm-2021-incursion", "arm-2021-request"):
        node = E(slug)
        for p in (CST.date, CST.startDate):
            value = data.value(node, p)
            assert value is None or value.datatype != XSD.date, (slug, value)
        assert str(data.value(node, CST.earliestStart)) == "2021-05-12"
        assert str(data.value(node, CST.latestStart)) == "2021-05-14"


def test_error6_the_belarus_atop_disagreement_is_modelled_once(data: Graph) -> None:
    atop = [c for c in data.subjects(CST.claimValue, Literal("1994-01-03", datatype=XSD.date))]
    assert atop == [C("atop-blr-cst-start")]


def test_error6_one_casualties_note_per_event(data: Graph) -> None:
    assert len(list(data.objects(E("kgz-2010-osh-clashes"), CST.casualtiesNote))) <= 1


def test_error6_links_to_wikidata_live_in_links_and_agree_with_its_comment() -> None:
    text = (DATA / "links" / "wikidata.ttl").read_text(encoding="utf-8")
    assert "has no node" not in text
    assert "event:russian-invasion-of-ukraine-2022" in text
    for path in DATA.glob("*.ttl"):
        assert "skos:exactMatch" not in path.read_text(encoding="utf-8"), path.name


def test_error6_the_1999_protocol_extends_the_treaty_and_does_not_amend_it(data: Graph) -> None:
    protocol = iri("treaty", "cst-extension-protocol-1999")
    assert data.value(protocol, CST.amends) is None
    assert data.value(protocol, CST.extends) == iri("treaty", "cst")


# ------------------------------------------------------------------------------------------- error 7
def test_error7_translated_titles_are_marked_as_translations(data: Graph) -> None:
    """A cited work's Russian label is the original title a source gives (dcterms:title @ru), or the editors'
    translation, marked "(пер.)" and given as cst:titleTranslation."""
    bad = []
    works = [w for w in data.subjects(RDF.type, CST.CitedWork) if data.value(w, CST.referenceNumber) is not None]
    for work in works:
        ru = [x for x in data.objects(work, RDFS.label) if x.language == "ru"]
        original = {str(x) for x in data.objects(work, DCTERMS.title) if x.language == "ru"}
        translated = {str(x) for x in data.objects(work, CST.titleTranslation) if x.language == "ru"}
        for label in ru:
            if str(label) in original:
                continue
            if not (str(label).endswith("(пер.)") and str(label).removesuffix(" (пер.)") in translated):
                bad.append(f"{work}: {label!r}")
    assert len(works) > 30
    assert bad == []


def test_error7_seed_000_references_in_russian_are_not_given_russian_original_titles(data: Graph) -> None:
    for work in data.subjects(RDF.type, CST.CitedWork):
        printed = str(data.value(work, CST.bibliographicCitation) or "")
        if "(In Russian)" in printed:
            assert not [x for x in data.objects(work, DCTERMS.title) if x.language == "ru"], work
            assert str(data.value(work, DCTERMS.language)) == "ru", work


# ----------------------------------------------------------------------------- parties of every agreement
PARTIES_OF_2010_PROTOCOLS = sparql_prefixes("cst") + """SELECT ?protocol ?state WHERE {
  ?protocol a cst:Protocol ; cst:signingDate ?d ; cst:bindsPartiesOf ?doc .
  FILTER (YEAR(?d) = 2010)
  { ?m cst:memberOf ?doc } UNION { ?org cst:constitutedBy ?doc . ?m cst:memberOf ?org }
  ?m cst:member ?state ; cst:latestStart ?s . OPTIONAL { ?m cst:earliestEnd ?e }
  FILTER (?s <= ?d && (!BOUND(?e) || ?d < ?e))
}"""


def test_the_2010_protocols_have_their_parties_as_data_and_no_invented_signatories(store: GraphStore) -> None:
    """No source names who signed the 2010 protocols; the record gives the amended Article 4 in force from
    2010-12-10, so each protocol binds the parties of the instrument it amends on that day — seven states
    (Uzbekistan a full member 2006-2012), answered by one query from the membership data."""
    rows = store.select(PARTIES_OF_2010_PROTOCOLS)
    parties: dict[str, set[str]] = {}
    for r in rows:
        parties.setdefault(r["protocol"].value.rsplit("/", 1)[1], set()).add(r["state"].value.rsplit("/", 1)[1])
    seven = {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB"}
    assert parties == {"cst-amending-protocol-2010": seven, "csto-charter-amending-protocol-2010": seven}
    for slug in parties:
        protocol = f"<{ID}treaty/{slug}>"
        signed = store.select(f"SELECT ?s {{ {protocol} <{CST.signatory}> ?s }}")
        assert not signed, f"{slug}: signatories no source names"
        assert store.select(f"SELECT ?c {{ {protocol} <{CST.citation}> ?c . ?c <{CST.citedSource}> <{RECORD}> }}")


# ------------------------------------------------------------------------------ seed claims with values
@pytest.mark.parametrize(("slug", "prop", "value", "date"), [
    ("002-lukashenko-skepticism", "occasionedBy", E("kgz-2010-revolution"), "2010"),
    ("004-lukashenko-no-appeal-2020", None, None, "2020"),
    ("zas-2020-own-territory-only", "trigger", CST.ArmedAttackOnParty, "2020-10-08"),
    ("minsk-milk-war-cause-non-recognition", "occasionedBy", E("blr-non-recognition-south-ossetia-abkhazia"), None),
    ("minsk-milk-war-cause-eastern-partnership", "occasionedBy", E("blr-eastern-partnership-accession"), None),
])
def test_dated_claims_carry_their_date_and_value_as_data(data: Graph, slug: str, prop: str | None,
                                                         value: URIRef | None, date: str | None) -> None:
    """A claim's date is the one its own quote gives (Minsk's "2008" dates the war, not the refusal: no date)."""
    claim = C(slug)
    assert data.value(claim, CST.claimProperty) == (CST[prop] if prop else None)
    assert data.value(claim, CST.claimObject) == value
    dates = [str(d) for d in data.objects(claim, CST.claimDate)]
    assert dates == ([date] if date else [])
    if date:
        quotes = [q for _, _, q in citations(data, claim)]
        assert any(date[:4] in q for q in quotes), (slug, quotes)


def test_claims_about_a_response_compare_on_one_property_not_rdf_type(data: Graph) -> None:
    assert not list(data.subjects(CST.claimProperty, RDF.type))
    for slug, kind in (("003-kgz-2010-request-ignored", CST.NoResponse), ("record-kgz-2010-refusal", CST.Refusal),
                       ("record-arm-2021-no-statement", CST.NoResponse)):
        assert data.value(C(slug), CST.claimProperty) == CST.responseKind, slug
        assert data.value(C(slug), CST.claimObject) == kind, slug
        assert (kind, RDFS.subClassOf, CST.Response) in data


def test_seed_files_exist() -> None:
    assert all((SHARED_DIR / "seeds" / f).is_file() for f in SEEDS.values())
    assert Path(SHARED_DIR / "reference" / "README.md").is_file()
