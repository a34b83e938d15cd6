"""The vocabulary a query writer needs for completion: the prefix table, and every class and property
the graph uses, with their prefixed names and labels (computed once at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ...namespaces import PREFIXES, curie
from ...store import GraphStore
from .search import SearchIndex

__all__ = ["Term", "Vocabulary"]

_CLASSES = "SELECT DISTINCT ?t WHERE { ?s a ?t } "
_PROPERTIES = "SELECT DISTINCT ?t WHERE { ?s ?t ?o }"


@dataclass(frozen=True, slots=True)
class Term:
    iri: str
    curie: str
    labels: dict[str, str]

    def to_json(self) -> dict[str, object]:
        return {"iri": self.iri, "curie": self.curie, "labels": self.labels}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    prefixes: dict[str, str]
    classes: tuple[Term, ...]
    properties: tuple[Term, ...]

    @classmethod
    def build(cls, store: GraphStore, labels: SearchIndex) -> Vocabulary:
        def terms(query: str) -> tuple[Term, ...]:
            found = {row["t"].value for row in store.select(query) if isinstance(row.get("t"), ox.NamedNode)}
            return tuple(Term(iri, curie(iri), dict(labels.labels.get(iri, {})))
                         for iri in sorted(found, key=curie))

        return cls({prefix: str(ns) for prefix, ns in PREFIXES.items()}, terms(_CLASSES), terms(_PROPERTIES))

    def to_json(self) -> dict[str, object]:
        return {"prefixes": self.prefixes, "classes": [t.to_json() for t in self.classes],
                "properties": [t.to_json() for t in self.properties]}
