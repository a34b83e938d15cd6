"""SPARQL 1.1 Protocol query operation (https://www.w3.org/TR/sparql11-protocol/), read-only and bounded.

Routes: ``/sparql`` (the query endpoint; without a query: the service description, or the query page for
browsers), ``/queries`` and ``/queries/<group>/<name>`` (the named queries), ``/health``, ``/metrics``.

Safety: updates are refused (403) and never reach the engine's update path; ``SERVICE`` is refused (400)
unless every target is on the operator's allow-list (``SERVICE ?var`` always); ``FROM`` / ``FROM NAMED`` /
``default-graph-uri`` / ``named-graph-uri`` only select among the graphs held (the engine never loads
them); ``file:`` IRIs are names like any other. See :mod:`.limits` for the time limit and size caps.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import QueryRefused, QuerySyntaxError
from ..queries import NamedQuery, load_queries
from ..sparqltext import code_text, has_keyword, looks_like_update, service_targets
from ..store import GraphStore, named_substitutions
from .formats import GRAPH_FORMATS, HTML, HTML_FORMAT, RESULT_FORMATS, Format, NotAcceptable, negotiate
from .limits import CappedWriter, Metrics, QueryRunner, QueryTimeout, ResultTooLarge

if TYPE_CHECKING:  # app.py imports this module when it builds the app
    from .app import ServerConfig

__all__ = ["bp", "get_metrics", "get_store"]

bp = Blueprint("sparql", __name__)

QUERY_GROUPS = ("examples", "checks")
_RESERVED_PARAMS = {"format", "timeout", "default-graph-uri", "named-graph-uri"}
RECYCLE_ON_TIMEOUT = "CSTOGRAPH_RECYCLE_ON_TIMEOUT"


def get_store() -> GraphStore:
    return current_app.extensions["cstograph.store"]  # type: ignore[no-any-return]


def get_metrics() -> Metrics:
    metrics = current_app.extensions.get("cstograph.metrics")
    if metrics is None:  # created with the app (before gunicorn forks) by init_app; this is a fallback
        metrics = current_app.extensions["cstograph.metrics"] = Metrics()
    return metrics


@bp.record_once
def _init_app(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    app.extensions.setdefault("cstograph.metrics", Metrics())
    app.extensions.setdefault("cstograph.runner", QueryRunner())


def _config() -> ServerConfig:
    config: ServerConfig = current_app.config["CSTOGRAPH"]
    return config


class ProtocolError(Exception):
    """A request the endpoint answers with a 4xx status and a plain-text message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def _text(status: int, message: str, **headers: str) -> Response:
    response = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers)
    return response


# --- request parsing (Protocol §2.1) ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueryRequest:
    query: str | None
    default_graphs: list[str] | None
    named_graphs: list[str] | None
    timeout: float
    fmt_param: str | None


def _parse_request() -> QueryRequest:
    cfg = _config()
    args = request.args
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":  # §2.1.2
            params = request.form
            if "update" in params or "update" in args:
                raise ProtocolError(403, "this is a read-only query endpoint: SPARQL updates are not accepted")
            queries = params.getlist("query") + args.getlist("query")
            lookup: Callable[[str], list[str]] = lambda name: params.getlist(name) + args.getlist(name)  # noqa: E731
        elif mimetype == "application/sparql-query":  # §2.1.3
            charset = request.mimetype_params.get("charset")
            if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"the query must be sent as UTF-8, not {charset}")
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"the query is not valid UTF-8: {exc}") from exc
            if "query" in args:
                raise ProtocolError(400, "a direct POST carries the query in its body, not also in 'query='")
            queries = [body]
            lookup = args.getlist
        elif mimetype == "application/sparql-update":
            raise ProtocolError(403, "this is a read-only query endpoint: SPARQL updates are not accepted")
        else:
            got = mimetype or "no Content-Type"
            raise ProtocolError(415, f"unsupported media type {got!r}: send application/sparql-query or "
                                     "application/x-www-form-urlencoded (SPARQL 1.1 Protocol §2.1)")
    else:
        if "update" in args:
            raise ProtocolError(403, "this is a read-only query endpoint: SPARQL updates are not accepted")
        queries = args.getlist("query")
        lookup = args.getlist
    if len(queries) > 1:
        raise ProtocolError(400, f"exactly one 'query' is allowed, got {len(queries)}")
    timeout = cfg.query_timeout
    raw_timeout = lookup("timeout")
    if raw_timeout:
        try:
            asked = float(raw_timeout[0])
        except ValueError:
            raise ProtocolError(400, f"'timeout' must be a number of seconds, got {raw_timeout[0]!r}") from None
        if not asked > 0:
            raise ProtocolError(400, "'timeout' must be positive")
        timeout = min(asked, timeout)  # clients may lower the limit, never raise it
    fmt = lookup("format")
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=lookup("default-graph-uri") or None,
        named_graphs=lookup("named-graph-uri") or None,
        timeout=timeout,
        fmt_param=fmt[0] if fmt else None,
    )


