"""Finding things by name: an index of every label (English, Russian, alternative labels) of the graph's
resources and the ontology's terms, built once at start-up, searched case- and accent-insensitively.

Ranking (higher first): the whole label matches; the label starts with the query; every word of the query
begins a word of the label (in any order); the query occurs inside the label. Ties: a main label before an
alternative label, a label in the asked language first, shorter labels first, then alphabetical. ``ё``
matches ``е``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ...namespaces import BASE, curie
from ...store import GraphStore

__all__ = ["Hit", "SearchIndex", "normalise"]

_LABELS = """
SELECT ?s ?label ?alt ?type WHERE {
  { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label BIND(false AS ?alt) }
  UNION { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label BIND(false AS ?alt) }
  UNION { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?label BIND(true AS ?alt) }
  OPTIONAL { ?s a ?type }
}"""


def normalise(text: str) -> str:
    """Case-folded, accents removed (NFKD minus combining marks), ``ё`` → ``е``, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@dataclass(frozen=True, slots=True)
class _Entry:
    iri: str
    label: str
    language: str
    alternative: bool
    key: str  #: the normalised label


@dataclass(frozen=True, slots=True)
class Hit:
    iri: str
    label: str  #: the label that matched
    labels: Mapping[str, str]  #: language → main label
    types: tuple[str, ...]  #: prefixed names of the resource's types
    score: int


@dataclass(slots=True)
class SearchIndex:
    entries: list[_Entry] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, store: GraphStore, *, base: str = BASE) -> SearchIndex:
        """Index the labels of resources under ``base`` (instances, ontology terms), in one query."""
        index = cls()
        seen: set[tuple[str, str, bool]] = set()
        for row in store.select(_LABELS):
            subject, label = row.get("s"), row.get("label")
            if not isinstance(subject, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            iri = subject.value
            if not iri.startswith(base):
                continue
            alternative = row["alt"].value == "true"
            kind = row.get("type")
            if isinstance(kind, ox.NamedNode):
                index.types.setdefault(iri, set()).add(kind.value)
            key = (iri, f"{label.language}\0{label.value}", alternative)
            if key in seen:
                continue
            seen.add(key)
            language = label.language or ""
            if not alternative:
                index.labels.setdefault(iri, {}).setdefault(language, label.value)
            index.entries.append(_Entry(iri, label.value, language, alternative, normalise(label.value)))
        return index

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> SearchIndex:
        """The index of a snapshot's ``labels.json`` (no query at start-up)."""
        index = cls()
        for iri, labels in data.get("labels", {}).items():
            index.labels[iri] = dict(labels)
            for language, label in labels.items():
                index.entries.append(_Entry(iri, label, language, False, normalise(label)))
        for iri, pairs in data.get("alternatives", {}).items():
            for language, label in pairs:
                index.entries.append(_Entry(iri, label, language, True, normalise(label)))
        index.types = {iri: set(types) for iri, types in data.get("types", {}).items()}
        return index

    def __len__(self) -> int:
        return len(self.labels)

    def label(self, iri: str, language: str = "en") -> str | None:
        labels = self.labels.get(iri)
        if not labels:
            return None
        return labels.get(language) or labels.get("en") or labels.get("") or next(iter(labels.values()))

    def search(self, text: str, *, language: str = "en", limit: int = 20,
               types: Sequence[str] = ()) -> list[Hit]:
        """The best ``limit`` resources whose labels match ``text`` (one hit per resource)."""
        query = normalise(text)
        if not query:
            return []
        wanted = set(types)
        best: dict[str, tuple[tuple[int, int, int, int, str], _Entry]] = {}
        for entry in self.entries:
            rank = _rank(entry.key, query)
            if rank is None:
                continue
            if wanted and not (self.types.get(entry.iri, set()) & wanted):
                continue
            order = (-rank, entry.alternative, entry.language != language, len(entry.label), entry.label)
            if entry.iri not in best or order < best[entry.iri][0]:
                best[entry.iri] = (order, entry)
        ranked = sorted(best.values(), key=lambda item: item[0])[:limit]
        return [Hit(e.iri, e.label, dict(self.labels.get(e.iri, {})),
                    tuple(sorted(curie(t) for t in self.types.get(e.iri, ()))), -order[0])
                for order, e in ranked]


def _rank(key: str, query: str) -> int | None:
    if key == query:
        return 4
    if key.startswith(query):
        return 3
    words = key.split()
    if all(any(word.startswith(part) for word in words) for part in query.split()):
        return 2  # every word of the query begins a word of the label, in any order
    if query in key:
        return 1
    return None


def labels_of(index: SearchIndex, iris: Iterable[str], language: str) -> dict[str, str]:
    return {iri: label for iri in iris if (label := index.label(iri, language)) is not None}
