"""App factory: ``create_app(config, store)``, flaskr style, with the store and the job executors injected.

Everything an app needs that cannot change while it serves is read or computed here, once, before any
request — and before a production server forks its workers: the published snapshot (opened from the build,
or computed from the served files), the label index, the services.

Layers (one way)::

    routers/   HTTP only: parse, negotiate before any work, call a service, render (Flask blueprints)
       │
    services/  queries, resources, ontology, site, search, vocabulary, catalog (VoID, service description)
       │
    the Store protocol (cstograph.store) · the snapshot (cstograph.snapshot) · sandbox jobs (jobs, sandbox/)
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from flask import Flask

from ..namespaces import PREFIXES
from ..snapshot import FOLDER, Snapshot
from ..store import GraphStore
from .caching import BytesCache
from .config import ServerConfig
from .errors import ProtocolError, install_error_handlers
from .execution import Executor, ThreadExecutor
from .hooks import install_hooks
from .jobs import query_handler, validation_handler
from .limits import Metrics
from .sandbox import Handler
from .services.catalogue import KindService
from .services.ontology import OntologyService
from .services.queries import QueryService
from .services.resources import ResourceService
from .services.search import SearchIndex
from .services.site import SiteService
from .services.vocabulary import Vocabulary
from .state import _EXTENSION, ServerState

__all__ = ["ServerConfig", "create_app", "open_snapshot"]


def _no_validation() -> Handler:
    raise ProtocolError(404, "POST /shacl is not available on this server (it has no shapes folder, or was started "
                             "with --no-shacl)")


def open_snapshot(store: GraphStore, config: ServerConfig, *, build: Path | None = None,
                  snapshot_id: str = "local") -> Snapshot:
    """The snapshot of a build folder, or one computed from ``store`` (with its label index and dumps written
    to a temporary folder removed at exit) when there is no build."""
    if build is not None and (build / FOLDER / "snapshot.json").is_file():
        return Snapshot.open(build / FOLDER)
    folder = Path(tempfile.mkdtemp(prefix="cstograph-dumps-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    snapshot = Snapshot.compute(store, queries_dir=config.queries_dir, snapshot_id=snapshot_id, folder=folder,
                                base=config.iri_base)
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    dumps = {"cstograph.nq": folder / "dataset.nq", "cstograph.trig": folder / "dataset.trig"}
    store.dump(dumps["cstograph.nq"], format=ox.RdfFormat.N_QUADS)
    store.dump(dumps["cstograph.trig"], format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return replace(snapshot, dumps=dumps)


def create_app(
    config: ServerConfig | None = None,
    store: GraphStore | None = None,
    *,
    snapshot: Snapshot | None = None,
    queries: Executor | None = None,
    validation: Executor | None = None,
    metrics: Metrics | None = None,
) -> Flask:
    """The WSGI app. Without executors, jobs run in threads of this process (tests, development); the
    production server (:mod:`.runtime`) passes sandbox pools and the build's snapshot."""
    cfg = config or ServerConfig()
    graph_store = store if store is not None else GraphStore()
    snap = snapshot if snapshot is not None else open_snapshot(graph_store, cfg)
    shapes = cfg.shapes_folder
    if validation is None:
        validation = ThreadExecutor(validation_handler(graph_store, shapes) if shapes is not None and shapes.is_dir()
                                    else _no_validation)
    count = Metrics() if metrics is None else metrics
    search = SearchIndex(snap.labels)
    resources = ResourceService(graph_store, search, base=cfg.iri_base)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max(cfg.max_body_bytes, cfg.validation_body_limit)
    app.extensions[_EXTENSION] = ServerState(
        config=cfg, store=graph_store, snapshot=snap, metrics=count, validation=validation,
        queries=QueryService(snapshot=snap, executor=queries or ThreadExecutor(lambda: query_handler(graph_store)),
                             metrics=count, limits=cfg.query_limits, allowlist=cfg.service_allowlist,
                             max_rows=cfg.max_rows, max_bytes=cfg.max_result_bytes,
                             union_default_graph=graph_store.union_default_graph,
                             cache=BytesCache(cfg.result_cache_mb * 1024 * 1024)),
        resources=resources, ontology=OntologyService(resources), site=SiteService(snap, resources),
        kinds=KindService(resources),
        search=search, vocabulary=Vocabulary.from_statistics(snap.statistics, search),
        rendered=BytesCache(64 * 1024 * 1024), named=snap.named(),
    )
    install_hooks(app)
    install_error_handlers(app)

    from .routers import api, data, ops, pages, sparql
    from .routers import validation as validation_routes
    from .routers.lane import QueryLane

    for router in (api, data, ops, pages, sparql, validation_routes):
        app.register_blueprint(router.bp)
    app.wsgi_app = QueryLane(app.wsgi_app, app.extensions[_EXTENSION])  # type: ignore[method-assign]
    return app