# --- evaluation -------------------------------------------------------------------------------------------
def check_service(query: str, *, allowlist: Sequence[str], base_iri: str) -> None:
    """Refuse SERVICE unless every target is allow-listed (the engine would otherwise fetch it)."""
    if not has_keyword(code_text(query), "SERVICE"):
        return
    if not allowlist:
        raise QueryRefused("SERVICE (federated query) is not allowed on this endpoint")
    try:
        targets = service_targets(query, base_iri=base_iri)
    except ValueError as exc:
        raise QueryRefused(f"SERVICE refused: {exc}") from exc
    for target in targets:
        if target is None:
            raise QueryRefused("SERVICE with a variable endpoint is not allowed; name an allow-listed endpoint")
        if target not in allowlist:
            raise QueryRefused(f"SERVICE <{target}> is not allowed; allowed: {', '.join(allowlist)}")


@dataclass(frozen=True, slots=True)
class Answer:
    fmt: Format
    body: bytes


def evaluate(
    store: GraphStore,
    query: str,
    *,
    accept: str | None,
    fmt_param: str | None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
    base_iri: str | None = None,
    max_rows: int,
    max_bytes: int,
) -> Answer:
    """Run and serialise one query (in the query thread: both steps run without the GIL)."""
    result = store.query(query, default_graph=default_graphs, named_graphs=named_graphs,
                         substitutions=substitutions, base_iri=base_iri)
    if isinstance(result, ox.QueryTriples):
        fmt = negotiate(accept, GRAPH_FORMATS, fmt_param=fmt_param)
        writer = CappedWriter(max_bytes=max_bytes)
    else:
        fmt = negotiate(accept, RESULT_FORMATS, fmt_param=fmt_param)
        writer = CappedWriter(max_bytes=max_bytes, max_rows=max_rows, results_format=fmt.short)
    result.serialize(writer, format=fmt.oxigraph)  # type: ignore[arg-type]
    return Answer(fmt, writer.getvalue())


#: Seconds a timed-out evaluation may take to end on its own before its worker is replaced.
RECYCLE_GRACE = 1.0


def _recycle_worker_if_still_running(finished: threading.Event) -> None:
    """Ask gunicorn to replace this worker (graceful exit) if the timed-out evaluation is still running
    shortly after: ending the process is the only way to stop an Oxigraph evaluation. A query that was
    merely given a tiny client ``timeout`` and ends by itself costs no restart."""

    def check() -> None:
        if not finished.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    timer = threading.Timer(RECYCLE_GRACE, check)
    timer.daemon = True
    timer.start()


def answer_query(
    query: str,
    *,
    timeout: float,
    fmt_param: str | None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
) -> Response:
    cfg = _config()
    metrics = get_metrics()
    base_iri = request.base_url  # relative IRIs resolve against the endpoint's URL
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    try:
        check_service(query, allowlist=cfg.service_allowlist, base_iri=base_iri)
    except QueryRefused as exc:
        raise ProtocolError(400, str(exc)) from exc
    store = get_store()
    accept = request.headers.get("Accept")
    started = time.perf_counter()
    metrics.add("queries")
    try:
        answer = current_app.extensions["cstograph.runner"].run(
            lambda: evaluate(store, query, accept=accept, fmt_param=fmt_param, default_graphs=default_graphs,
                             named_graphs=named_graphs, substitutions=substitutions, base_iri=base_iri,
                             max_rows=cfg.max_rows, max_bytes=cfg.max_result_bytes),
            timeout,
        )
    except QueryTimeout as exc:
        metrics.add("timeouts")
        response = _text(503, f"query timeout: {exc}. Simplify the query or add a LIMIT.")
        if current_app.config.get(RECYCLE_ON_TIMEOUT):
            finished = exc.finished  # (``exc`` is unbound after the except block)
            response.call_on_close(lambda: _recycle_worker_if_still_running(finished))
        return response
    except QuerySyntaxError as exc:
        if looks_like_update(code_text(query)):
            raise ProtocolError(403, "this is a read-only query endpoint: SPARQL updates are not accepted") from exc
        raise ProtocolError(400, f"malformed query: {exc}") from exc
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    except ResultTooLarge as exc:
        metrics.add("too_large")
        raise ProtocolError(422, f"result too large: {exc}") from exc
    except (ValueError, TypeError) as exc:  # a bad graph IRI, a bad substitution
        raise ProtocolError(400, f"bad request: {exc}") from exc
    except RuntimeError as exc:  # Oxigraph: e.g. a substituted variable that the query does not project
        return _text(500, f"query failed: {exc}")
    except OSError as exc:  # e.g. an allow-listed SERVICE that failed
        return _text(502, f"query failed: {exc}")
    finally:
        metrics.observe_latency((time.perf_counter() - started) * 1000)
    return Response(answer.body, status=200, content_type=answer.fmt.content_type)


# --- routes ------------------------------------------------------------------------------------------------
@bp.before_request
def _count_request() -> None:
    g.cstograph_started = time.perf_counter()
    get_metrics().add("requests")


