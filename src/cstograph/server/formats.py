"""Media types of the endpoint and content negotiation (RFC 9110 §12.5.1, with q-values).

Results of SELECT/ASK: SPARQL 1.1 Query Results JSON, XML, CSV, TSV. Graphs (CONSTRUCT/DESCRIBE, the
service description): Turtle, N-Triples, RDF/XML, JSON-LD, and TriG / N-Quads (a graph is a dataset
with only a default graph). A ``format`` request parameter (short name or media type) overrides Accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = [
    "GRAPH_FORMATS",
    "HTML",
    "RESULT_FORMATS",
    "Format",
    "NotAcceptable",
    "negotiate",
    "parse_accept",
]

HTML = "text/html"


@dataclass(frozen=True, slots=True)
class Format:
    media_type: str
    short: str
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat | None
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type


RESULT_FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", "json", ox.QueryResultsFormat.JSON, ("application/json",)),
    Format("application/sparql-results+xml", "xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml")),
    Format("text/csv", "csv", ox.QueryResultsFormat.CSV),
    Format("text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("text/turtle", "turtle", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    Format("application/n-triples", "ntriples", ox.RdfFormat.N_TRIPLES, ("text/plain",)),
    Format("application/rdf+xml", "rdfxml", ox.RdfFormat.RDF_XML),
    Format("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, ("application/json",)),
    Format("application/trig", "trig", ox.RdfFormat.TRIG),
    Format("application/n-quads", "nquads", ox.RdfFormat.N_QUADS),
)
HTML_FORMAT = Format(HTML, "html", None, ("application/xhtml+xml",))


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
        ranges.append((media, q, order))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, float, int]]) -> tuple[float, int]:
    """q of the most specific range matching ``fmt`` (RFC 9110: specific beats wildcard), and its order."""
    best: tuple[int, float, int] | None = None  # (specificity, q, order)
    for media, q, order in ranges:
        major, _, minor = media.partition("/")
        names = (fmt.media_type, *fmt.aliases)
        if media in names:
            spec = 3 if media == fmt.media_type else 2
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
    """The format to answer in. ``fmt_param`` (a short name or media type) wins; a missing or empty
    Accept means the first offered format; otherwise the highest q, ties broken by specificity and
    then the server's order. Raises :class:`NotAcceptable`."""
    if fmt_param:
        wanted = fmt_param.strip().lower()
        for fmt in offered:
            if wanted in (fmt.short, fmt.media_type, *fmt.aliases):
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
    if not scored:
        raise NotAcceptable(offered)
    return max(scored, key=lambda item: item[:3])[3]
