"""What the site shows first: the home page's featured resources, states and requests for assistance,
from the dataset's own description (the snapshot's site settings) and the data; computed once per language."""

from __future__ import annotations

import threading
from typing import Any

from ...namespaces import CST
from ...snapshot import Snapshot
from .resources import ResourceService

__all__ = ["SiteService"]


class SiteService:
    def __init__(self, snapshot: Snapshot, resources: ResourceService) -> None:
        self.snapshot = snapshot
        self._resources = resources
        self._lock = threading.Lock()
        self._homes: dict[str, dict[str, Any]] = {}

    @property
    def timeline_subjects(self) -> tuple[str, ...]:
        """What ``/timeline`` shows without ``?of=`` (``cst:timelineSubject`` of the dataset)."""
        return self.snapshot.site.timeline

    def home(self, lang: str = "en") -> dict[str, Any]:
        with self._lock:
            if lang not in self._homes:
                self._homes[lang] = self._home(lang)
            return self._homes[lang]

    def _home(self, lang: str) -> dict[str, Any]:
        resources = self._resources
        featured = [resources.node(iri, lang=lang) for iri in self.snapshot.site.featured if resources.exists(iri)]
        requests = sorted(resources.instances(str(CST.RequestForAssistance), lang=lang), key=lambda v: v.when)
        return {"featured": featured, "states": resources.instances(str(CST.State), lang=lang, asserted=True),
                "requests": requests, "triples": self.snapshot.triples, "graphs": sorted(self.snapshot.sizes),
                "title": self.snapshot.site.title, "description": self.snapshot.site.description}
