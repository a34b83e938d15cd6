"""Browsing the graph: every kind of resource (``/id/<kind>/``) with how many there are, the resources of one
kind by label — events grouped by year — from the label index and the node views (computed once per process)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from .resources import NodeView, ResourceService

__all__ = ["Kind", "KindService"]


@dataclass(frozen=True, slots=True)
class Kind:
    slug: str  #: the path segment under ``id/`` (``state``, ``event``…)
    count: int


class KindService:
    def __init__(self, resources: ResourceService) -> None:
        self._resources = resources
        self._prefix = resources.base + "id/"
        self._lock = threading.Lock()
        self._lists: dict[tuple[str, str], list[NodeView]] = {}
        self._kinds: list[Kind] | None = None

    def kinds(self) -> list[Kind]:
        """Every kind of resource that has a label, with its count (counted once per process)."""
        with self._lock:
            if self._kinds is None:
                counts = Counter(iri[len(self._prefix):].split("/", 1)[0]
                                 for iri in self._resources.labels.iris(self._prefix) if "/" in iri[len(self._prefix):])
                self._kinds = [Kind(slug, n) for slug, n in sorted(counts.items())]
            return self._kinds

    def members(self, slug: str, *, lang: str = "en") -> list[NodeView]:
        """The resources of one kind, by label (empty: no such kind)."""
        with self._lock:
            key = (slug, lang)
            if key not in self._lists:
                prefix = f"{self._prefix}{slug}/"
                iris = self._resources.labels.iris(prefix)
                self._lists[key] = sorted((self._resources.node(iri, lang=lang) for iri in iris),
                                          key=lambda v: v.label.casefold())
            return self._lists[key]

    def by_year(self, views: list[NodeView]) -> list[tuple[str, list[NodeView]]]:
        """Views grouped by the year they happened (or began), latest first; undated last."""
        groups: dict[str, list[NodeView]] = {}
        for view in views:
            year = view.when[:4] if view.when[:4].isdigit() else "undated"
            groups.setdefault(year, []).append(view)
        for group in groups.values():
            group.sort(key=lambda v: (v.when, v.label))
        return sorted(groups.items(), key=lambda item: "0" if item[0] == "undated" else item[0], reverse=True)
