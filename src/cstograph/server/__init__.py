"""The Flask application (app factory) that serves the graph over HTTP, and the process tree that runs it.

Layers: routes (HTTP only) → jobs run by executors (sandbox pools when serving) → the store
(``cstograph.store.GraphStore``). Nothing here imports the CLI or the pipeline.
"""

from __future__ import annotations

from .app import create_app
from .config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
