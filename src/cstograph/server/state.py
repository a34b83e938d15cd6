"""What one app holds for its lifetime, built once at start-up (before a production server forks) and only
read by requests: the configuration, the store, the published snapshot, and the services over them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app

from ..queries import NamedQuery
from ..snapshot import Snapshot
from ..store import GraphStore
from .caching import BytesCache
from .config import ServerConfig
from .execution import Executor
from .limits import Metrics
from .services.catalogue import KindService
from .services.ontology import OntologyService
from .services.queries import QueryService
from .services.resources import ResourceService
from .services.search import SearchIndex
from .services.site import SiteService
from .services.vocabulary import Vocabulary

__all__ = ["ServerState", "get_state"]

_EXTENSION = "cstograph"


@dataclass(frozen=True, slots=True)
class ServerState:
    config: ServerConfig
    store: GraphStore
    snapshot: Snapshot
    metrics: Metrics
    #: Parses and validates posted data (a sandbox pool when serving).
    validation: Executor
    queries: QueryService
    resources: ResourceService
    ontology: OntologyService
    site: SiteService
    kinds: KindService
    search: SearchIndex
    vocabulary: Vocabulary
    #: Rendered answers (pages, VoID, the service description…) by entity tag.
    rendered: BytesCache
    #: The named queries by group and name.
    named: Mapping[str, Mapping[str, NamedQuery]]

    def all_named(self) -> list[NamedQuery]:
        return list(self.snapshot.queries)


def get_state() -> ServerState:
    state: ServerState = current_app.extensions[_EXTENSION]
    return state
