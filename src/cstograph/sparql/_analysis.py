"""The result of reading a query: what it would make the engine do."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ._parser import Limits, ServiceCall, parse_query

__all__ = ["QueryAnalysis", "analyse", "with_explicit_services"]


@dataclass(frozen=True, slots=True)
class QueryAnalysis:
    #: SELECT, CONSTRUCT, DESCRIBE or ASK.
    form: str
    #: Every SERVICE clause, in order.
    services: tuple[ServiceCall, ...]
    #: IRIs of FROM and FROM NAMED clauses.
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    #: How deep the algebra nests (see :mod:`._parser`) and the deepest bracket nesting.
    depth: int
    nesting: int

    @property
    def has_dataset(self) -> bool:
        """Whether the query names its own dataset (FROM / FROM NAMED)."""
        return bool(self.default_graphs or self.named_graphs)

    @property
    def is_graph(self) -> bool:
        """Whether the result is an RDF graph (CONSTRUCT, DESCRIBE) rather than solutions or a boolean."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def analyse(text: str, limits: Limits | None = None) -> QueryAnalysis:
    """Read a SPARQL 1.1 query. Raises :class:`SparqlSyntaxError` (with line and column),
    :class:`UpdateRequest` for an update, :class:`QueryTooComplex` past ``limits``.

    Results are cached per (text, limits): the same query read twice costs a dictionary look-up.
    """
    return _analyse(text, limits or Limits())


@lru_cache(maxsize=1024)
def _analyse(text: str, limits: Limits) -> QueryAnalysis:
    result = parse_query(text, limits)
    if result.depth > limits.max_depth:
        from ._parser import QueryTooComplex

        raise QueryTooComplex(f"the query's algebra nests {result.depth} levels deep, more than the limit of "
                              f"{limits.max_depth} (long chains of patterns, UNIONs, operators or path steps "
                              "count as nesting); split it or shorten its chains")
    return QueryAnalysis(
        form=result.form,
        services=tuple(result.services),
        default_graphs=tuple(result.default_graphs),
        named_graphs=tuple(result.named_graphs),
        depth=result.depth,
        nesting=result.max_nesting,
    )


def with_explicit_services(text: str, analysis: QueryAnalysis) -> str:
    """``text`` with every SERVICE endpoint written as the full IRI this parser read (``<iri>``, spaced).

    What an engine fetches must be what was checked. The grammar reads ``SERVICE SILENT:q`` as the endpoint
    ``SILENT:q`` (a prefixed name: tokens match longest first, §19.8), while an engine that matches keywords
    without a word boundary (Oxigraph) reads ``SILENT`` and the endpoint ``:q`` — another IRI, which was
    never checked. Written out as ``<iri>``, the endpoint has one reading.
    """
    parts: list[str] = []
    end = len(text)
    for call in sorted(analysis.services, key=lambda c: c.span[0], reverse=True):
        if call.iri is None:
            continue  # a variable: one reading (and never run: see the endpoint's rules)
        start, stop = call.span
        parts.append(text[stop:end])
        parts.append(f" <{call.iri}> ")
        end = start
    if not parts:
        return text
    parts.append(text[:end])
    return "".join(reversed(parts))