@bp.after_request
def _common_headers(response: Response) -> Response:
    metrics = get_metrics()
    if response.status_code >= 500 and response.status_code != 503:
        metrics.add("errors")
    elif 400 <= response.status_code < 500:
        metrics.add("client_errors")
    if request.endpoint in ("sparql.sparql", "sparql.named_query"):
        response.headers.add("Vary", "Accept")
    origin = _config().cors_origin
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        if origin != "*":
            response.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.errorhandler(ProtocolError)
def _protocol_error(exc: ProtocolError) -> Response:
    return _text(exc.status, exc.message)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> Response:
    return _text(413, f"request body too large: the limit is {_config().max_body_bytes} bytes")


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    response = _text(exc.code or 500, f"{exc.code} {exc.name}: {exc.description}")
    if exc.code == 405:
        response.headers["Allow"] = "GET, POST, OPTIONS"
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    req = _parse_request()
    if req.query is None:
        if request.method == "POST":
            raise ProtocolError(400, "missing 'query' (SPARQL 1.1 Protocol §2.1)")
        return _describe(req.fmt_param)
    return answer_query(req.query, timeout=req.timeout, fmt_param=req.fmt_param,
                        default_graphs=req.default_graphs, named_graphs=req.named_graphs)


def _describe(fmt_param: str | None) -> Response:
    """GET without a query: the service description (RDF), or the query page when HTML is preferred."""
    from .query_page import render_query_page
    from .service_description import graph_sizes, service_description

    cfg = _config()
    try:
        fmt = negotiate(request.headers.get("Accept"), (*GRAPH_FORMATS, HTML_FORMAT), fmt_param=fmt_param)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    endpoint = request.base_url
    if fmt.media_type == HTML:
        page = render_query_page(endpoint=endpoint, queries_url=request.host_url.rstrip("/") + "/queries",
                                 named=_all_named(), timeout=cfg.query_timeout, max_rows=cfg.max_rows)
        return Response(page, content_type="text/html; charset=utf-8")
    store = get_store()
    sizes = current_app.extensions.get("cstograph.graph_sizes")
    if sizes is None:  # the store is read-only: count once per process
        sizes = current_app.extensions["cstograph.graph_sizes"] = graph_sizes(store)
    body = service_description(store, endpoint=endpoint, fmt=fmt, federation=cfg.service_allowlist,
                               timeout=cfg.query_timeout, graph_sizes=sizes)
    return Response(body, content_type=fmt.content_type)


def _all_named() -> list[NamedQuery]:
    queries_dir = _config().queries_dir
    if queries_dir is None:
        return []
    found: list[NamedQuery] = []
    for group in QUERY_GROUPS:
        found += load_queries(queries_dir, group).values()
    return found


def _describe_named(q: NamedQuery) -> dict[str, object]:
    return {
        "group": q.group,
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "params": [{"name": p.name, "datatype": p.datatype, "default": p.default} for p in q.params],
        "url": request.host_url.rstrip("/") + f"/queries/{q.group}/{q.name}",
        "query": q.text,
    }


@bp.route("/queries")
def list_queries() -> Response:
    body = json.dumps({"queries": [_describe_named(q) for q in _all_named()]}, ensure_ascii=False, indent=1)
    return Response(body, content_type="application/json")


@bp.route("/queries/<group>/<name>", methods=["GET", "POST"])
def named_query(group: str, name: str) -> Response:
    """Run a named query, binding its declared parameters from the request by substitution."""
    queries_dir = _config().queries_dir
    known = load_queries(queries_dir, group) if queries_dir is not None and group in QUERY_GROUPS else {}
    if name not in known:
        return _text(404, f"no named query {group}/{name}; see /queries")
    named = known[name]
    values = request.values
    declared = {p.name for p in named.params}
    unknown = sorted(set(values) - declared - _RESERVED_PARAMS)
    if unknown:
        raise ProtocolError(400, f"unknown parameter(s) {', '.join(unknown)}; {group}/{name} takes: "
                                 f"{', '.join(sorted(declared)) or 'none'}")
    try:
        subs = named_substitutions(named, {k: values[k] for k in declared if k in values})
    except ValueError as exc:
        raise ProtocolError(400, f"bad parameter value: {exc}") from exc
    timeout = _config().query_timeout
    if "timeout" in values:
        try:
            asked = float(values["timeout"])
        except ValueError:
            raise ProtocolError(400, "'timeout' must be a number of seconds") from None
        if not asked > 0:
            raise ProtocolError(400, "'timeout' must be positive")
        timeout = min(asked, timeout)  # clients may lower the limit, never raise it
    return answer_query(named.text, timeout=timeout, fmt_param=values.get("format"), substitutions=subs,
                        default_graphs=values.getlist("default-graph-uri") or None,
                        named_graphs=values.getlist("named-graph-uri") or None)


@bp.route("/health")
def health() -> Response:
    store = get_store()
    return Response(json.dumps({"status": "ok", "triples": len(store), "graphs": len(store.graph_names())}),
                    content_type="application/json")


@bp.route("/metrics")
def metrics() -> Response:
    return Response(json.dumps(get_metrics().snapshot(), indent=1), content_type="application/json")
