"""What one app holds for its lifetime, computed once at start-up: typed, immutable, read by every request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app

from ..queries import NamedQuery, load_queries
from ..store import GraphStore
from .config import ServerConfig
from .execution import Executor
from .limits import Metrics
from .services.search import SearchIndex
from .services.vocabulary import Vocabulary

__all__ = ["QUERY_GROUPS", "ServerState", "get_state", "load_named"]

QUERY_GROUPS = ("examples", "checks")
_EXTENSION = "cstograph"


def load_named(config: ServerConfig) -> dict[str, dict[str, NamedQuery]]:
    """The named queries by group and name, read once."""
    if config.queries_dir is None:
        return {}
    return {group: load_queries(config.queries_dir, group) for group in QUERY_GROUPS}


@dataclass(frozen=True, slots=True)
class ServerState:
    config: ServerConfig
    store: GraphStore
    metrics: Metrics
    #: Runs client queries (a sandbox pool when serving).
    queries: Executor
    #: Parses and validates posted data (a sandbox pool when serving).
    validation: Executor
    named: Mapping[str, Mapping[str, NamedQuery]] = field(default_factory=dict)
    #: Quads in the store, and triples per named graph (counted at start-up: the store is read-only).
    triples: int = 0
    sizes: Mapping[str, int] = field(default_factory=dict)
    #: The label index (search, labels of IRIs) and the vocabulary (completion), built at start-up.
    search: SearchIndex = field(default_factory=SearchIndex)
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary({}, (), ()))

    def all_named(self) -> list[NamedQuery]:
        return [q for group in self.named.values() for q in group.values()]

    def graph_sizes(self) -> Mapping[str, int]:
        return self.sizes


def get_state() -> ServerState:
    state: ServerState = current_app.extensions[_EXTENSION]
    return state
