"""Linked-data pages against a real server process on 127.0.0.1: dereferencing and content negotiation,
the HTML pages (labels, facts, inferred marks, sources with quotes), the timeline SVG, VoID and dumps.

Most tests serve a small TriG fixture (below) with ``cstograph serve --data`` so that they check exact
values; ``test_real_*`` tests serve the project's real build.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.namespaces import BASE, sparql_prefixes, turtle_prefixes
from cstograph.store import GraphStore
from tests.conftest import RunningServer, start_server, stop_server

B = BASE
SVG = "{http://www.w3.org/2000/svg}"

FIXTURE_TRIG = turtle_prefixes("cst", "rdfs", "owl", "skos", "xsd", "state", "organization", "treaty", "article",
                               "version", "obligation", "membership", "event", "source") + """

<https://w3id.org/cstograph/graph/dataset> {
  <https://w3id.org/cstograph/void#cstograph> a <http://rdfs.org/ns/void#Dataset> ;
      <http://rdfs.org/ns/void#exampleResource> state:ARM ;
      cst:featuredResource ( organization:csto treaty:cst article:cst-4 ) ;
      cst:timelineSubject ( treaty:cst organization:csto ) .
}

<https://w3id.org/cstograph/graph/ontology> {
  <https://w3id.org/cstograph/ontology> a owl:Ontology ; rdfs:label "cstograph ontology"@en .
  cst:Agent a owl:Class ; rdfs:label "agent"@en , "агент"@ru ; skos:definition "Something that acts."@en .
  cst:State a owl:Class ; rdfs:subClassOf cst:Agent ; rdfs:label "state"@en , "государство"@ru ;
      skos:definition "A sovereign state."@en .
  cst:Membership a owl:Class ; rdfs:label "membership"@en , "членство"@ru .
  cst:member a owl:ObjectProperty ; rdfs:domain cst:Membership ; rdfs:range cst:Agent ;
      rdfs:label "member"@en , "член"@ru ; skos:definition "The state that holds this membership."@en .
}

<https://w3id.org/cstograph/graph/states> {
  state:ARM a cst:State ; rdfs:label "Armenia"@en , "Армения"@ru ; cst:iso3166Alpha3 "ARM" ;
      skos:exactMatch <http://www.wikidata.org/entity/Q399> ;
      cst:citation [ a cst:Citation ; cst:citedSource source:ref ; cst:locator "Identifiers" ] .
  state:UZB a cst:State ; rdfs:label "Uzbekistan"@en , "Узбекистан"@ru .
  state:KAZ a cst:State ; rdfs:label "Kazakhstan"@en , "Казахстан"@ru .
  organization:csto a cst:InternationalOrganization ; rdfs:label "Collective Security Treaty Organization"@en ,
      "Организация Договора о коллективной безопасности"@ru ; skos:altLabel "CSTO"@en .
  treaty:cst a cst:Treaty ; rdfs:label "Collective Security Treaty"@en , "Договор о коллективной безопасности"@ru ;
      skos:altLabel "CST"@en .
  source:ref a cst:SourceDocument ; rdfs:label "Reference record"@en , "Справка"@ru .
}

