"""The one store interface (:class:`Store`), query parameters as terms, and the Oxigraph-backed base
shared by the in-memory and the on-disk store.

The default graph of a query is the union of all named graphs (asserted ∪ inferred) unless the caller
selects graphs (SPARQL 1.1 Protocol ``default-graph-uri`` / ``named-graph-uri``) or the query names its
own dataset (``FROM`` / ``FROM NAMED``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

import pyoxigraph as ox

from ..errors import QuerySyntaxError

if TYPE_CHECKING:
    from ..queries import NamedQuery
    from ._remote import RemoteTriples

__all__ = [
    "OxigraphStore", "QueryResult", "Row", "Store", "Term", "named_substitutions", "rows", "to_term",
]

Term = ox.NamedNode | ox.Literal
Row = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Output = IO[bytes] | str | Path | None


def to_term(value: str | int | float | bool | ox.NamedNode | ox.Literal, datatype: str | None = None) -> Term:
    """A pyoxigraph term for a query parameter (``substitutions``): IRIs stay IRIs, values become literals.

    >>> to_term(3)
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> to_term("2020-01-01", "http://www.w3.org/2001/XMLSchema#date").datatype.value
    'http://www.w3.org/2001/XMLSchema#date'
    """
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if datatype is not None:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    if isinstance(value, str):
        return ox.Literal(value)
    return ox.Literal(str(value).lower() if isinstance(value, bool) else str(value))


def named_substitutions(named: NamedQuery, given: Mapping[str, str]) -> dict[str, Term]:
    """Bind the declared ``#+ param:`` values of a named query (given value, else its default) as terms.

    The CLI and the endpoint both use this, so that the same report comes out of both. Values are bound
    by SEP-0007 substitution, never formatted into the query text. Raises :class:`ValueError` for a value
    that is not a valid IRI (``iri`` parameters).
    """
    subs: dict[str, Term] = {}
    for param in named.params:
        value = given[param.name] if param.name in given else param.resolved_default()
        if value is None:
            continue
        subs[param.name] = ox.NamedNode(value) if param.datatype == "iri" else to_term(value, param.datatype)
    return subs


def rows(result: object) -> list[Row]:
    """The rows of a SELECT result as dicts of bound variables (unbound ones left out)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("select() needs a SELECT query")
    names = [v.value for v in result.variables]
    out = []
    for solution in result:
        row: Row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        out.append(row)
    return out


@runtime_checkable
class Store(Protocol):
    """What the server and the pipeline's publishing steps may ask of a store, whatever holds the data
    (:class:`~cstograph.store.MemoryStore`, :class:`~cstograph.store.DiskStore`,
    :class:`~cstograph.store.RemoteStore`). Read-only: a store is written by the build, never by a request.
    """

    #: Whether a query without a dataset (no ``FROM``, no protocol graphs) sees the union of all graphs.
    union_default_graph: bool

    def query(self, sparql: str, *, default_graph: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, substitutions: Mapping[str, Term] | None = None,
              base_iri: str | None = None, union_default_graph: bool | None = None
              ) -> QueryResult | RemoteTriples:
        """Evaluate a SPARQL query; results have pyoxigraph's interface (iterate, ``variables``,
        ``serialize(output, format=…)``). Raises :class:`~cstograph.errors.QuerySyntaxError`."""
        ...

    def quads(self, subject: object = None, predicate: object = None, object: object = None,
              graph: object = None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (``None`` matches anything)."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        ...

    def sizes(self) -> dict[str, int]:
        """Triples per named graph (counted when the store was written, where it keeps them)."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...

    def dump(self, output: Output = None, *, format: ox.RdfFormat, graph: str | None = None,
             prefixes: Mapping[str, str] | None = None) -> bytes | None:
        """Serialise the dataset (or one graph) to ``output`` (a file object or path), or return the bytes."""
        ...

    def select(self, sparql: str, **options: object) -> list[Row]:
        """Run a SELECT and return its rows as dicts of bound variables (unbound ones left out)."""
        ...


def query_options(*, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None,
                  substitutions: Mapping[str, Term] | None, base_iri: str | None, union: bool) -> dict[str, object]:
    """pyoxigraph's ``Store.query`` keyword arguments for the protocol's dataset options."""
    kwargs: dict[str, object] = {}
    if default_graph is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    elif named_graphs is not None:
        kwargs["default_graph"] = []  # SPARQL 1.1 Protocol §2.1.4: only named graphs given
    elif union:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    if substitutions:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
    if base_iri:
        kwargs["base_iri"] = base_iri
    return kwargs


def names_own_dataset(sparql: str) -> bool | None:
    """Whether the query has ``FROM`` / ``FROM NAMED`` (None when our parser cannot read it: the engine
    then reports its own error, or runs what our parser does not know)."""
    from ..sparql import QueryTooComplex, SparqlSyntaxError, UpdateRequest, analyse

    try:
        return analyse(sparql).has_dataset
    except (SparqlSyntaxError, UpdateRequest, QueryTooComplex):
        return None


class OxigraphStore:
    """A store held by an Oxigraph engine in this process (in memory or on disk)."""

    def __init__(self, store: ox.Store, *, union_default_graph: bool = True) -> None:
        self._store = store
        self.union_default_graph = union_default_graph

    @property
    def oxigraph(self) -> ox.Store:
        """The engine itself (for the build's own steps; the server uses the :class:`Store` methods)."""
        return self._store

    #: The key of the build the store holds, when known (the same on every replica of one build).
    version: str | None = None

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def sizes(self) -> dict[str, int]:
        """Triples per named graph."""
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                            union_default_graph=False)
        return {r["g"].value: int(r["n"].value) for r in rows(result)}

    def __len__(self) -> int:
        return len(self._store)

    def quads(self, subject: object = None, predicate: object = None, object: object = None,
              graph: object = None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(subject, predicate, object, graph)  # type: ignore[arg-type]

    def dump(self, output: Output = None, *, format: ox.RdfFormat, graph: str | None = None,
             prefixes: Mapping[str, str] | None = None) -> bytes | None:
        kwargs: dict[str, object] = {"format": format}
        if graph is not None:
            kwargs["from_graph"] = ox.NamedNode(graph)
        if prefixes and format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            kwargs["prefixes"] = dict(prefixes)
        return self._store.dump(output, **kwargs)  # type: ignore[arg-type]

    def query(self, sparql: str, *, default_graph: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, substitutions: Mapping[str, Term] | None = None,
              base_iri: str | None = None, union_default_graph: bool | None = None) -> QueryResult:
        """Run a SPARQL query. ``default_graph=None`` means the union of all graphs (see the module), unless
        the query has its own ``FROM`` / ``FROM NAMED`` clauses, which then apply. Graphs given here
        override the query's clauses; giving only ``named_graphs`` makes the default graph empty (Protocol
        §2.1.4). ``union_default_graph`` overrides the decision (callers that parsed the query know it).

        Raises :class:`QuerySyntaxError` with the parser's message (which gives the position).
        """
        if union_default_graph is None:
            union_default_graph = self.union_default_graph and not names_own_dataset(sparql)
        kwargs = query_options(default_graph=default_graph, named_graphs=named_graphs, substitutions=substitutions,
                               base_iri=base_iri, union=union_default_graph)
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc

    def select(self, sparql: str, **options: object) -> list[Row]:
        return rows(self.query(sparql, **options))  # type: ignore[arg-type]
