"""The vocabulary a query writer needs for completion: the prefix table, and every class and property
the graph uses, with their prefixed names and labels (read once at start-up from the snapshot's VoID
statistics, so that no triple is read)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...namespaces import PREFIXES, curie
from .search import SearchIndex

__all__ = ["Term", "Vocabulary"]


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
    def from_statistics(cls, statistics: Mapping[str, object], labels: SearchIndex) -> Vocabulary:
        """The classes and properties of the snapshot's VoID statistics (``classes``: every class with an
        instance; ``property_partitions``: every property used)."""

        def terms(partitions: object) -> tuple[Term, ...]:
            found = {str(pair[0]) for pair in partitions} if isinstance(partitions, list) else set()
            return tuple(Term(iri, curie(iri), labels.labels_of(iri)) for iri in sorted(found, key=curie))

        return cls({prefix: str(ns) for prefix, ns in PREFIXES.items()}, terms(statistics.get("classes")),
                   terms(statistics.get("property_partitions")))

    def to_json(self) -> dict[str, object]:
        return {"prefixes": self.prefixes, "classes": [t.to_json() for t in self.classes],
                "properties": [t.to_json() for t in self.properties]}