<https://w3id.org/cstograph/graph/memberships> {
  membership:csto-ARM-2002 a cst:Membership ; rdfs:label "Armenia in the CSTO 2002–2024"@en , "Армения в ОДКБ"@ru ;
      cst:member state:ARM ; cst:memberOf organization:csto ; cst:status cst:FullMember ;
      cst:startDate "2002-10-07"^^xsd:date ; cst:endDate "2024-02-22"^^xsd:date ;
      cst:citation [ a cst:Citation ; cst:citedSource source:ref ;
                     cst:quote "Armenia signed the Charter in Chisinau" ] .
  membership:csto-ARM-2024-frozen a cst:Membership ;
      rdfs:label "Armenia, participation frozen"@en , "Армения, участие заморожено"@ru ;
      cst:member state:ARM ; cst:memberOf organization:csto ; cst:status cst:ParticipationFrozen ;
      cst:startDate "2024-02-22"^^xsd:date ;
      cst:citation [ a cst:Citation ; cst:citedSource source:ref ; cst:quote "Armenia has frozen its participation" ] .
  membership:cst-UZB-1992 a cst:Membership ; rdfs:label "Uzbekistan, party 1992–1999"@en , "Узбекистан 1992–1999"@ru ;
      cst:member state:UZB ; cst:memberOf treaty:cst ; cst:status cst:FullMember ;
      cst:startDate "1992-05-15"^^xsd:date ; cst:endDate "1999-04-20"^^xsd:date .
  membership:csto-UZB-2006 a cst:Membership ;
      rdfs:label "Uzbekistan in the CSTO 2006–2012"@en , "Узбекистан в ОДКБ"@ru ;
      cst:member state:UZB ; cst:memberOf organization:csto ; cst:status cst:FullMember ;
      cst:startDate "2006-06-23"^^xsd:date ; cst:endDate "2012-12-19"^^xsd:date .
  membership:csto-KAZ-2002 a cst:Membership ; rdfs:label "Kazakhstan in the CSTO"@en , "Казахстан в ОДКБ"@ru ;
      cst:member state:KAZ ; cst:memberOf organization:csto ; cst:status cst:FullMember ;
      cst:startDate "2002-10-07"^^xsd:date .
}

<https://w3id.org/cstograph/graph/events> {
  event:kaz-2022-request a cst:RequestForAssistance ;
      rdfs:label "Kazakhstan's request for CSTO assistance, 5 January 2022"@en , "Запрос Казахстана"@ru ;
      cst:date "2022-01-05"^^xsd:date ; cst:requester state:KAZ ; cst:addressee organization:csto ;
      cst:citation [ a cst:Citation ; cst:citedSource source:ref ;
                     cst:quote "Tokayev asked the CSTO to send peacekeeping forces" ] .
  event:kaz-2022-deployment a cst:Deployment ; rdfs:label "CSTO deployment to Kazakhstan"@en , "Ввод сил ОДКБ"@ru ;
      cst:date "2022-01-06"^^xsd:date ; cst:respondsTo event:kaz-2022-request .
}

<https://w3id.org/cstograph/graph/treaties> {
  article:cst-4 a cst:Article ; rdfs:label "Article 4 of the Collective Security Treaty"@en , "Статья 4"@ru ;
      cst:isPartOf treaty:cst .
  version:cst-4-1992 a cst:ArticleVersion ; rdfs:label "Article 4 (1992)"@en , "Статья 4 (1992)"@ru ;
      cst:versionOf article:cst-4 ; cst:validFrom "1992-05-15"^^xsd:date ; cst:validUntil "2010-12-10"^^xsd:date ;
      cst:text "Aggression against one party is aggression against all."@en ;
      cst:imposes obligation:cst-4-1992-defense .
  version:cst-4-2010 a cst:ArticleVersion ; rdfs:label "Article 4 (2010)"@en , "Статья 4 (2010)"@ru ;
      cst:versionOf article:cst-4 ; cst:validFrom "2010-12-10"^^xsd:date ;
      cst:text "… at request of this Member State …"@en .
  obligation:cst-4-1992-defense a cst:Obligation ;
      rdfs:label "Defence obligation (1992)"@en , "Обязательство обороны"@ru ;
      cst:citation [ a cst:Citation ; cst:citedSource source:ref ;
                     cst:quote "all other parties give the victim the necessary assistance" ] .
}

