"""`cstograph link`: links to Wikidata, ISO 3166 and COW/ATOP, and the comparison of memberships with a
Wikidata-shaped export (tests/fixtures/wikidata-export.ttl). Offline only: ``--online`` is never run."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from cstograph.config import Settings
from cstograph.errors import InputError
from cstograph.link import LINKSET_FILE, fetch_wikidata, link, linkset_text, load_reference
from cstograph.namespaces import PROV, VOID_BASE, sparql_prefixes
from tests.conftest import FIXTURES, PROJECT_DIR, cstograph_command

EXPORT = FIXTURES / "wikidata-export.ttl"
ID = "https://w3id.org/cstograph/id/"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"


def run_link(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cstograph_command(), "--project", str(project), "link", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_link_reproduces_the_hand_written_wikidata_links() -> None:
    """The links `link` computes from the verified table are exactly those of data/links/wikidata.ttl."""
    report = link(Settings.discover(project_dir=PROJECT_DIR), write=False)
    computed = {(s, o) for d, s, p, o in report.links if d == "wikidata" and p == SKOS_EXACT}
    written: set[tuple[str, str]] = set()
    for path in Settings.discover(project_dir=PROJECT_DIR).data_files():  # wikidata.ttl, and any link beside a fact
        written |= {(q.subject.value, q.object.value) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                    if q.predicate.value == SKOS_EXACT and q.object.value.startswith("http://www.wikidata.org/")}
    assert computed == written
    assert not report.of("conflict", "wikidata") and not report.of("missing", "wikidata")
    assert (ID + "state/ARM", "http://www.wikidata.org/entity/Q399") in computed
    assert len(computed) == len(load_reference(Settings.discover(project_dir=PROJECT_DIR)).wikidata)


def test_comparison_with_a_wikidata_export_reports_the_disagreements(project_copy: Path) -> None:
    result = run_link(project_copy, "--wikidata-export", str(EXPORT), "--format", "json", "--date", "2026-01-02")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]

    def kinds(kind: str, dataset: str = "wikidata") -> dict[str, dict[str, str]]:
        return {f["subject"]: f for f in findings if f["kind"] == kind and f["dataset"] == dataset}

    # Wikidata's erroneous North Korea membership of the CSTO.
    assert "http://www.wikidata.org/entity/Q423" in kinds("member-not-in-graph")
    # A wrong start date.
    blr = kinds("date-differs")[ID + "state/BLR"]
    assert blr["theirs"] == "1995-06-01" and blr["ours"] != "1995-06-01"
    # Uzbekistan's second spell (2006–2012) is missing from the export.
    uzb = kinds("missing-spell")[ID + "state/UZB"]
    assert uzb["ours"].startswith("2006-")
    # States the export gets right are not reported.
    for code in ("RUS", "ARM", "KAZ"):
        assert ID + "state/" + code not in kinds("date-differs")
        assert ID + "state/" + code not in kinds("missing-spell")
    # Link checks: ISO-code matches confirm the verified QIDs; a label shared by two items is ambiguous.
    assert kinds("confirmed")[ID + "state/ARM"]["theirs"] == "http://www.wikidata.org/entity/Q399"
    assert ID + "place/moscow" in kinds("ambiguous")
    assert ID + "person/nikol-pashinyan" in kinds("unmatched")  # not in the small export


def test_link_writes_the_link_set_with_method_and_date(project_copy: Path) -> None:
    result = run_link(project_copy, "--date", "2026-01-02")
    assert result.returncode == 0, result.stderr
    out = project_copy / "data" / "links" / "linkset.ttl"
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    rows = list(store.query(sparql_prefixes("void", "dcterms", "prov", "rdfs") + """
        SELECT ?ls ?created ?method ?n WHERE {
          ?ls a void:Linkset ; dcterms:created ?created ; dcterms:description ?method ; void:triples ?n ;
              prov:wasGeneratedBy ?act ; rdfs:label ?en . FILTER(LANG(?en) = "en") }"""))
    by_name = {r["ls"].value.rsplit("-", 1)[-1]: r for r in rows}
    assert {"wikidata", "iso3166", "atop"} <= set(by_name)
    assert all(r["created"].value == "2026-01-02" for r in rows)
    records = list(store.query(sparql_prefixes("rdf", "dcterms") + """
        SELECT ?o ?created WHERE { ?st a rdf:Statement ; rdf:subject <https://w3id.org/cstograph/id/state/ARM> ;
          rdf:predicate <http://www.w3.org/2004/02/skos/core#exactMatch> ;
          rdf:object ?o ; dcterms:created ?created }"""))
    assert [(r["o"].value, r["created"].value) for r in records] == [
        ("http://www.wikidata.org/entity/Q399", "2026-01-02")]
    reference = load_reference(Settings.discover(project_dir=project_copy))
    assert int(by_name["wikidata"]["n"].value) == len(reference.wikidata)
    # Writing is idempotent for a given date.
    before = out.read_bytes()
    assert run_link(project_copy, "--date", "2026-01-02").returncode == 0
    assert out.read_bytes() == before


def test_iso_and_cow_code_conflicts_are_reported(project_copy: Path) -> None:
    states = project_copy / "data" / "states.ttl"
    text = states.read_text(encoding="utf-8")
    assert 'cst:iso3166Alpha2 "AM"' in text and 'cst:cowCode "371"' in text
    states.write_text(text.replace('cst:iso3166Alpha2 "AM"', 'cst:iso3166Alpha2 "AR"')
                      .replace('cst:cowCode "371"', 'cst:cowCode "999"'), encoding="utf-8")
    linkset = project_copy / "data" / "links" / "linkset.ttl"
    before = linkset.read_bytes() if linkset.exists() else None
    result = run_link(project_copy, "--format", "json", "--dry-run", "--strict")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    mismatches = {(f["dataset"], f["subject"], f["ours"], f["theirs"]) for f in findings if f["kind"] == "mismatch"}
    assert ("iso3166", ID + "state/ARM", "AR", "AM") in mismatches
    assert ("cow-atop", ID + "state/ARM", "999", "371") in mismatches
    assert (linkset.read_bytes() if linkset.exists() else None) == before  # --dry-run wrote nothing


def test_online_linking_only_calls_the_allow_listed_host() -> None:
    for url in ("https://example.org/sparql", "http://query.wikidata.org/sparql", "https://query.wikidata.org.evil.example/"):
        with pytest.raises(InputError):
            fetch_wikidata(url)


def difference(expected: Graph, committed: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(committed))
    lines = lambda g: sorted(" ".join(term.n3() for term in t) for t in g)[:20]  # noqa: E731
    return (f"{LINKSET_FILE} is not what `cstograph link` writes today: run it again\n"
            f"missing: {lines(missing)}\nnot written today: {lines(extra)}")


def test_committed_linkset_is_up_to_date() -> None:
    """data/links/linkset.ttl is, as a graph, exactly what `cstograph link` would write today on the date the
    file records: every link set, record, count and the provenance of the run (re-run `cstograph link` after
    adding a state, a code or a link, or after a change to the link set's shape or to pycountry)."""
    path = PROJECT_DIR / "data" / "links" / LINKSET_FILE
    committed = Graph().parse(path, format="turtle")
    (recorded,) = committed.objects(VOID_BASE["link-activity"], PROV.endedAtTime)
    report = link(Settings.discover(project_dir=PROJECT_DIR), date=dt.date.fromisoformat(str(recorded)),
                  write=False)
    assert report.links, "link found no links at all"
    expected = Graph().parse(data=linkset_text(report), format="turtle")
    assert isomorphic(expected, committed), difference(expected, committed)
