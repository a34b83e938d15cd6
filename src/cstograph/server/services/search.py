"""Finding things by name: the index of every label (English, Russian, alternative labels) of the graph's
resources and the ontology's terms, written by the build (:func:`cstograph.snapshot.write_labels`, SQLite) and
read in place — a server opens it in no time whatever the size of the graph, holds none of it in its own
memory, and its processes share the file's pages. Searched case- and accent-insensitively.

Ranking (higher first): the whole label matches; the label starts with the query; every word of the query
begins a word of the label (in any order); the query occurs inside the label. Ties: a main label before an
alternative label, a label in the asked language first, shorter labels first, then alphabetical. ``ё``
matches ``е``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...namespaces import BASE, curie
from ...snapshot import LABELS, normalise, write_labels
from ...store import GraphStore

__all__ = ["Hit", "SearchIndex", "normalise"]

#: At most this many words of a search narrow the scan in SQLite (the ranking checks them all).
_MAX_FILTER_WORDS = 16


@dataclass(frozen=True, slots=True)
class Hit:
    iri: str
    label: str  #: the label that matched
    labels: dict[str, str]  #: language → main label
    types: tuple[str, ...]  #: prefixed names of the resource's types
    score: int


class SearchIndex:
    """The label index of a snapshot (``labels.sqlite``), opened read-only by each process and thread that
    reads it (a connection never crosses a ``fork`` or a thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._local = threading.local()

    @classmethod
    def build(cls, store: GraphStore, *, base: str = BASE) -> SearchIndex:
        """The index of ``store``'s labels, written to a temporary file (removed at exit)."""
        folder = Path(tempfile.mkdtemp(prefix="cstograph-labels-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return cls(write_labels(store, folder / LABELS, base=base))

    def _db(self) -> sqlite3.Connection:
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "db", None)
        if held is None or held[0] != os.getpid():
            held = (os.getpid(), sqlite3.connect(self._uri, uri=True))
            self._local.db = held
        return held[1]

    def __len__(self) -> int:
        """The number of resources with a (main) label."""
        return int(self._db().execute("SELECT count(DISTINCT iri) FROM label WHERE alternative = 0").fetchone()[0])

    def labels_of(self, iri: str) -> dict[str, str]:
        """Language → main label of ``iri`` (empty when it has none)."""
        rows = self._db().execute("SELECT language, text FROM label WHERE iri = ? AND alternative = 0 ORDER BY rowid",
                                  (iri,))
        return dict(rows.fetchall())

    def types_of(self, iri: str) -> set[str]:
        return {t for (t,) in self._db().execute("SELECT type FROM type WHERE iri = ?", (iri,))}

    def label(self, iri: str, language: str = "en") -> str | None:
        labels = self.labels_of(iri)
        if not labels:
            return None
        return labels.get(language) or labels.get("en") or labels.get("") or next(iter(labels.values()))

    def iris(self, prefix: str) -> list[str]:
        """The labelled resources whose IRI starts with ``prefix``, sorted."""
        rows = self._db().execute("SELECT DISTINCT iri FROM label WHERE alternative = 0 AND iri >= ? AND iri < ? "
                                  "ORDER BY iri", (prefix, prefix + "\U0010ffff"))
        return [iri for (iri,) in rows]

    def search(self, text: str, *, language: str = "en", limit: int = 20,
               types: Sequence[str] = ()) -> list[Hit]:
        """The best ``limit`` resources whose labels match ``text`` (one hit per resource)."""
        query = normalise(text)
        if not query:
            return []
        # every ranked label contains each word of the query: SQLite narrows the scan, the ranking decides
        words = sorted(set(query.split()), key=len, reverse=True)[:_MAX_FILTER_WORDS]
        where = " AND ".join("instr(key, ?) > 0" for _ in words)
        rows = self._db().execute(f"SELECT iri, text, language, alternative, key FROM label WHERE {where} "  # noqa: S608 - only placeholders
                                  "ORDER BY rowid", words)
        wanted = set(types)
        best: dict[str, tuple[tuple[int, bool, bool, int, str], str]] = {}
        for iri, label, lang, alternative, key in rows:
            rank = _rank(key, query)
            if rank is None:
                continue
            order = (-rank, bool(alternative), lang != language, len(label), label)
            if iri not in best or order < best[iri][0]:
                best[iri] = (order, label)
        if wanted:
            best = {iri: found for iri, found in best.items() if self.types_of(iri) & wanted}
        ranked = sorted(best.items(), key=lambda item: item[1][0])[:limit]
        return [Hit(iri, label, self.labels_of(iri), tuple(sorted(curie(t) for t in self.types_of(iri))), -order[0])
                for iri, (order, label) in ranked]


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