<https://w3id.org/cstograph/graph/inferred> {
  state:ARM a cst:Agent ; cst:hasMembership membership:csto-ARM-2002 .
}
"""


def get(url: str, accept: str | None = None, *, follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects unless asked; returns (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("pages")
    data = folder / "fixture.trig"
    data.write_text(FIXTURE_TRIG, encoding="utf-8")
    server = start_server(["--data", str(data)], folder / "server.log")
    try:
        yield server
    finally:
        stop_server(server)


# --- dereferencing and content negotiation -----------------------------------------------------------
@pytest.mark.parametrize(("accept", "suffix"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "jsonld"),
    ("text/html;q=0.2, application/rdf+xml;q=0.7", "rdf"),
])
def test_resource_iri_answers_303_to_the_negotiated_document(
        fixture_server: RunningServer, accept: str, suffix: str) -> None:
    status, headers, _ = get(fixture_server.url + "/id/state/ARM", accept, follow=False)
    assert status == 303
    assert headers["Location"].endswith(f"/id/state/ARM.{suffix}")
    assert "Accept" in headers.get("Vary", "")


def test_unacceptable_media_type_is_406(fixture_server: RunningServer) -> None:
    status, _, _ = get(fixture_server.url + "/id/state/ARM", "image/png", follow=False)
    assert status == 406


def test_unknown_resource_is_404(fixture_server: RunningServer) -> None:
    assert get(fixture_server.url + "/id/state/XXX", "text/turtle", follow=False)[0] == 404
    assert get(fixture_server.url + "/id/state/XXX.html")[0] == 404


@pytest.mark.parametrize(("suffix", "fmt"), [
    ("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD),
    ("nt", ox.RdfFormat.N_TRIPLES), ("rdf", ox.RdfFormat.RDF_XML),
])
def test_rdf_documents_parse_and_describe_the_canonical_iri(
        fixture_server: RunningServer, suffix: str, fmt: ox.RdfFormat) -> None:
    status, headers, body = get(fixture_server.url + f"/id/state/ARM.{suffix}")
    assert status == 200
    triples = [q.triple for q in ox.parse(body, format=fmt)]
    arm = ox.NamedNode(B + "id/state/ARM")
    ru_label = ox.Literal("Армения", language="ru")
    assert ox.Triple(arm, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ru_label) in triples
    # The citation blank node travels with the resource (concise bounded description).
    locators = [t.object for t in triples if t.predicate.value.endswith("#locator")]
    assert ox.Literal("Identifiers") in locators
    # Inferred facts are part of the description too.
    assert any(t.predicate.value.endswith("#hasMembership") for t in triples)


def test_ontology_answers_html_and_rdf_by_conneg(fixture_server: RunningServer) -> None:
    status, headers, body = get(fixture_server.url + "/ontology", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode()
    assert 'id="State"' in html and "государство" in html and "A sovereign state." in html
    assert 'href="/ontology#Agent"' in html  # hierarchy: State is a subclass of Agent
    status, headers, body = get(fixture_server.url + "/ontology", "text/turtle")
    assert headers["Content-Type"].startswith("text/turtle")
    assert any(t.subject.value == B + "ontology#State" for t in ox.parse(body, format=ox.RdfFormat.TURTLE))
    status, headers, _ = get(fixture_server.url + "/ontology/State", "text/html", follow=False)
    assert status == 303 and headers["Location"].endswith("/ontology#State")
    status, _, body = get(fixture_server.url + "/ontology/State", "application/n-triples")
    assert status == 200 and b"<https://w3id.org/cstograph/ontology#State>" in body


# --- HTML pages --------------------------------------------------------------------------------------
def test_state_page_shows_labels_timeline_sources_inferred_and_external_links(fixture_server: RunningServer) -> None:
    status, _, body = get(fixture_server.url + "/id/state/ARM", "text/html")
    assert status == 200
    html = body.decode()
    assert "Armenia" in html and "Армения" in html
    assert '<svg' in html and 'class="bar status-full"' in html and 'status-frozen' in html
    assert "Armenia has frozen its participation" in html  # the quote of the membership's source
    assert 'href="/id/membership/csto-ARM-2002"' in html  # local links to related resources
    assert 'href="http://www.wikidata.org/entity/Q399"' in html
    assert "inferred" in html  # hasMembership / cst:Agent come from the inferred graph
    assert "Reference record" in html


def test_html_is_escaped(fixture_server: RunningServer, tmp_path: Path) -> None:
    data = tmp_path / "evil.trig"
    data.write_text(FIXTURE_TRIG.replace('"Uzbekistan"@en', '"<script>alert(1)</script>"@en'), encoding="utf-8")
    server = start_server(["--data", str(data)], tmp_path / "server.log")
    try:
        html = get(server.url + "/id/state/UZB.html")[2].decode()
        svg = get(server.url + "/timeline")[2].decode()
    finally:
        stop_server(server)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_article_page_shows_text_by_version_and_obligations(fixture_server: RunningServer) -> None:
    html = get(fixture_server.url + "/id/article/cst-4.html")[2].decode()
    assert "Aggression against one party is aggression against all." in html
    assert "at request of this Member State" in html
    assert "Defence obligation (1992)" in html
    assert "all other parties give the victim the necessary assistance" in html
    assert html.index("Article 4 (1992)") < html.index("Article 4 (2010)")


def test_event_page_shows_date_participants_and_responses(fixture_server: RunningServer) -> None:
    html = get(fixture_server.url + "/id/event/kaz-2022-request.html")[2].decode()
    assert "2022-01-05" in html
    assert 'href="/id/state/KAZ"' in html
    assert 'href="/id/event/kaz-2022-deployment"' in html  # the response, linked
    assert "Tokayev asked the CSTO to send peacekeeping forces" in html


def test_home_page_links_entry_points(fixture_server: RunningServer) -> None:
    html = get(fixture_server.url + "/")[2].decode()
    for link in ('href="/id/organization/csto"', 'href="/id/treaty/cst"', 'href="/id/article/cst-4"',
                 'href="/sparql"', 'href="/.well-known/void"', 'href="/dumps/cstograph.nq"',
                 'href="/ontology"', 'href="/timeline"', 'href="/id/event/kaz-2022-request"', 'href="/id/state/ARM"'):
        assert link in html


# --- timeline ----------------------------------------------------------------------------------------
def _rows(svg: bytes) -> dict[str, list[dict[str, str]]]:
    root = ET.fromstring(svg)
    rows = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "row":
            rows[g.get("data-state", "")] = [dict(r.attrib) for r in g.iter(SVG + "rect")
                                             if "bar" in r.get("class", "")]
    return rows


def test_timeline_svg_has_one_row_per_state_and_bars_with_the_dates(fixture_server: RunningServer) -> None:
    status, headers, body = get(fixture_server.url + "/timeline?today=2026-01-01")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    rows = _rows(body)
    assert set(rows) == {B + "id/state/ARM", B + "id/state/UZB", B + "id/state/KAZ"}
    uzb = sorted((b["data-start"], b["data-end"], b["data-of"]) for b in rows[B + "id/state/UZB"])
    assert uzb == [("1992-05-15", "1999-04-20", B + "id/treaty/cst"),
                   ("2006-06-23", "2012-12-19", B + "id/organization/csto")]
    arm = sorted((b["data-start"], b["data-end"], b["data-status"]) for b in rows[B + "id/state/ARM"])
    assert arm == [("2002-10-07", "2024-02-22", "full"), ("2024-02-22", "", "frozen")]
    # Bars sit where their dates are: the frozen bar starts where the full one ends.
    full, frozen = sorted(rows[B + "id/state/ARM"], key=lambda b: b["data-start"])
    assert float(full["x"]) + float(full["width"]) == pytest.approx(float(frozen["x"]), abs=0.2)
    root = ET.fromstring(body)
    marks = [p for p in root.iter(SVG + "path") if "event-request" in (p.get("class") or "")]
    assert [m.get("data-date") for m in marks] == ["2022-01-05"]


def test_timeline_of_one_organization(fixture_server: RunningServer) -> None:
    body = get(fixture_server.url + "/timeline?of=" + urllib.request.quote(B + "id/treaty/cst", safe=""))[2]
    rows = _rows(body)
    assert list(rows) == [B + "id/state/UZB"]


def test_timeline_for_a_browser_is_a_page_with_the_site_header_around_the_svg(fixture_server: RunningServer) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    status, headers, body = get(fixture_server.url + "/timeline?today=2026-01-01", browser_accept)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Accept" in headers["Vary"]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp and "sandbox" not in csp
    html = body.decode()
    assert '<header class="site">' in html and 'action="/search"' in html  # the site's header and search box
    assert "<script>" not in html and " style=" not in html  # nothing inline for the strict policy to refuse
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    rows = _rows(svg.encode())  # the picture, inline: its links are the page's links
    assert set(rows) == {B + "id/state/ARM", B + "id/state/UZB", B + "id/state/KAZ"}
    assert 'href="/id/state/ARM"' in svg
    # the same picture as SVG, linked from the page
    href = html.split('class="svg-link" href="')[1].split('"')[0].replace("&amp;", "&")
    status, headers, body = get(fixture_server.url + href, browser_accept)
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")

    def spans(found: dict[str, list[dict[str, str]]]) -> dict[str, list[tuple[str, str]]]:
        return {state: sorted((b["data-start"], b["data-end"]) for b in bars) for state, bars in found.items()}

    assert spans(_rows(body)) == spans(rows)  # the picture drawn with its title, the bars the same
    status, headers, body = get(fixture_server.url + "/timeline?today=2026-01-01&format=html")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b'<header class="site">' in body


@pytest.mark.parametrize("accept", [None, "*/*", "image/svg+xml", "image/avif,image/webp,image/apng,image/svg+xml,"
                                                                 "image/*,*/*;q=0.8"])
def test_timeline_is_svg_for_an_image_a_program_and_format_svg(fixture_server: RunningServer,
                                                               accept: str | None) -> None:
    for query in ("", "&format=svg"):
        status, headers, body = get(fixture_server.url + "/timeline?today=2026-01-01" + query, accept)
        assert status == 200 and headers["Content-Type"].startswith("image/svg+xml"), (accept, query)
        assert "sandbox" in headers["Content-Security-Policy"]
        assert len(_rows(body)) == 3
    status, headers, body = get(fixture_server.url + "/timeline?format=svg", "text/html")  # the parameter wins
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")


@pytest.mark.parametrize(("query", "accept", "code"), [("today=2020-13-45", "text/html", 400),
                                                      ("today=yesterday", None, 400),
                                                      ("format=png", None, 406), ("", "application/json", 406)])
def test_timeline_refuses_a_bad_date_or_format_in_either_representation(fixture_server: RunningServer, query: str,
                                                                        accept: str | None, code: int) -> None:
    status, _, body = get(fixture_server.url + "/timeline?" + query, accept)
    assert status == code, body


# --- VoID and dumps ----------------------------------------------------------------------------------
def test_void_describes_statistics_endpoint_and_dumps(fixture_server: RunningServer) -> None:
    status, headers, body = get(fixture_server.url + "/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    q = sparql_prefixes("void") + """
    SELECT ?triples ?endpoint ?ex WHERE { ?d a void:Dataset ; void:triples ?triples ; void:sparqlEndpoint ?endpoint ;
      void:exampleResource ?ex ; void:dataDump ?dump . FILTER(STRENDS(STR(?dump), ".nq")) }"""
    rows = list(store.query(q))
    served = sum(1 for _ in ox.parse(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG))
    assert rows and int(rows[0]["triples"].value) == served
    assert rows[0]["endpoint"].value == fixture_server.url + "/sparql"
    assert B + "id/state/ARM" in {r["ex"].value for r in rows}
    per_graph = list(store.query(sparql_prefixes("void", "sd") + """
      SELECT ?g ?n WHERE { ?s sd:name ?g ; void:triples ?n }"""))
    assert {r["g"].value for r in per_graph} >= {B + "graph/inferred", B + "graph/states"}
    linksets = list(store.query(sparql_prefixes("void") +
                                "SELECT ?t WHERE { ?l a void:Linkset ; void:objectsTarget ?t }"))
    assert [r["t"].value for r in linksets] == ["http://www.wikidata.org/"]
    # JSON-LD by conneg.
    _, headers, body = get(fixture_server.url + "/.well-known/void", "application/ld+json")
    assert headers["Content-Type"].startswith("application/ld+json") and json.loads(body)


@pytest.mark.parametrize(("name", "fmt"),
                         [("cstograph.nq", ox.RdfFormat.N_QUADS), ("cstograph.trig", ox.RdfFormat.TRIG)])
def test_dumps_are_what_is_served(fixture_server: RunningServer, name: str, fmt: ox.RdfFormat) -> None:
    status, _, body = get(fixture_server.url + "/dumps/" + name)
    assert status == 200
    dumped, expected = ox.Store(), ox.Store()
    dumped.load(body, format=fmt)
    expected.load(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG)
    assert len(dumped) == len(expected)
    assert {g.value for g in dumped.named_graphs()} == {g.value for g in expected.named_graphs()}  # type: ignore[union-attr]


# --- the real build ----------------------------------------------------------------------------------
def test_real_state_page_and_rdf(live_server: RunningServer) -> None:
    status, _, body = get(live_server.url + "/id/state/ARM", "text/html")
    assert status == 200
    html = body.decode()
    assert "Armenia" in html and "Армения" in html and 'class="bar' in html
    assert "blockquote" in html  # at least one source quote
    status, _, body = get(live_server.url + "/id/state/ARM", "text/turtle")
    assert status == 200 and list(ox.parse(body, format=ox.RdfFormat.TURTLE))


def test_real_timeline_has_the_founding_states(live_server: RunningServer) -> None:
    rows = _rows(get(live_server.url + "/timeline")[2])
    for code in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"):
        assert B + "id/state/" + code in rows
    starts = {b["data-start"] for b in rows[B + "id/state/UZB"]}
    assert "1992-05-15" in starts


def test_real_void_counts_match_the_build(live_server: RunningServer, built: object) -> None:
    store = ox.Store()
    store.load(get(live_server.url + "/.well-known/void")[2], format=ox.RdfFormat.TURTLE)
    rows = list(store.query(sparql_prefixes("void") +
                            "SELECT ?n WHERE { ?d void:sparqlEndpoint ?e ; void:triples ?n }"))
    manifest = built.manifest  # type: ignore[attr-defined]
    assert int(rows[0]["n"].value) == manifest["triples"]


@pytest.mark.integration  # a real server process (start_server)
def test_public_url_and_iri_base_flags(tmp_path: Path) -> None:
    """`serve --public-url` is what VoID advertises; `--iri-base` is what request paths map onto."""
    data = tmp_path / "fixture.trig"
    data.write_text(FIXTURE_TRIG.replace(B, "http://example.org/kg/"), encoding="utf-8")
    server = start_server(["--data", str(data), "--public-url", "https://kg.example.org",
                           "--iri-base", "http://example.org/kg/"], tmp_path / "server.log")
    try:
        _, _, body = get(server.url + "/.well-known/void")
        store = ox.Store()
        store.load(body, format=ox.RdfFormat.TURTLE)
        rows = list(store.query(sparql_prefixes("void") + "SELECT ?e ?d WHERE { "
                                "?s void:sparqlEndpoint ?e ; void:dataDump ?d }"))
        assert {r["e"].value for r in rows} == {"https://kg.example.org/sparql"}
        assert all(r["d"].value.startswith("https://kg.example.org/dumps/") for r in rows)
        status, _, page = get(server.url + "/id/state/ARM.html")
        assert status == 200 and "Armenia" in page.decode()
    finally:
        stop_server(server)


def test_timeline_marks_armenias_freeze_apart_from_suspensions(store: GraphStore) -> None:
    """On the real data: Armenia's 2024 freeze is its own mark kind; Uzbekistan's 2012 events are suspensions."""
    from cstograph.namespaces import BASE
    from cstograph.server.services.resources import ResourceService
    from cstograph.server.services.search import SearchIndex
    from cstograph.server.services.timeline import timeline_data
    from cstograph.server.views.timeline_svg import render_svg
    from cstograph.snapshot import SiteSettings

    resources = ResourceService(store, SearchIndex.build(store), base=BASE)
    subjects = SiteSettings.read(store).timeline  # the dataset's own default: the Treaty and the CSTO
    assert subjects == (B + "id/treaty/cst", B + "id/organization/csto")
    root = ET.fromstring(render_svg(timeline_data(resources, subjects), base=BASE))
    marks = {(p.get("data-event"), p.get("class")) for p in root.iter(SVG + "path") if p.get("data-event")}
    assert (B + "id/event/arm-2024-freeze", "event event-freeze") in marks
    assert (B + "id/event/uzb-suspension-2012", "event event-suspension") in marks
    legend = [t.text for t in root.iter(SVG + "text")]
    assert "freeze" in legend and "suspension" in legend


def test_external_types_read_as_prefixed_names(store: GraphStore) -> None:
    """On the real data: inferred types from aligned vocabularies show as prov:Agent, not a raw IRI."""
    from cstograph.server import ServerConfig, create_app

    html = create_app(ServerConfig(), store).test_client().get("/id/state/ARM.html").get_data(as_text=True)
    assert '<a href="http://www.w3.org/ns/prov#Agent">prov:Agent</a>' in html
    assert ">http://www.w3.org/ns/prov#Agent<" not in html
