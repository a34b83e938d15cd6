"""Reading RDF for linking: files into an Oxigraph store, and the few lookups the linkers need."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import RDFS, to_ox
from ..store import load_file

__all__ = ["Subject", "exists", "label", "literal", "load", "objects", "subjects"]

Subject = ox.NamedNode | ox.BlankNode
_LABEL = to_ox(RDFS.label)


def load(paths: Iterable[Path]) -> ox.Store:
    """The files in one store (triple files each in a graph named after the file)."""
    store = ox.Store()
    for path in paths:
        load_file(store, path, graph=path.resolve().as_uri())
    return store


def objects(store: ox.Store, s: Subject, p: str) -> list[ox.NamedNode | ox.Literal | ox.BlankNode]:
    return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)]  # type: ignore[misc]


def literal(store: ox.Store, s: Subject, p: str) -> str | None:
    """The first literal value of ``s p ?``."""
    for o in objects(store, s, p):
        if isinstance(o, ox.Literal):
            return o.value
    return None


def label(store: ox.Store, s: ox.NamedNode, lang: str = "en") -> str | None:
    """The ``rdfs:label`` in ``lang``, else any label."""
    labels = [o for o in objects(store, s, _LABEL.value) if isinstance(o, ox.Literal)]
    for o in labels:
        if o.language == lang:
            return o.value
    return labels[0].value if labels else None


def subjects(store: ox.Store, p: str, o: ox.NamedNode | ox.Literal | None = None) -> list[ox.NamedNode]:
    """The IRI subjects of ``? p o``, sorted."""
    return sorted({q.subject for q in store.quads_for_pattern(None, ox.NamedNode(p), o, None)
                   if isinstance(q.subject, ox.NamedNode)}, key=lambda n: n.value)


def exists(store: ox.Store, s: ox.NamedNode) -> bool:
    """Whether the store says anything about ``s``."""
    return next(store.quads_for_pattern(s, None, None, None), None) is not None
