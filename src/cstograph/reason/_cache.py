"""The closure cache and the published dataset: asserted graphs plus the inferred graph, stored as
N-Quads under a key of everything the closure depends on.

:func:`reason_store` is the build's path: the store holds the data, the rules get its triples through
:mod:`cstograph.bridge`, and the inferred triples go back into the store's inferred graph.
:func:`reason_dataset` is the same over an rdflib Dataset (kept for library callers).
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version as _dist_version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ..bridge import Terms, dataset_of, quads_of, triples_of
from ..namespaces import INFERRED_GRAPH, RDF, to_ox
from ..store import MemoryStore, load_file
from ._engine import Engine, Reasoning, reason_triples, union
from ._facts import Triple
from ._profile import profile_warnings
from ._scm import SCHEMA_PREDICATES, SCHEMA_TYPES

__all__ = ["StoreReasoning", "closure_key", "read_nquads", "reason_dataset", "reason_store"]

#: The reasoning code: a change to any of its modules changes the key.
_CODE = tuple(sorted(Path(__file__).resolve().parent.glob("*.py")))
_INFERRED = str(INFERRED_GRAPH)


def closure_key(files: Sequence[Path], *, engine: Engine = "fast") -> str:
    """A hash of what the closure depends on: the ontology and data files, the reasoning code, owlrl's
    version and the engine; not the shapes, so a shapes-only change reuses the closure."""
    h = hashlib.sha256(f"{engine}\0owlrl {_dist_version('owlrl')}\0".encode())
    for code in _CODE:
        h.update(code.read_bytes())
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def read_nquads(path: Path) -> Dataset:
    """An N-Quads file (e.g. a build's ``dataset.nq``) as an rdflib Dataset, blank nodes shared across graphs."""
    store = MemoryStore()
    load_file(store.oxigraph, path)
    return dataset_of(store.oxigraph)


def _write_cache(store: ox.Store, cached: Path, key: str) -> None:
    cached.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}-", suffix=".nq", dir=cached.parent)
    with open(fd, "wb") as out:
        store.dump(out, format=ox.RdfFormat.N_QUADS)
    os.replace(tmp, cached)


@dataclass(frozen=True, slots=True)
class StoreReasoning:
    """The build's reasoning run over a store: the store now holds the published dataset."""

    store: MemoryStore
    engine: Engine
    inferred_triples: int
    fallback: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    reused: bool = False
    key: str | None = None

    def summary(self) -> dict[str, object]:
        return {"engine": self.engine, "fallback": list(self.fallback), "warnings": list(self.warnings),
                "closure_key": self.key, "closure_reused": self.reused, "inferred_triples": self.inferred_triples}


def _schema_triples(store: ox.Store) -> Iterator[Triple]:
    """The asserted schema triples (:func:`~._scm.is_schema_triple`), found by predicate and type through the
    store's indexes rather than by reading every triple."""
    terms = Terms()
    inferred = ox.NamedNode(_INFERRED)
    patterns: list[tuple[None, ox.NamedNode, ox.NamedNode | None]] = [
        (None, to_ox(p), None) for p in SCHEMA_PREDICATES]
    patterns += [(None, to_ox(RDF.type), to_ox(t)) for t in SCHEMA_TYPES]
    for s, p, o in patterns:
        for q in store.quads_for_pattern(s, p, o, None):
            if q.graph_name != inferred and not isinstance(q.graph_name, ox.DefaultGraph):
                yield terms(q.subject), terms(q.predicate), terms(q.object)


def _count(store: ox.Store, graph: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def reason_store(store: MemoryStore, *, cache_dir: Path | None = None, key: str | None = None,
                 engine: Engine = "fast") -> StoreReasoning:
    """Reason over every named graph of ``store`` and add the inferred graph (``INFERRED_GRAPH``) to the
    store that is returned (the given one, or on a cache hit the cached dataset, whose blank nodes the
    inferred triples share). Raises :class:`~cstograph.errors.InconsistencyError` on a clash."""
    engine_store = store.oxigraph
    cached = cache_dir / f"{key}.nq" if cache_dir is not None and key else None
    if cached is not None and cached.is_file():
        published = MemoryStore()
        load_file(published.oxigraph, cached)
        schema = union([_schema_triples(engine_store)])
        return StoreReasoning(published, engine, _count(published.oxigraph, _INFERRED), reused=True, key=key,
                              warnings=tuple(profile_warnings(schema)))
    terms = Terms()
    # The run allocates a few objects per triple and frees almost none until it ends, so the cyclic garbage
    # collector's passes over the growing heap find nothing; they cost ≈ 10 % at 100k triples.
    collecting = gc.isenabled()
    gc.disable()
    try:
        given: set[Triple] = set(triples_of(engine_store, exclude=(_INFERRED,), terms=terms))
        run = reason_triples(given, engine=engine)
        del given
    finally:
        if collecting:
            gc.enable()
    engine_store.remove_graph(ox.NamedNode(_INFERRED)) if engine_store.contains_named_graph(
        ox.NamedNode(_INFERRED)) else None
    engine_store.bulk_extend(quads_of(run.inferred, _INFERRED, terms=terms))
    if cached is not None and key:
        _write_cache(engine_store, cached, key)
    return StoreReasoning(store, run.engine, len(run.inferred), run.fallback, run.warnings, reused=False, key=key)


def reason_dataset(ds: Dataset, *, cache_dir: Path | None = None, key: str | None = None,
                   engine: Engine = "fast") -> Reasoning:
    """Reason over every graph of ``ds``; the result's ``dataset`` holds the asserted graphs and the
    inferred graph (``INFERRED_GRAPH``) with consistent blank nodes, ready to publish (see
    :func:`reason_store`, which this runs on a copy of ``ds``)."""

    store = MemoryStore()
    store.oxigraph.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(ctx.identifier)))  # type: ignore[arg-type]
        for ctx in ds.graphs() if ctx.identifier != INFERRED_GRAPH for s, p, o in ctx)
    run = reason_store(store, cache_dir=cache_dir, key=key, engine=engine)
    published = dataset_of(run.store.oxigraph)
    inferred = union([published.graph(INFERRED_GRAPH)])
    return Reasoning(inferred=inferred, engine=run.engine, fallback=run.fallback, warnings=run.warnings,
                     reused=run.reused, key=key, dataset=published)
