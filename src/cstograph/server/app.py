"""App factory: ``create_app(config, store)``, flaskr style, with the store injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..store import GraphStore

__all__ = ["ServerConfig", "create_app"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Operator settings of the endpoint. Immutable; one per app."""

    #: Seconds a query may run before it is stopped with 503; clients may lower it, never raise it.
    query_timeout: float = 5.0
    #: Maximum rows in a SELECT result.
    max_rows: int = 100_000
    #: Maximum response body of a query in bytes (the query is stopped with a clear message above it).
    max_result_bytes: int = 50_000_000
    #: Maximum request body in bytes (413 above it).
    max_body_bytes: int = 1_000_000
    #: SERVICE endpoints queries may call (empty: SERVICE is refused).
    service_allowlist: tuple[str, ...] = ()
    #: Access-Control-Allow-Origin value ("" disables CORS headers).
    cors_origin: str = "*"
    #: Folder of named query files (queries/).
    queries_dir: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)


def create_app(config: ServerConfig | None = None, store: GraphStore | None = None) -> Flask:
    app = Flask(__name__)
    cfg = config or ServerConfig()
    app.config["CSTOGRAPH"] = cfg
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_body_bytes
    app.extensions["cstograph.store"] = store if store is not None else GraphStore()

    from . import sparql

    app.register_blueprint(sparql.bp)

    from . import pages  # linked-data pages: /, /id/…, /ontology, /timeline, /.well-known/void, /dumps/…

    app.register_blueprint(pages.bp)
    from . import validation  # POST /shacl (SHACL validation service), GET /compliance
    app.register_blueprint(validation.bp)
    return app
