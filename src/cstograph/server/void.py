"""The VoID description of the served dataset (W3C Interest Group Note "Describing Linked Datasets with
the VoID Vocabulary", 2011): statistics (§4), example resources and the SPARQL endpoint (§3), dumps
(§3.3), the vocabulary used, one ``void:subset`` per named graph, and the link sets to external data.
Statistics are computed from the store that is served, so they describe exactly what is served.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import BASE
from ..store import GraphStore

__all__ = ["DATASET_IRI", "void_triples"]

VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

#: The dataset's IRI (a fragment of the VoID document's canonical IRI).
DATASET_IRI = BASE + "void#cstograph"

EXAMPLES = ("id/state/ARM", "id/organization/csto", "id/treaty/cst", "id/article/cst-4",
            "id/event/kaz-2022-request")

_PER_GRAPH = """
SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects)
WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"""
_TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
_TYPED = """
SELECT DISTINCT ?s WHERE { ?s a ?c . FILTER(isIRI(?s)) }"""
_CLASSES = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"""
_PROPERTIES = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"""
_VOCABULARIES = """
SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }"""
_LINKS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?target (COUNT(*) AS ?n) WHERE {
  ?s skos:exactMatch ?o . BIND(REPLACE(STR(?o), "^(https?://[^/]+/).*$", "$1") AS ?target)
} GROUP BY ?target ORDER BY ?target"""


def _n(node: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Literal:
    return ox.Literal(node.value, datatype=XSD_INT)


def _vocab_of(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri[8:]:
            return iri[: iri.rfind(sep) + 1]
    return iri


def void_triples(store: GraphStore, *, public_url: str, base: str = BASE) -> list[ox.Triple]:
    """The VoID description. ``public_url`` is where this server is reached (endpoint and dumps)."""
    public_url = public_url.rstrip("/")

    def v(term: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + term)

    def d(term: str) -> ox.NamedNode:
        return ox.NamedNode(DCT + term)

    ds = ox.NamedNode(DATASET_IRI)
    t: list[ox.Triple] = [
        ox.Triple(ds, RDF_TYPE, v("Dataset")),
        ox.Triple(ds, d("title"), ox.Literal("cstograph: a knowledge graph of the CSTO", language="en")),
        ox.Triple(ds, d("title"), ox.Literal("cstograph: граф знаний об ОДКБ", language="ru")),
        ox.Triple(ds, d("description"), ox.Literal(
            "States, treaties, treaty articles and their versions, obligations, memberships, offices and "
            "events of the Collective Security Treaty Organization, every fact traced to its source.",
            language="en")),
        ox.Triple(ds, d("license"), ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        ox.Triple(ds, v("uriSpace"), ox.Literal(base + "id/")),
        ox.Triple(ds, v("sparqlEndpoint"), ox.NamedNode(public_url + "/sparql")),
        ox.Triple(ds, v("dataDump"), ox.NamedNode(public_url + "/dumps/cstograph.nq")),
        ox.Triple(ds, v("dataDump"), ox.NamedNode(public_url + "/dumps/cstograph.trig")),
        ox.Triple(ds, v("rootResource"), ox.NamedNode(base + "id/organization/csto")),
        ox.Triple(ds, v("uriLookupEndpoint"), ox.Literal(public_url + "/id/")),
    ]
    for path in EXAMPLES:
        node = ox.NamedNode(base + path)
        if next(store.oxigraph.quads_for_pattern(node, None, None, None), None) is not None:
            t.append(ox.Triple(ds, v("exampleResource"), node))
    totals = store.select(_TOTALS)[0]
    # void:triples of the whole dataset: the quads served (the sum over the named graphs, as the build counts).
    t += [ox.Triple(ds, v("triples"), ox.Literal(str(len(store)), datatype=XSD_INT)),
          ox.Triple(ds, v("distinctSubjects"), _n(totals["subjects"])),
          ox.Triple(ds, v("properties"), _n(totals["properties"])),
          ox.Triple(ds, v("distinctObjects"), _n(totals["objects"]))]
    entities = sum(1 for r in store.select(_TYPED) if r["s"].value.startswith(base + "id/"))
    t.append(ox.Triple(ds, v("entities"), ox.Literal(str(entities), datatype=XSD_INT)))
    classes = store.select(_CLASSES)
    t.append(ox.Triple(ds, v("classes"), ox.Literal(str(len(classes)), datatype=XSD_INT)))
    for row in classes:
        part = ox.BlankNode()
        t += [ox.Triple(ds, v("classPartition"), part), ox.Triple(part, v("class"), row["c"]),
              ox.Triple(part, v("entities"), _n(row["n"]))]
    for row in store.select(_PROPERTIES):
        part = ox.BlankNode()
        t += [ox.Triple(ds, v("propertyPartition"), part), ox.Triple(part, v("property"), row["p"]),
              ox.Triple(part, v("triples"), _n(row["n"]))]
    for row in store.select(_PER_GRAPH):
        graph = row["g"].value
        sub = ox.NamedNode(DATASET_IRI + "-" + graph.rsplit("/graph/", 1)[-1].replace("/", "-"))
        t += [ox.Triple(ds, v("subset"), sub), ox.Triple(sub, RDF_TYPE, v("Dataset")),
              ox.Triple(sub, ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name"), row["g"]),
              ox.Triple(sub, v("triples"), _n(row["triples"])),
              ox.Triple(sub, v("distinctSubjects"), _n(row["subjects"])),
              ox.Triple(sub, v("properties"), _n(row["properties"])),
              ox.Triple(sub, v("distinctObjects"), _n(row["objects"]))]
    vocabularies = sorted({_vocab_of(r["t"].value) for r in store.select(_VOCABULARIES)
                           if isinstance(r["t"], ox.NamedNode)})
    for vocab in vocabularies:
        t.append(ox.Triple(ds, v("vocabulary"), ox.NamedNode(vocab)))
    for row in store.select(_LINKS):
        target = row["target"].value
        name = target.split("//", 1)[-1].strip("/").replace(".", "-")
        ls = ox.NamedNode(DATASET_IRI + "-links-" + name)
        t += [ox.Triple(ds, v("subset"), ls), ox.Triple(ls, RDF_TYPE, v("Linkset")),
              ox.Triple(ls, v("linkPredicate"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")),
              ox.Triple(ls, v("subjectsTarget"), ds),
              ox.Triple(ls, v("objectsTarget"), ox.NamedNode(target)),
              ox.Triple(ls, v("triples"), _n(row["n"]))]
    return t
