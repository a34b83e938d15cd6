"""The vocabulary: every namespace the project uses, its prefix, and the one way to write IRIs short.

One table, :data:`PREFIXES`, is the source of every prefix: graphs and serializers bind it
(:func:`bind_prefixes`), messages and reports shorten IRIs with it (:func:`curie`, :func:`n3`), SPARQL
written in Python declares it (:func:`sparql_prefixes`), and tests read names with it (:func:`expand`).

- **Ours**: ``cst:`` (the ontology; *closed*: :data:`CST` holds exactly the terms of
  ``ontology/cstograph.ttl``, generated into ``_cst.py`` and checked against the ontology by a test, so a
  typo is a mypy error), ``shape:`` (named SHACL shapes), ``graph:`` (named graphs), ``void:`` targets
  under ``BASE + "void#"``, and one namespace per instance type (``state:ARM``; instance IRIs are slash IRIs
  ``https://w3id.org/cstograph/id/<type>/<slug>`` and a Turtle prefixed name cannot contain ``/``). The
  instance, shape and graph namespaces are open: their names are data, not vocabulary.
- **Others'**: RDF, RDFS, OWL, XSD, SKOS, DCTERMS, PROV, FOAF, VOID and SH are rdflib's closed namespaces;
  ORG, ELI, SEM, SD (the SPARQL 1.1 Service Description) and Wikidata's (``wd:``, ``wdt:``, ``p:``,
  ``ps:``, ``pq:``) are declared here.

pyoxigraph terms come from the same IRIs: :func:`to_ox` turns any rdflib term into its pyoxigraph twin
(``to_ox(RDFS.label)``), :func:`rdflib_term` the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Protocol, TypeVar, overload

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD
from rdflib.term import Node

from ._cst import CST

__all__ = [
    "BASE", "CST", "DCTERMS", "ELI", "ERR", "FOAF", "GRAPH", "ID", "INFERRED_GRAPH", "INSTANCE_TYPES",
    "ONTOLOGY_GRAPH", "ONTOLOGY_IRI", "ORG", "OWL", "P", "PQ", "PREFIXES", "PROV", "PS", "RDF", "RDFS", "RDF_TYPE",
    "SD", "SEM", "SH", "SHAPE", "SKOS", "VOID", "VOID_BASE", "WD", "WDT", "XSD", "bind_prefixes", "curie", "expand",
    "instance_namespace", "n3", "rdflib_term", "sparql_prefixes", "to_ox", "turtle_prefixes",
]

BASE: Final = "https://w3id.org/cstograph/"
ONTOLOGY_IRI: Final = BASE + "ontology"
GRAPH: Final = Namespace(BASE + "graph/")
ID: Final = Namespace(BASE + "id/")
#: Named SHACL shapes (``shapes/*.ttl``).
SHAPE: Final = Namespace(BASE + "shapes#")
#: The dataset's own VoID descriptions: ``void#cstograph``, ``void#linkset-wikidata``…
VOID_BASE: Final = Namespace(BASE + "void#")

ORG: Final = Namespace("http://www.w3.org/ns/org#")
ELI: Final = Namespace("http://data.europa.eu/eli/ontology#")
SEM: Final = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
#: SPARQL 1.1 Service Description (the endpoint's description of itself, ``GET /sparql``).
SD: Final = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: Wikidata: items, truthy statements, and the statement model (``p:P463`` → statement → ``ps:P463``,
#: qualifiers ``pq:P580``/``pq:P582``).
WD: Final = Namespace("http://www.wikidata.org/entity/")
WDT: Final = Namespace("http://www.wikidata.org/prop/direct/")
P: Final = Namespace("http://www.wikidata.org/prop/")
PS: Final = Namespace("http://www.wikidata.org/prop/statement/")
PQ: Final = Namespace("http://www.wikidata.org/prop/qualifier/")
#: owlrl's vocabulary for the clashes it finds (``owlrl.Namespaces.ERRNS``); never published.
ERR: Final = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

#: Named graph holding the inferred triples (OWL 2 RL closure minus what is asserted).
INFERRED_GRAPH: Final = GRAPH["inferred"]
#: ``rdf:type`` as one object: the bridge hands the store's ``rdf:type`` out as this very term, so hot loops
#: (the reasoner's) compare and hash it without rdflib's namespace lookup or ``Identifier.__eq__``.
RDF_TYPE: Final = RDF.type
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


#: The prefix table: bound in every graph and result the project writes, used by every short name.
PREFIXES: Final[Mapping[str, Namespace | type]] = MappingProxyType(
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
        "shape": SHAPE,
        "void": VOID,
        "sd": SD,
        "wdt": WDT,
        "p": P,
        "ps": PS,
        "pq": PQ,
    }
)
_BY_LENGTH: Final = tuple(sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()),
                                 key=lambda item: -len(item[0])))
# A local part written as is in a prefixed name (Turtle PN_LOCAL without escapes; SPARQL alike).
_LOCAL: Final = re.compile(r"(?:[\w](?:[\w.\-]*[\w\-])?)?")


class _Binds(Protocol):
    def bind(self, prefix: str, namespace: object, override: bool = ..., replace: bool = ...) -> None: ...


B = TypeVar("B", bound=_Binds)


def bind_prefixes(target: B) -> B:
    """Bind every prefix of :data:`PREFIXES` on a Graph, Dataset or NamespaceManager; returns it."""
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns, replace=True)
    return target


def curie(iri: str) -> str:
    """The prefixed name of ``iri`` (``cst:State``, ``state:ARM``, ``wd:Q399``) by the longest namespace
    of :data:`PREFIXES`, or ``iri`` itself when none fits (the rest would not be a plain local name)."""
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri, len(ns)):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def n3(term: Node) -> str:
    """A term as Turtle writes it, for messages: ``cst:State``, ``<urn:x>``, ``_:b0``, ``"1"^^xsd:int``."""
    if isinstance(term, URIRef):
        short = curie(str(term))
        return short if short != str(term) else f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical = term.n3().rsplit("^^", 1)[0] if term.datatype is not None else term.n3()
        return lexical + (f"^^{n3(term.datatype)}" if term.datatype is not None else "")
    return str(term)


def expand(name: str) -> URIRef:
    """The IRI of a prefixed name of :data:`PREFIXES` (``state:ARM``) or of an ``<IRI>``.

    Raises :class:`ValueError` for anything else (an unknown prefix, a bare word).
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(str(PREFIXES[prefix]) + local)
    raise ValueError(f"not a prefixed name of a known prefix, nor an <IRI>: {name!r}")


def sparql_prefixes(*prefixes: str) -> str:
    """``PREFIX`` lines for SPARQL written in Python, from :data:`PREFIXES` (all of them when none given)."""
    names: Iterable[str] = prefixes or PREFIXES
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in names)


def turtle_prefixes(*prefixes: str) -> str:
    """``@prefix`` lines for Turtle and TriG written in Python, from :data:`PREFIXES` (all when none given).

    >>> print(turtle_prefixes("cst", "state"), end="")
    @prefix cst: <https://w3id.org/cstograph/ontology#> .
    @prefix state: <https://w3id.org/cstograph/id/state/> .
    """
    names: Iterable[str] = prefixes or PREFIXES
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in names)


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@overload
def to_ox(term: URIRef) -> ox.NamedNode: ...
@overload
def to_ox(term: Node) -> OxTerm: ...
def to_ox(term: Node) -> OxTerm:
    """The pyoxigraph term for an rdflib term (same IRI, same literal, same blank-node label): an IRI of a
    namespace here (``to_ox(RDF.type)``) is an ``ox.NamedNode``."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def rdflib_term(term: object) -> Node:
    """The rdflib term for a pyoxigraph term (an ``xsd:string`` literal becomes a plain literal)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(getattr(term, "value", str(term)))
