"""The project's loader: RDF files into one Oxigraph store, one named graph per file, with precise syntax
errors (``file:line:column``). rdflib views of what was loaded come through :mod:`cstograph.bridge`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .bridge import Terms, dataset_of, graph_of
from .namespaces import GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from .store import FORMATS, MemoryStore, load_file, rdf_format

__all__ = ["FORMATS", "graph_name_for", "load_dataset", "load_graph", "load_store", "new_dataset"]


def graph_name_for(path: Path, *, data_dir: Path | None = None) -> URIRef:
    """The named graph of a project file: ``data/states.ttl`` → ``…/graph/states``,
    ``data/links/wikidata.ttl`` → ``…/graph/links/wikidata``, the ontology → ``…/graph/ontology``."""
    if path.name == "cstograph.ttl" and path.parent.name == "ontology":
        return ONTOLOGY_GRAPH
    if data_dir is not None:
        try:
            rel = path.resolve().relative_to(data_dir.resolve())
            return GRAPH[str(rel.with_suffix("")).replace("\\", "/")]
        except ValueError:
            pass
    return GRAPH[path.stem]


def load_store(paths: Iterable[Path], *, data_dir: Path | None = None, store: MemoryStore | None = None
               ) -> MemoryStore:
    """Load files into a store: triple files each into its own named graph (:func:`graph_name_for`), quad
    files with their own graphs. Raises :class:`~cstograph.errors.RDFSyntaxError` (``file:line:column``)
    on the first syntax error; the caller then drops the store (the build publishes nothing)."""
    target = store if store is not None else MemoryStore()
    for raw in paths:
        path = Path(raw)
        fmt = rdf_format(path)
        graph = None if fmt.supports_datasets else str(graph_name_for(path, data_dir=data_dir))
        load_file(target.oxigraph, path, graph=graph)
    return target


def new_dataset() -> Dataset:
    return bind_prefixes(Dataset(default_union=True))


def load_graph(paths: Iterable[Path]) -> Graph:
    """Parse several files into one rdflib graph (shapes, fixtures)."""
    store = load_store(paths).oxigraph
    terms = Terms()
    return graph_of((terms(q.subject), terms(q.predicate), terms(q.object))
                    for q in store.quads_for_pattern(None, None, None, None))


def load_dataset(paths: Iterable[Path], *, data_dir: Path | None = None) -> Dataset:
    """Parse files into an rdflib Dataset: triple files each into its own named graph, quad files as they
    are. All-or-nothing: on the first syntax error nothing is returned."""
    return dataset_of(load_store(paths, data_dir=data_dir).oxigraph)
