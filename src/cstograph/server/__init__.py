"""The Flask application (app factory) that serves the graph over HTTP.

Layers: routes (HTTP only) → the store (``cstograph.store.GraphStore``) → renderers (formats).
Nothing here imports the CLI or the pipeline.
"""

from __future__ import annotations

from .app import ServerConfig, create_app

__all__ = ["ServerConfig", "create_app"]
