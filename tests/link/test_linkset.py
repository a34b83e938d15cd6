"""The link-set file: a graph written by rdflib's Turtle serializer — parsable, one record per link,
the same bytes for the same links and date."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from cstograph.config import Settings
from cstograph.link import LINKSET_FILE, link
from cstograph.namespaces import DCTERMS, OWL, PROV, RDF, RDFS, VOID, VOID_BASE, WD, XSD, expand

from ..conftest import FIXTURES

PROJECT = FIXTURES / "link" / "project"


def written(tmp_path: Path, date: dt.date) -> tuple[Path, str]:
    root = tmp_path / "p"
    if not root.exists():
        shutil.copytree(PROJECT, root)
    report = link(Settings.discover(project_dir=root), date=date)
    out = root / "data" / "links" / LINKSET_FILE
    assert report.written == [str(out)]
    return out, out.read_text(encoding="utf-8")


def test_one_record_per_link_in_its_link_set(tmp_path: Path) -> None:
    out, text = written(tmp_path, dt.date(2026, 1, 2))
    assert text.startswith("# Written by `cstograph link` on 2026-01-02. Do not edit by hand")
    g = Graph().parse(out, format="turtle")
    date = Literal("2026-01-02", datatype=XSD.date)
    wikidata = VOID_BASE["linkset-wikidata"]
    assert (wikidata, RDF.type, VOID.Linkset) in g and (wikidata, VOID.triples, Literal(3)) in g
    assert (wikidata, PROV.wasGeneratedBy, VOID_BASE["link-activity"]) in g
    (record,) = g.subjects(RDF.object, WD.Q399)
    assert (record, RDF.subject, URIRef(expand("state:ARM"))) in g
    assert (record, DCTERMS.isPartOf, wikidata) in g and (record, DCTERMS.created, date) in g
    codes = {o for s in g.subjects(DCTERMS.isPartOf, VOID_BASE["linkset-cow-atop"]) for o in g.objects(s, RDF.object)}
    assert codes == {Literal("371"), Literal("4220")}
    assert len(list(g.subjects(RDF.type, RDF.Statement))) == 3 + 2 + 2
    list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))  # Oxigraph reads it too


def test_same_links_same_date_same_bytes(tmp_path: Path) -> None:
    _, first = written(tmp_path, dt.date(2026, 1, 2))
    _, again = written(tmp_path, dt.date(2026, 1, 2))
    assert again == first
    _, later = written(tmp_path, dt.date(2026, 2, 3))
    assert later != first and later.replace("2026-02-03", "2026-01-02") == first


def test_the_tool_and_the_libraries_are_resources(tmp_path: Path) -> None:
    """PROV-O's object properties get nodes: the run was associated with the tool (a prov:SoftwareAgent) and
    used pycountry (a prov:Entity with its version), as data/links/linkset.ttl publishes it."""
    out, _ = written(tmp_path, dt.date(2026, 1, 2))
    g = Graph().parse(out, format="turtle")
    activity = VOID_BASE["link-activity"]
    (tool,) = g.objects(activity, PROV.wasAssociatedWith)
    assert (tool, RDF.type, PROV.SoftwareAgent) in g and (tool, RDFS.label, Literal("cstograph link")) in g
    (library,) = g.objects(activity, PROV.used)
    assert (library, RDF.type, PROV.Entity) in g
    assert (library, OWL.versionInfo, Literal(version("pycountry"))) in g
    assert (library, RDFS.label, Literal(f"pycountry {version('pycountry')}")) in g
    assert (activity, PROV.endedAtTime, Literal("2026-01-02", datatype=XSD.date)) in g
