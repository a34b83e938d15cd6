"""The one content negotiator of the server (RFC 9110 §12.5.1, with q-values), and every media type it offers.

Results of SELECT/ASK: SPARQL 1.1 Query Results JSON, XML, CSV, TSV. Graphs (CONSTRUCT/DESCRIBE, resource
descriptions, the ontology, VoID, the service description): Turtle, N-Triples, RDF/XML, JSON-LD, TriG,
N-Quads. Pages: HTML. A ``format`` request parameter (a short name or a media type) overrides Accept; the
short names clients send are understood per kind of result (SPARQLWrapper sends ``format=xml`` for a
CONSTRUCT meaning RDF/XML, ``json-ld``, ``n3``…).

A client that asks a graph query for SPARQL results formats only — roqet asks for
``application/sparql-results+xml`` even for a CONSTRUCT — gets the RDF syntax of the same family (RDF/XML for
XML, JSON-LD for JSON) or, for CSV/TSV, the offered default (Turtle), as the big SPARQL servers do rather than
406; a client that accepts nothing we can make (``image/png``) gets 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = [
    "DOCUMENT_SUFFIXES",
    "GRAPH_FORMATS",
    "HTML_FORMAT",
    "RESULT_FORMATS",
    "Format",
    "NotAcceptable",
    "negotiate",
    "parse_accept",
]


@dataclass(frozen=True, slots=True)
class Format:
    media_type: str
    short: str
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat | None
    aliases: tuple[str, ...] = ()
    #: Further ``format=`` values meaning this format (SPARQLWrapper, Virtuoso, Fuseki spellings).
    names: tuple[str, ...] = ()
    suffix: str = ""

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type

    @property
    def rdf(self) -> ox.RdfFormat:
        assert isinstance(self.oxigraph, ox.RdfFormat), self
        return self.oxigraph


RESULT_FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", "json", ox.QueryResultsFormat.JSON, ("application/json",),
           ("srj",), "srj"),
    Format("application/sparql-results+xml", "xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"),
           ("srx",), "srx"),
    Format("text/csv", "csv", ox.QueryResultsFormat.CSV, (), (), "csv"),
    Format("text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV, (), (), "tsv"),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("text/turtle", "turtle", ox.RdfFormat.TURTLE, ("application/x-turtle", "text/n3", "text/rdf+n3"),
           ("ttl", "n3"), "ttl"),
    Format("application/n-triples", "ntriples", ox.RdfFormat.N_TRIPLES, ("text/plain",), ("nt", "n-triples"), "nt"),
    # a client that asks a CONSTRUCT for SPARQL XML or JSON results (roqet does) gets the RDF syntax of that family
    Format("application/rdf+xml", "rdfxml", ox.RdfFormat.RDF_XML,
           ("application/xml", "text/xml", "application/sparql-results+xml"), ("xml", "rdf+xml", "rdf"), "rdf"),
    Format("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD,
           ("application/json", "application/sparql-results+json"), ("json-ld", "json"), "jsonld"),
    Format("application/trig", "trig", ox.RdfFormat.TRIG, (), (), "trig"),
    Format("application/n-quads", "nquads", ox.RdfFormat.N_QUADS, (), ("nq",), "nq"),
)
HTML_FORMAT = Format("text/html", "html", None, ("application/xhtml+xml",), (), "html")
#: Documents of a resource (``/id/state/ARM.ttl``…): suffix → format.
DOCUMENT_SUFFIXES: dict[str, Format] = {f.suffix: f for f in (HTML_FORMAT, *GRAPH_FORMATS[:4])}
_PROTOCOL_TYPES = frozenset(f.media_type for f in (*RESULT_FORMATS, *GRAPH_FORMATS))


class NotAcceptable(Exception):  # noqa: N818 - named after the HTTP status
    """No offered format is acceptable (HTTP 406)."""

    def __init__(self, offered: Sequence[Format]) -> None:
        self.offered = list(offered)
        super().__init__("none of the offered media types is acceptable: " + ", ".join(f.media_type for f in offered))


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, order)`` of an Accept header; malformed parts are skipped."""
    ranges = []
    for order, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
                if q != q:  # NaN
                    q = 0.0
        ranges.append((media, q, order))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, float, int]]) -> tuple[float, int]:
    """q of the most specific range matching ``fmt`` (RFC 9110: specific beats wildcard), and its order."""
    best: tuple[int, float, int] | None = None  # (specificity, q, order)
    for media, q, order in ranges:
        major, _, minor = media.partition("/")
        if media == fmt.media_type:
            spec = 3
        elif media in fmt.aliases:
            spec = 2
        elif minor == "*" and major != "*" and fmt.media_type.startswith(major + "/"):
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[0]:
            best = (spec, q, order)
    if best is None:
        return 0.0, 0
    return best[1], best[0] * 1000 - best[2]


def negotiate(accept: str | None, offered: Sequence[Format], *, fmt_param: str | None = None) -> Format:
    """The format to answer in. ``fmt_param`` wins; a missing or empty Accept means the first offered format;
    otherwise the highest q, ties broken by specificity and then the server's order; a client that asks only
    for formats of another kind of SPARQL answer gets the first offered format. Raises :class:`NotAcceptable`."""
    if fmt_param:
        wanted = fmt_param.strip().lower()
        for fmt in offered:
            if wanted in (fmt.short, fmt.media_type, *fmt.names):
                return fmt
        for fmt in offered:
            if wanted in fmt.aliases:
                return fmt
        raise NotAcceptable(offered)
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    scored = []
    for index, fmt in enumerate(offered):
        q, tiebreak = _quality(fmt, ranges)
        if q > 0:
            scored.append((q, tiebreak, -index, fmt))
    if scored:
        return max(scored, key=lambda item: item[:3])[3]
    if any(media in _PROTOCOL_TYPES and q > 0 for media, q, _ in ranges) and offered[0].oxigraph is not None:
        return offered[0]  # e.g. a CONSTRUCT for a client that asked only for SPARQL results formats
    raise NotAcceptable(offered)
