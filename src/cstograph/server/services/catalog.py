"""What the dataset and the endpoint say about themselves, from the published snapshot (never recomputed per
request): the VoID description (W3C Interest Group Note "Describing Linked Datasets with the VoID
Vocabulary", 2011 — statistics §4, example resources and the endpoint §3, dumps §3.3, vocabularies, one
``void:subset`` per named graph, link sets) and the SPARQL 1.1 Service Description (§3)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ...namespaces import DCTERMS, RDF, SD, SKOS, VOID, XSD, to_ox
from ...snapshot import Snapshot
from ..negotiation import GRAPH_FORMATS, RESULT_FORMATS

__all__ = ["service_description_triples", "void_triples"]

RDF_TYPE = to_ox(RDF.type)
XSD_INTEGER = to_ox(XSD.integer)
_TITLE = to_ox(DCTERMS.title)
_DESCRIPTION = to_ox(DCTERMS.description)
_LICENSE = to_ox(DCTERMS.license)
_EXACT_MATCH = to_ox(SKOS.exactMatch)
DUMPS = ("cstograph.nq", "cstograph.trig")


def _n(value: object) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def _v(term: str) -> ox.NamedNode:
    return to_ox(VOID[term])


def _sd(term: str) -> ox.NamedNode:
    return to_ox(SD[term])


def void_triples(snapshot: Snapshot, *, public_url: str, base: str) -> list[ox.Triple]:
    """The VoID description. ``public_url`` is where this server is reached (endpoint and dumps)."""
    public_url = public_url.rstrip("/")
    site = snapshot.site
    stats = snapshot.statistics
    ds = ox.NamedNode(site.dataset)
    t: list[ox.Triple] = [ox.Triple(ds, RDF_TYPE, _v("Dataset"))]
    t += [ox.Triple(ds, _TITLE, ox.Literal(text, language=lang or None))
          for lang, text in sorted(site.title.items())]
    t += [ox.Triple(ds, _DESCRIPTION, ox.Literal(text, language=lang or None))
          for lang, text in sorted(site.description.items())]
    if site.license:
        t.append(ox.Triple(ds, _LICENSE, ox.NamedNode(site.license)))
    if site.root:
        t.append(ox.Triple(ds, _v("rootResource"), ox.NamedNode(site.root)))
    t += [ox.Triple(ds, _v("exampleResource"), ox.NamedNode(iri)) for iri in site.examples]
    t += [
        ox.Triple(ds, _v("uriSpace"), ox.Literal(base + "id/")),
        ox.Triple(ds, _v("sparqlEndpoint"), ox.NamedNode(public_url + "/sparql")),
        ox.Triple(ds, _v("uriLookupEndpoint"), ox.Literal(public_url + "/id/")),
        *(ox.Triple(ds, _v("dataDump"), ox.NamedNode(f"{public_url}/dumps/{name}")) for name in DUMPS),
        ox.Triple(ds, _v("triples"), _n(snapshot.triples)),
        ox.Triple(ds, _v("distinctSubjects"), _n(stats["subjects"])),
        ox.Triple(ds, _v("properties"), _n(stats["properties"])),
        ox.Triple(ds, _v("distinctObjects"), _n(stats["objects"])),
        ox.Triple(ds, _v("entities"), _n(stats["entities"])),
        ox.Triple(ds, _v("classes"), _n(len(stats["classes"]))),  # type: ignore[arg-type]
    ]
    for cls, count in stats["classes"]:  # type: ignore[attr-defined]
        part = ox.BlankNode()
        t += [ox.Triple(ds, _v("classPartition"), part), ox.Triple(part, _v("class"), ox.NamedNode(cls)),
              ox.Triple(part, _v("entities"), _n(count))]
    for prop, count in stats["property_partitions"]:  # type: ignore[attr-defined]
        part = ox.BlankNode()
        t += [ox.Triple(ds, _v("propertyPartition"), part), ox.Triple(part, _v("property"), ox.NamedNode(prop)),
              ox.Triple(part, _v("triples"), _n(count))]
    for graph in stats["graphs"]:  # type: ignore[attr-defined]
        sub = ox.NamedNode(site.dataset + "-" + graph["graph"].rsplit("/graph/", 1)[-1].replace("/", "-"))
        t += [ox.Triple(ds, _v("subset"), sub), ox.Triple(sub, RDF_TYPE, _v("Dataset")),
              ox.Triple(sub, _sd("name"), ox.NamedNode(graph["graph"])),
              ox.Triple(sub, _v("triples"), _n(graph["triples"])),
              ox.Triple(sub, _v("distinctSubjects"), _n(graph["subjects"])),
              ox.Triple(sub, _v("properties"), _n(graph["properties"])),
              ox.Triple(sub, _v("distinctObjects"), _n(graph["objects"]))]
    t += [ox.Triple(ds, _v("vocabulary"), ox.NamedNode(v)) for v in stats["vocabularies"]]  # type: ignore[attr-defined]
    for target, count in stats["linksets"]:  # type: ignore[attr-defined]
        name = target.split("//", 1)[-1].strip("/").replace(".", "-")
        ls = ox.NamedNode(site.dataset + "-links-" + name)
        t += [ox.Triple(ds, _v("subset"), ls), ox.Triple(ls, RDF_TYPE, _v("Linkset")),
              ox.Triple(ls, _v("linkPredicate"), _EXACT_MATCH),
              ox.Triple(ls, _v("subjectsTarget"), ds), ox.Triple(ls, _v("objectsTarget"), ox.NamedNode(target)),
              ox.Triple(ls, _v("triples"), _n(count))]
    return t


def service_description_triples(snapshot: Snapshot, *, endpoint: str, union_default_graph: bool,
                                federation: Sequence[str], timeout: float) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (the URL the request came to)."""
    service = ox.NamedNode(endpoint)
    triples: list[ox.Triple] = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _DESCRIPTION, ox.Literal(
            f"Read-only SPARQL 1.1 endpoint of cstograph. Query time limit {timeout:g} s; SERVICE "
            + ("allowed only to: " + ", ".join(federation) if federation else "refused") + ".")),
    ]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(f.oxigraph.iri))  # type: ignore[union-attr]
                for f in (*RESULT_FORMATS, *GRAPH_FORMATS)]
    features = ["UnionDefaultGraph"] if union_default_graph else []
    features += ["BasicFederatedQuery"] if federation else []
    triples += [ox.Triple(service, _sd("feature"), _sd(feature)) for feature in features]
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    triples += [ox.Triple(service, _sd("defaultDataset"), dataset), ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
                ox.Triple(dataset, _sd("defaultGraph"), default_graph),
                ox.Triple(default_graph, RDF_TYPE, _sd("Graph"))]
    if union_default_graph:
        triples.append(ox.Triple(default_graph, _v("triples"), _n(snapshot.triples)))
    for name, size in sorted(snapshot.sizes.items()):
        node, graph = ox.BlankNode(), ox.BlankNode()
        triples += [ox.Triple(dataset, _sd("namedGraph"), node), ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
                    ox.Triple(node, _sd("name"), ox.NamedNode(name)), ox.Triple(node, _sd("graph"), graph),
                    ox.Triple(graph, RDF_TYPE, _sd("Graph")), ox.Triple(graph, _v("triples"), _n(size))]
    triples += [ox.Triple(ox.NamedNode(url), RDF_TYPE, _sd("Service")) for url in federation]
    return triples
