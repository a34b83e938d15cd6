"""The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/).

Answered to a GET on the endpoint without a query (§3): an ``sd:Service`` with its ``sd:endpoint`` (the
URL the request came to), the language, result and input formats, features, and the default dataset
(the graphs it holds, each with its size).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..store import GraphStore
from .formats import GRAPH_FORMATS, RESULT_FORMATS, Format

__all__ = ["graph_sizes", "service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID = "http://rdfs.org/ns/void#"
DCT_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def graph_sizes(store: GraphStore) -> dict[str, int]:
    """Triples per named graph (one query; the store is read-only, so callers may cache it)."""
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(r["g"].value): int(r["n"].value) for r in rows if isinstance(r.get("g"), ox.NamedNode)}


def service_description(
    store: GraphStore,
    *,
    endpoint: str,
    fmt: Format,
    federation: Sequence[str] = (),
    timeout: float,
    graph_sizes: Mapping[str, int] | None = None,
) -> bytes:
    """The description serialised as ``fmt`` (one of :data:`GRAPH_FORMATS`); ``graph_sizes`` (see
    :func:`graph_sizes`) adds ``void:triples`` to each named graph."""
    service = ox.NamedNode(endpoint)
    triples: list[ox.Triple] = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, DCT_DESCRIPTION, ox.Literal(
            f"Read-only SPARQL 1.1 endpoint of cstograph. Query time limit {timeout:g} s; SERVICE "
            + ("allowed only to: " + ", ".join(federation) if federation else "refused") + ".")),
    ]
    for f in (*RESULT_FORMATS, *GRAPH_FORMATS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(f.oxigraph.iri)))  # type: ignore[union-attr]
    features: list[str] = []
    if store.union_default_graph:
        features.append("UnionDefaultGraph")
    if federation:
        features.append("BasicFederatedQuery")
    for feature in features:
        triples.append(ox.Triple(service, _sd("feature"), _sd(feature)))
    dataset = ox.BlankNode()
    default_graph = ox.BlankNode()
    triples += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    if store.union_default_graph:
        triples.append(ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _integer(len(store))))
    for name in store.graph_names():
        node, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(name)),
            ox.Triple(node, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
        ]
        if graph_sizes and name in graph_sizes:
            triples.append(ox.Triple(graph, ox.NamedNode(VOID + "triples"), _integer(graph_sizes[name])))
    for url in federation:
        triples.append(ox.Triple(ox.NamedNode(url), RDF_TYPE, _sd("Service")))
    # fmt is one of GRAPH_FORMATS, whose .oxigraph is an RdfFormat (the field's type also admits result formats)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes={"sd": SD, "void": VOID}) or b""  # type: ignore[arg-type]
