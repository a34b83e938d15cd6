"""The in-memory store: an Oxigraph store in this process (inherited copy-on-write by forked workers)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ._base import OxigraphStore
from ._formats import load_file

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["MemoryStore"]


class MemoryStore(OxigraphStore):
    """A read-mostly quad store in memory. Build one with :meth:`from_files`.

    ``union_default_graph`` (default) makes the default graph of a query without a dataset clause the
    union of all graphs; otherwise it is the store's own default graph.

    >>> store = MemoryStore()
    >>> len(store), store.union_default_graph
    (0, True)
    """

    def __init__(self, store: ox.Store | None = None, *, union_default_graph: bool = True) -> None:
        super().__init__(store if store is not None else ox.Store(), union_default_graph=union_default_graph)

    @classmethod
    def from_files(cls, paths: Iterable[Path], *, default_graph_name: str | None = None,
                   union_default_graph: bool = True) -> MemoryStore:
        """Load RDF files. With ``union_default_graph`` (default), triples of triple formats go to a named
        graph named after the file (``default_graph_name`` overrides) and the default graph of queries is
        the union of all graphs; without it, they go to the store's default graph, which queries see as
        their default graph (quads of TriG / N-Quads files keep their graphs either way)."""
        store = cls(union_default_graph=union_default_graph)
        for path in paths:
            store.load_file(Path(path), graph_name=default_graph_name, into_default=not union_default_graph)
        return store

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> MemoryStore:
        """Copy an rdflib Dataset (its named graphs) into a new store (through :mod:`cstograph.bridge`'s
        term mapping; kept for callers that build data with rdflib)."""
        from ..namespaces import to_ox

        store = cls()
        quads: list[ox.Quad] = []
        for ctx in dataset.graphs():
            name = ctx.identifier
            g = ox.NamedNode(str(name)) if not str(name).startswith("urn:x-rdflib:") else ox.DefaultGraph()
            quads.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in ctx)  # type: ignore[arg-type]
        store._store.bulk_extend(quads)
        return store

    def load_file(self, path: Path, *, graph_name: str | None = None, into_default: bool = False) -> None:
        """Load one file (see :meth:`from_files`). Raises :class:`~cstograph.errors.RDFSyntaxError`."""
        graph = None if into_default and graph_name is None else (graph_name or path.resolve().as_uri())
        load_file(self._store, path, graph=graph)
