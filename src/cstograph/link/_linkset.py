"""The link-set file ``data/links/linkset.ttl``: one ``void:Linkset`` per external dataset with its method,
date (``dcterms:created``) and provenance (``prov:wasGeneratedBy`` the link run, a ``prov:Activity`` that
``prov:wasAssociatedWith`` the tool, a ``prov:SoftwareAgent``, and ``prov:used`` each reference library, a
``prov:Entity`` with its version), and one reified record per link or checked code (``rdf:Statement`` +
``dcterms:created`` + the link set). Built as a graph and written by rdflib's Turtle serializer; each record's
blank node has a stable label, so that the same links on the same date give the same bytes."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef

from ..namespaces import DCTERMS, OWL, PROV, RDF, RDFS, VOID, VOID_BASE, XSD, bind_prefixes
from ._report import LinkReport

__all__ = ["LINKSET_FILE", "linkset_turtle"]

LINKSET_FILE = "linkset.ttl"
#: Labels (en, ru), method and target dataset of one link set.
Description = tuple[str, str, str, str]


def _record(g: Graph, node: BNode, link: tuple[str, str, str, str], linkset: URIRef, date: Literal) -> None:
    _, subject, prop, obj = link
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, URIRef(subject)))
    g.add((node, RDF.predicate, URIRef(prop)))
    g.add((node, RDF.object, URIRef(obj) if obj.startswith("http") else Literal(obj)))
    g.add((node, DCTERMS.isPartOf, linkset))
    g.add((node, DCTERMS.created, date))
    g.add((node, PROV.wasGeneratedBy, VOID_BASE["link-activity"]))


def _provenance(g: Graph, activity: URIRef, date: Literal, used: Mapping[str, str]) -> None:
    """The link run: when it ended, the tool that ran it, and the libraries (name → version) it used."""
    tool = VOID_BASE["link-tool"]
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal("cstograph link run", lang="en")))
    g.add((activity, RDFS.label, Literal("запуск cstograph link", lang="ru")))
    g.add((activity, PROV.endedAtTime, date))
    g.add((activity, PROV.wasAssociatedWith, tool))
    g.add((tool, RDF.type, PROV.SoftwareAgent))
    g.add((tool, RDFS.label, Literal("cstograph link")))
    for name, version in sorted(used.items()):
        library = VOID_BASE[name]
        g.add((activity, PROV.used, library))
        g.add((library, RDF.type, PROV.Entity))
        g.add((library, RDFS.label, Literal(f"{name} {version}")))
        g.add((library, OWL.versionInfo, Literal(version)))


def linkset_graph(report: LinkReport, descriptions: Mapping[str, Description], *,
                  used: Mapping[str, str]) -> Graph:
    """The link sets of ``report`` (those with at least one link), described by ``descriptions``; ``used``:
    the reference libraries of the run (name → version, e.g. ``{"pycountry": "26.2.16"}``)."""
    g = bind_prefixes(Graph())
    date = Literal(report.date, datatype=XSD.date)
    activity = VOID_BASE["link-activity"]
    _provenance(g, activity, date, used)
    for dataset, (en, ru, method, target) in descriptions.items():
        links = sorted(link for link in report.links if link[0] == dataset)
        if not links:
            continue
        ls = VOID_BASE[f"linkset-{dataset}"]
        for p, o in ((RDF.type, VOID.Linkset), (RDFS.label, Literal(en, lang="en")),
                     (RDFS.label, Literal(ru, lang="ru")), (DCTERMS.description, Literal(method, lang="en")),
                     (DCTERMS.created, date),
                     (PROV.wasGeneratedBy, activity), (VOID.subjectsTarget, VOID_BASE["cstograph"]),
                     (VOID.objectsTarget, URIRef(target)), (VOID.triples, Literal(len(links)))):
            g.add((ls, p, o))
        for n, link in enumerate(links, start=1):
            _record(g, BNode(f"{dataset}-{n:04d}"), link, ls, date)
    return g


def linkset_turtle(report: LinkReport, descriptions: Mapping[str, Description], *,
                   used: Mapping[str, str]) -> str:
    """The link-set file: a comment header, then the graph as Turtle."""
    header = (f"# Written by `cstograph link` on {report.date}. Do not edit by hand: run `cstograph link` again.\n"
              "# The links themselves: skos:exactMatch in wikidata.ttl, codes in states.ttl / treaties.ttl.\n")
    return header + linkset_graph(report, descriptions, used=used).serialize(format="turtle")
