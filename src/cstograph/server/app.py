"""App factory: ``create_app(config, store)``, flaskr style, with the store and the job executors injected.

Everything an app needs that cannot change while it serves (named queries, graph sizes) is computed here,
once, before any request — and before a production server forks its workers.
"""

from __future__ import annotations

from flask import Flask

from ..store import GraphStore
from .config import ServerConfig
from .errors import install_error_handlers
from .execution import Executor, ThreadExecutor
from .hooks import install_hooks
from .jobs import query_handler, validation_handler
from .limits import Metrics
from .service_description import graph_sizes
from .services.search import SearchIndex
from .services.vocabulary import Vocabulary
from .state import _EXTENSION, ServerState, load_named

__all__ = ["ServerConfig", "create_app"]


def _no_validation() -> object:
    from .errors import ProtocolError

    raise ProtocolError(404, "this server has no shapes folder: POST /shacl is not available")


def create_app(
    config: ServerConfig | None = None,
    store: GraphStore | None = None,
    *,
    queries: Executor | None = None,
    validation: Executor | None = None,
    metrics: Metrics | None = None,
) -> Flask:
    """The WSGI app. Without executors, jobs run in threads of this process (tests, development); the
    production server (:mod:`.runtime`) passes sandbox pools."""
    cfg = config or ServerConfig()
    graph_store = store if store is not None else GraphStore()
    shapes = cfg.shapes_folder
    if validation is None and shapes is not None and shapes.is_dir():
        validation = ThreadExecutor(validation_handler(graph_store, shapes))
    search = SearchIndex.build(graph_store, base=cfg.iri_base)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max(cfg.max_body_bytes, cfg.validation_body_limit)
    app.extensions[_EXTENSION] = ServerState(
        config=cfg,
        store=graph_store,
        metrics=metrics or Metrics(),
        queries=queries or ThreadExecutor(lambda: query_handler(graph_store)),
        validation=validation or ThreadExecutor(_no_validation),  # type: ignore[arg-type]
        named=load_named(cfg),
        triples=len(graph_store),
        sizes=graph_sizes(graph_store),
        search=search,
        vocabulary=Vocabulary.build(graph_store, search),
    )
    install_hooks(app)
    install_error_handlers(app)

    from . import api, pages, sparql
    from . import validation as validation_routes

    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(validation_routes.bp)
    return app
