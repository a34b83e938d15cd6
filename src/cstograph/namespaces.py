"""IRIs of the graph: one base, the ontology namespace, one namespace per instance type.

Instance IRIs are slash IRIs ``https://w3id.org/cstograph/id/<type>/<slug>``; a Turtle prefixed name
cannot contain ``/``, so each type has its own prefix (``state:ARM``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE: Final = "https://w3id.org/cstograph/"
CST: Final = Namespace(BASE + "ontology#")
ONTOLOGY_IRI: Final = BASE + "ontology"
GRAPH: Final = Namespace(BASE + "graph/")
ID: Final = Namespace(BASE + "id/")

ORG: Final = Namespace("http://www.w3.org/ns/org#")
ELI: Final = Namespace("http://data.europa.eu/eli/ontology#")
SEM: Final = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD: Final = Namespace("http://www.wikidata.org/entity/")
SH: Final = Namespace("http://www.w3.org/ns/shacl#")

#: Named graph holding the inferred triples (OWL 2 RL closure minus what is asserted).
INFERRED_GRAPH: Final = GRAPH["inferred"]
#: Named graph holding the ontology.
ONTOLOGY_GRAPH: Final = GRAPH["ontology"]

#: One prefix per instance type: prefix -> path segment under ``id/``.
INSTANCE_TYPES: Final = MappingProxyType(
    {
        "state": "state",
        "organization": "organization",
        "body": "body",
        "formation": "formation",
        "person": "person",
        "post": "post",
        "term": "term",
        "treaty": "treaty",
        "article": "article",
        "version": "article-version",
        "obligation": "obligation",
        "membership": "membership",
        "event": "event",
        "operation": "operation",
        "stat": "statistic",
        "place": "place",
        "source": "source",
        "work": "work",
        "claim": "claim",
        "recommendation": "recommendation",
    }
)


def instance_namespace(prefix: str) -> Namespace:
    """The namespace of one instance type, e.g. ``instance_namespace("state")["ARM"]``."""
    return Namespace(f"{ID}{INSTANCE_TYPES[prefix]}/")


#: Prefixes bound in every graph and result the project writes.
PREFIXES: Final = MappingProxyType(
    {
        "cst": CST,
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "skos": SKOS,
        "dcterms": DCTERMS,
        "prov": PROV,
        "foaf": FOAF,
        "org": ORG,
        "eli": ELI,
        "sem": SEM,
        "wd": WD,
        "sh": SH,
        "graph": GRAPH,
        **{p: instance_namespace(p) for p in INSTANCE_TYPES},
    }
)
