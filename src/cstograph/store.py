"""The serving store: the built dataset in an embedded Oxigraph (pyoxigraph) store.

rdflib is the library of the build pipeline; queries are answered by Oxigraph's engine, which is much
faster than rdflib's evaluator and free of its known correctness bugs (see bench/ for the measurement).
The default graph of a query is the union of all named graphs (asserted ∪ inferred) unless the caller
selects graphs explicitly (SPARQL 1.1 Protocol ``default-graph-uri`` / ``named-graph-uri``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset

from .errors import InputError, QuerySyntaxError, RDFSyntaxError

if TYPE_CHECKING:
    from .queries import NamedQuery

__all__ = ["GraphStore", "QueryResult", "named_substitutions", "to_term"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_RDF_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def to_term(
    value: str | int | float | bool | ox.NamedNode | ox.Literal, datatype: str | None = None
) -> ox.NamedNode | ox.Literal:
    """A pyoxigraph term for a query parameter (``substitutions``): IRIs stay IRIs, values become literals."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if datatype is not None:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    if isinstance(value, str):
        return ox.Literal(value)
    return ox.Literal(str(value).lower() if isinstance(value, bool) else str(value))


def named_substitutions(named: NamedQuery, given: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Bind the declared ``#+ param:`` values of a named query (given value, else its default) as terms.

    The CLI and the endpoint both use this, so that the same report comes out of both. Values are bound
    by SEP-0007 substitution, never formatted into the query text. Raises :class:`ValueError` for a value
    that is not a valid IRI (``iri`` parameters).
    """
    subs: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in named.params:
        value = given[param.name] if param.name in given else param.resolved_default()
        if value is None:
            continue
        subs[param.name] = ox.NamedNode(value) if param.datatype == "iri" else to_term(value, param.datatype)
    return subs


class GraphStore:
    """A read-mostly quad store. Build one with :meth:`from_files` or :meth:`from_dataset`.

    ``union_default_graph`` (default) makes the default graph of a query without a dataset clause the
    union of all graphs; otherwise it is the store's own default graph.
    """

    def __init__(self, store: ox.Store | None = None, *, union_default_graph: bool = True) -> None:
        self._store = store if store is not None else ox.Store()
        self.union_default_graph = union_default_graph

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> GraphStore:
        """Copy an rdflib Dataset (its named graphs) into a new in-memory store."""
        data = dataset.serialize(format="nquads", encoding="utf-8")
        store = cls()
        store._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return store

    @classmethod
    def from_files(
        cls,
        paths: Iterable[Path],
        *,
        default_graph_name: str | None = None,
        union_default_graph: bool = True,
    ) -> GraphStore:
        """Load RDF files. With ``union_default_graph`` (default), triples of triple formats go to a named
        graph named after the file (``default_graph_name`` overrides) and the default graph of queries is
        the union of all graphs; without it, they go to the store's default graph, which queries see as
        their default graph (quads of TriG / N-Quads files keep their graphs either way)."""
        store = cls(union_default_graph=union_default_graph)
        for path in paths:
            store.load_file(Path(path), graph_name=default_graph_name, into_default=not union_default_graph)
        return store

    def load_file(self, path: Path, *, graph_name: str | None = None, into_default: bool = False) -> None:
        fmt = _RDF_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: unknown RDF file type {path.suffix!r}")
        kwargs: dict[str, object] = {"format": fmt, "base_iri": path.resolve().as_uri()}
        if not fmt.supports_datasets and (graph_name or not into_default):
            kwargs["to_graph"] = ox.NamedNode(graph_name or path.resolve().as_uri())
        try:
            self._store.bulk_load(path=str(path), **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise RDFSyntaxError(path, getattr(exc, "lineno", None), getattr(exc, "offset", None), str(exc)) from exc
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def sizes(self) -> dict[str, int]:
        """Triples per named graph."""
        result = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                             union_default_graph=False)
        return {r["g"].value: int(r["n"].value) for r in result if isinstance(r.get("g"), ox.NamedNode)}

    def quads(self, subject: object = None, predicate: object = None, object: object = None,
              graph: object = None) -> Iterator[ox.Quad]:
        """Quads matching a pattern (``None`` matches anything) — over every graph unless ``graph`` is given."""
        return self._store.quads_for_pattern(subject, predicate, object, graph)  # type: ignore[arg-type]

    def dump(self, output: BinaryIO | str | Path | None = None, *, format: ox.RdfFormat, graph: str | None = None,
             prefixes: Mapping[str, str] | None = None) -> bytes | None:
        """Serialise the store (or one named graph) to ``output``, or return the bytes."""
        kwargs: dict[str, object] = {"format": format}
        if graph is not None:
            kwargs["from_graph"] = ox.NamedNode(graph)
        if prefixes and format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            kwargs["prefixes"] = dict(prefixes)
        return self._store.dump(output, **kwargs)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        base_iri: str | None = None,
        union_default_graph: bool | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. ``default_graph=None`` means the union of all graphs (see the class), unless
        the query has its own ``FROM`` / ``FROM NAMED`` clauses, which then apply. Graphs given here
        (SPARQL 1.1 Protocol ``default-graph-uri`` / ``named-graph-uri``) override the query's clauses;
        giving only ``named_graphs`` makes the default graph empty (Protocol §2.1.4).
        ``union_default_graph`` overrides the decision (callers that parsed the query already know it).

        Raises :class:`QuerySyntaxError` with the parser's message (which gives the position).
        """
        kwargs: dict[str, object] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif named_graphs is not None:
            kwargs["default_graph"] = []
        elif union_default_graph if union_default_graph is not None else self._union_for(sparql):
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        if base_iri:
            kwargs["base_iri"] = base_iri
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc

    def _union_for(self, sparql: str) -> bool:
        """The store's default (union) unless the query names its own dataset (FROM / FROM NAMED)."""
        if not self.union_default_graph:
            return False
        from .sparql import QueryTooComplex, SparqlSyntaxError, UpdateRequest, analyse

        try:
            return not analyse(sparql).has_dataset
        except (SparqlSyntaxError, UpdateRequest, QueryTooComplex):
            return True  # the engine reports its own error (or runs what our parser cannot read)

    def select(self, sparql: str, **options: object) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Run a SELECT and return its rows as dicts of bound variables (unbound ones left out)."""
        result = self.query(sparql, **options)  # type: ignore[arg-type]
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term
            rows.append(row)
        return rows
