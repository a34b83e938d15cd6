"""The validation service: ``POST /shacl`` (like Fuseki's SHACL service) and ``GET /compliance``.

``POST /shacl`` takes RDF in the body (Turtle, N-Triples or JSON-LD, by ``Content-Type``) and answers
with a ``sh:ValidationReport`` (Turtle, or our JSON report; content negotiation on ``Accept``). The posted
triples are validated together with the served graph (``?with-project=false`` validates them alone, with
the ontology), and the report lists the results that involve them. The service is read-only (the posted
data goes into a private copy, never into the store), bounded in size (413 above ``validation_max_bytes``)
and in time (503 after ``validation_timeout`` seconds; at most ``validation_workers`` runs at once).

``GET /compliance`` serves the obligation-compliance report (``queries/checks/obligation-compliance.rq``),
as JSON, CSV or text.

Operator settings come from ``ServerConfig.extra``: ``shapes_dir`` (default ``<queries_dir>/../shapes``),
``validation_max_bytes`` (default ``ServerConfig.max_body_bytes``), ``validation_timeout`` (default 60 s),
``validation_workers`` (default 2).
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, request
from rdflib import Graph, URIRef

from ..compliance import compliance_report, render
from ..errors import InputError
from ..load import load_graph, new_dataset
from ..namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
from ..store import GraphStore
from ..validate import rdflib_term, validate_dataset

__all__ = ["bp"]

bp = Blueprint("validation", __name__)

#: Where posted triples go (a private graph of the request's copy of the data).
POSTED_GRAPH = URIRef("urn:cstograph:posted")
_INPUT_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
}
_REPORT_TYPES = ["text/turtle", "application/json", "text/plain"]
_EXT = "cstograph.validation"


@dataclass
class _State:
    """Per-app state: the shapes, the served graph copied for validation (lazily), a bounded pool."""

    lock: threading.Lock
    pool: ThreadPoolExecutor
    slots: threading.Semaphore
    shapes: Graph | None = None
    project: list[tuple[URIRef, list[tuple[object, object, object]]]] | None = None


def _setting(name: str, default: object) -> object:
    return current_app.config["CSTOGRAPH"].extra.get(name, default)


def _state() -> _State:
    app: Flask = current_app
    state = app.extensions.get(_EXT)
    if state is None:
        workers = int(_setting("validation_workers", 2))  # type: ignore[call-overload]
        state = app.extensions.setdefault(_EXT, _State(threading.Lock(), ThreadPoolExecutor(workers),
                                                         threading.Semaphore(workers)))
    return state  # type: ignore[no-any-return]


def _store() -> GraphStore:
    return current_app.extensions["cstograph.store"]  # type: ignore[no-any-return]


def _queries_dir() -> Path | None:
    return current_app.config["CSTOGRAPH"].queries_dir  # type: ignore[no-any-return]


def _shapes_dir() -> Path:
    configured = _setting("shapes_dir", None)
    if configured:
        return Path(configured)  # type: ignore[arg-type]
    queries = _queries_dir()
    if queries is None:
        raise InputError("the server has no shapes folder (set ServerConfig.extra['shapes_dir'])")
    return queries.parent / "shapes"


def _load_shared(state: _State) -> tuple[Graph, list[tuple[URIRef, list[tuple[object, object, object]]]]]:
    """The shapes and the served graphs (asserted ones and the ontology, not the inferred graph), once."""
    with state.lock:
        if state.shapes is None:
            state.shapes = load_graph(sorted(_shapes_dir().glob("*.ttl")))
        if state.project is None:
            graphs: dict[URIRef, list[tuple[object, object, object]]] = {}
            for q in _store().oxigraph.quads_for_pattern(None, None, None, None):
                name = q.graph_name
                if isinstance(name, ox.NamedNode) and name.value != str(INFERRED_GRAPH):
                    graphs.setdefault(URIRef(name.value), []).append(
                        (rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
            state.project = list(graphs.items())
        return state.shapes, state.project


def _problem(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}) + "\n", status=status, mimetype="application/json")


@bp.route("/shacl", methods=["POST"])
def shacl() -> Response:
    max_bytes = int(_setting("validation_max_bytes", current_app.config["CSTOGRAPH"].max_body_bytes))  # type: ignore[call-overload]
    if request.content_length is not None and request.content_length > max_bytes:
        return _problem(413, f"request body larger than {max_bytes} bytes")
    fmt = _INPUT_FORMATS.get(request.mimetype)
    if fmt is None:
        return _problem(415, f"unsupported Content-Type {request.mimetype!r}; send one of {', '.join(_INPUT_FORMATS)}")
    body = request.get_data(cache=False)
    if len(body) > max_bytes:
        return _problem(413, f"request body larger than {max_bytes} bytes")
    posted = Graph()
    try:
        posted.parse(data=body, format=fmt, publicID="urn:cstograph:posted:")
    except Exception as exc:  # noqa: BLE001 - every parser error is the client's
        return _problem(400, f"the posted {fmt} does not parse: {exc}")
    with_project = request.args.get("with-project", "true").lower() not in ("false", "0", "no")
    accept = request.accept_mimetypes.best_match(_REPORT_TYPES, default="text/turtle") or "text/turtle"

    state = _state()
    # a slot is held until the validation ends (not until the client gives up): a run past the time limit
    # keeps its slot, so at most ``validation_workers`` validations ever run at once
    if not state.slots.acquire(blocking=False):
        return _problem(503, "the validation service is busy; retry later")
    try:
        shapes, project = _load_shared(state)
        ds = new_dataset()
        for name, triples in project:
            if with_project or name == ONTOLOGY_GRAPH:
                g = ds.graph(name)
                for t in triples:
                    g.add(t)  # type: ignore[arg-type]
        g = ds.graph(POSTED_GRAPH)
        for t in posted:
            g.add(t)
        future = state.pool.submit(validate_dataset, ds, shapes, user_graphs=[POSTED_GRAPH],
                                   sources={POSTED_GRAPH: "posted data"})
    except BaseException:
        state.slots.release()
        raise
    future.add_done_callback(lambda _: state.slots.release())
    timeout = float(_setting("validation_timeout", 60.0))  # type: ignore[arg-type]
    try:
        report = future.result(timeout=timeout)
    except FutureTimeout:
        return _problem(503, f"validation took longer than {timeout:g} s")
    headers = {"X-Conforms": "true" if report.conforms else "false"}
    if accept == "application/json":
        return Response(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n",
                        mimetype="application/json", headers=headers)
    if accept == "text/plain":
        return Response(report.render_text(), mimetype="text/plain", headers=headers)
    return Response(report.render_turtle(), mimetype="text/turtle", headers=headers)


@bp.route("/compliance", methods=["GET"])
def compliance() -> Response:
    queries = _queries_dir()
    if queries is None:
        return _problem(404, "the server has no queries folder")
    findings = compliance_report(_store(), queries)
    best = request.accept_mimetypes.best_match(["application/json", "text/csv", "text/plain"],
                                               default="application/json") or "application/json"
    fmt = request.args.get("format") or {"text/csv": "csv", "text/plain": "text"}.get(best, "json")
    if fmt not in ("json", "csv", "text"):
        return _problem(400, f"unknown format {fmt!r}")
    mime = {"json": "application/json", "csv": "text/csv", "text": "text/plain"}[fmt]
    return Response(render(findings, fmt), mimetype=mime)
