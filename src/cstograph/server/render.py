"""Renderers: describe a resource from the store, and negotiate and serialize RDF formats.

Store access uses pyoxigraph's pattern API (``quads_for_pattern``) with terms, never query strings, so no
IRI is ever formatted into SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from ..namespaces import BASE, ID, INFERRED_GRAPH, PREFIXES
from ..store import GraphStore

__all__ = [
    "RDF_MEDIA_TYPES",
    "SUFFIXES",
    "Fact",
    "describe",
    "label_of",
    "labels_of",
    "link_target",
    "local_path",
    "negotiate",
    "serialize_triples",
]

#: Media types we serve for RDF, with the pyoxigraph format (JSON-LD: W3C JSON-LD 1.1, expanded form).
RDF_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: Format suffixes of document URLs (``/id/state/ARM.ttl``) → media type.
SUFFIXES: dict[str, str] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
MEDIA_SUFFIX = {v: k for k, v in SUFFIXES.items()}

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def negotiate(accept: MIMEAccept, *, html: bool = True, default: str = "text/html") -> str | None:
    """The best media type for an ``Accept`` header (RFC 9110 §12.5.1, q-values), or None (406).

    ``text/html`` wins a tie (browsers send ``*/*`` with a lower q); a missing header gets ``default``.
    """
    offers = (["text/html"] if html else []) + list(RDF_MEDIA_TYPES)
    if not accept:
        return default
    best = accept.best_match(offers)
    if best is None:
        # Some clients ask for text/n3 or application/x-turtle: give them Turtle.
        if accept["text/n3"] or accept["application/x-turtle"]:
            return "text/turtle"
        return None
    return best


def serialize_triples(triples: Iterable[ox.Triple], media_type: str) -> bytes:
    fmt = RDF_MEDIA_TYPES[media_type]
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(list(triples), format=fmt, prefixes=prefixes) or b""
    return ox.serialize(list(triples), format=fmt) or b""


@dataclass(frozen=True, slots=True)
class Fact:
    """One triple seen from a resource page."""

    predicate: ox.NamedNode
    value: ox.NamedNode | ox.Literal | ox.BlankNode
    inferred: bool
    graph: str


@dataclass(slots=True)
class Description:
    iri: str
    outgoing: list[Fact] = field(default_factory=list)
    # (subject, predicate, inferred)
    incoming: list[tuple[ox.NamedNode, ox.NamedNode, bool]] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)


def _quads(store: GraphStore, s: object = None, p: object = None, o: object = None) -> Iterator[ox.Quad]:
    return store.oxigraph.quads_for_pattern(s, p, o, None)  # type: ignore[arg-type]


def describe(store: GraphStore, iri: str) -> Description:
    """The facts about ``iri``: every quad with it as subject, and every quad pointing at it."""
    node = ox.NamedNode(iri)
    desc = Description(iri)
    seen: set[tuple[str, str]] = set()
    for q in _quads(store, node):
        key = (str(q.predicate), str(q.object))
        inferred = q.graph_name == _INFERRED
        if key in seen and inferred:
            continue
        seen.add(key)
        graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        desc.outgoing.append(Fact(q.predicate, q.object, inferred, graph))  # type: ignore[arg-type]
    seen_in: set[tuple[str, str]] = set()
    for q in _quads(store, None, None, node):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        key = (str(q.subject), str(q.predicate))
        if key in seen_in:
            continue
        seen_in.add(key)
        desc.incoming.append((q.subject, q.predicate, q.graph_name == _INFERRED))
    return desc


def concise_bounded_description(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The CBD of ``iri`` (W3C Member Submission, Concise Bounded Description): its triples, and
    recursively those of the blank nodes they reach (citations), over all named graphs, deduplicated."""
    out: dict[ox.Triple, None] = {}
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    done: set[object] = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for q in _quads(store, node):
            out[q.triple] = None
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    return list(out)


def labels_of(store: GraphStore, node: ox.NamedNode | ox.BlankNode) -> dict[str, str]:
    """Language tag → label (rdfs:label, else skos:prefLabel); untagged labels under ``""``."""
    labels: dict[str, str] = {}
    for prop in (RDFS_LABEL, SKOS_PREF):
        for q in _quads(store, node, prop):
            if isinstance(q.object, ox.Literal):
                labels.setdefault(q.object.language or "", q.object.value)
        if labels:
            break
    return labels


def label_of(store: GraphStore, node: ox.NamedNode | ox.BlankNode, lang: str = "en") -> str:
    """A human label: the label in ``lang``, another label, or a short form of the IRI."""
    labels = labels_of(store, node)
    for key in (lang, "", "en", *labels):
        if key in labels:
            return labels[key]
    if not isinstance(node, ox.NamedNode):
        return "(unnamed node)"
    if node.value.startswith(str(ID)):
        return short_iri(node.value)
    # A term of another vocabulary without a label here (skos:note, dcterms:date …): its local name.
    local = node.value.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in local).strip() or node.value


def short_iri(iri: str) -> str:
    """A compact name: ``cst:State``, ``state:ARM``, or the IRI itself."""
    best = ""
    best_prefix = ""
    for prefix, ns in PREFIXES.items():
        ns_s = str(ns)
        if iri.startswith(ns_s) and len(ns_s) > len(best):
            best, best_prefix = ns_s, prefix
    if best and "/" not in iri[len(best):] and "#" not in iri[len(best):]:
        return f"{best_prefix}:{iri[len(best):]}"
    return iri


def local_path(iri: str, base: str = BASE) -> str | None:
    """The path on this server for an IRI under the base (``/id/state/ARM``, ``/ontology#State``),
    percent-encoded so that it can only be a path on this server (never ``//host`` or a scheme)."""
    if not iri.startswith(base):
        return None
    path = "/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~%#?")
    if path.startswith("//"):
        path = "/%2F" + path[2:]
    return path


#: The only schemes that become links on pages; anything else (``javascript:``, ``data:``…) is shown as text.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def link_target(iri: str, base: str = BASE) -> tuple[str | None, bool]:
    """``(href, external)`` for an IRI shown on a page: a local path for IRIs under the base, the IRI itself
    for an ``http``/``https``/``mailto`` IRI elsewhere, and ``None`` — no link — for any other scheme."""
    local = local_path(iri, base)
    if local is not None:
        return local, False
    if iri.lower().startswith(LINK_SCHEMES) and not any(c in iri for c in "\x00\t\n\r"):
        return iri, True
    return None, False
