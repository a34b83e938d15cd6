"""SPARQL 1.1 Protocol query operation (https://www.w3.org/TR/sparql11-protocol/), read-only and bounded.

Routes: ``/sparql`` (the query endpoint; without a query: the service description, or the query page for
browsers), ``/queries`` and ``/queries/<group>/<name>`` (the named queries), ``/health``, ``/metrics``.

Every query is read by a real SPARQL parser (:mod:`cstograph.sparql`) before anything runs: updates are
refused (403); a ``SERVICE`` whose endpoint is not on the operator's allow-list, or is a variable, is
refused (400); a query nested deeper than the limits is refused (400); the response format is chosen from
the query form before evaluation (406 costs nothing). The query then runs in a sandbox process (see
:mod:`.sandbox`) that ends it at its deadline. ``FROM`` / ``FROM NAMED`` / ``default-graph-uri`` /
``named-graph-uri`` only select among the graphs held: the engine never loads them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..queries import NamedQuery
from ..sparql import QueryAnalysis, QueryTooComplex, SparqlSyntaxError, UpdateRequest, analyse
from ..store import named_substitutions
from .errors import ProtocolError, text_response
from .formats import GRAPH_FORMATS, HTML, HTML_FORMAT, RESULT_FORMATS, NotAcceptable, negotiate
from .jobs import QueryJob, encode_term
from .sandbox import JobCrashed, JobStopped, Kind, PoolUnavailable
from .state import get_state

__all__ = ["answer_query", "bp", "check_service"]

bp = Blueprint("sparql", __name__)

QUERY_GROUPS = ("examples", "checks")
_RESERVED_PARAMS = {"format", "timeout", "default-graph-uri", "named-graph-uri"}
_READ_ONLY = "this is a read-only query endpoint: SPARQL updates are not accepted"


# --- request parsing (Protocol §2.1) ----------------------------------------------------------------------
def _timeout(raw: Sequence[str], limit: float) -> float:
    """The client's ``timeout`` (seconds), which may only lower the server's limit."""
    if not raw:
        return limit
    try:
        asked = float(raw[0])
    except ValueError:
        raise ProtocolError(400, f"'timeout' must be a number of seconds, got {raw[0]!r}") from None
    if not asked > 0 or asked != asked:
        raise ProtocolError(400, "'timeout' must be a positive number of seconds")
    return min(asked, limit)


def _graph_iris(values: Sequence[str], name: str) -> list[str] | None:
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(400, f"'{name}' must be an absolute IRI, got {value!r}: {exc}") from None
    return list(values)


def _parse_request() -> tuple[str | None, Callable[[str], list[str]]]:
    """The query text (None when there is none) and a look-up of the other parameters."""
    args = request.args
    if request.method != "POST":
        if "update" in args:
            raise ProtocolError(403, _READ_ONLY)
        queries = args.getlist("query")
        lookup: Callable[[str], list[str]] = args.getlist
    elif request.mimetype == "application/x-www-form-urlencoded":  # §2.1.2
        form = request.form
        if "update" in form or "update" in args:
            raise ProtocolError(403, _READ_ONLY)
        queries = form.getlist("query") + args.getlist("query")

        def lookup(name: str) -> list[str]:
            return form.getlist(name) + args.getlist(name)
    elif request.mimetype == "application/sparql-query":  # §2.1.3
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
    elif request.mimetype == "application/sparql-update":
        raise ProtocolError(403, _READ_ONLY)
    else:
        got = request.mimetype or "no Content-Type"
        raise ProtocolError(415, f"unsupported media type {got!r}: send application/sparql-query or "
                                 "application/x-www-form-urlencoded (SPARQL 1.1 Protocol §2.1)")
    if len(queries) > 1:
        raise ProtocolError(400, f"exactly one 'query' is allowed, got {len(queries)}")
    return (queries[0] if queries else None), lookup


# --- reading the query --------------------------------------------------------------------------------------
def read_query(query: str) -> QueryAnalysis:
    """Parse ``query`` and apply the server's rules, or raise :class:`ProtocolError` saying what is wrong."""
    if "\x00" in query:
        raise ProtocolError(400, "the query contains a NUL character")
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    state = get_state()
    try:
        analysis = analyse(query, state.config.query_limits)
    except UpdateRequest as exc:
        raise ProtocolError(403, f"{_READ_ONLY} ({exc})") from exc
    except SparqlSyntaxError as exc:
        raise ProtocolError(400, f"malformed query: {exc}") from exc
    except QueryTooComplex as exc:
        raise ProtocolError(400, f"query refused: {exc}") from exc
    check_service(analysis, allowlist=state.config.service_allowlist)
    return analysis


def check_service(analysis: QueryAnalysis, *, allowlist: Sequence[str]) -> None:
    """Refuse SERVICE unless every target is an allow-listed IRI (the engine would otherwise fetch it)."""
    for call in analysis.services:
        where = f"(line {call.line}, column {call.column})"
        if not allowlist:
            raise ProtocolError(400, f"SERVICE (federated query) is not allowed on this endpoint {where}")
        if call.iri is None:
            raise ProtocolError(400, f"SERVICE ?{call.variable} (a variable endpoint) is not allowed {where}: "
                                     "name an allow-listed endpoint IRI")
        if call.iri not in allowlist:
            raise ProtocolError(400, f"SERVICE <{call.iri}> is not allowed {where}; allowed: {', '.join(allowlist)}")


def answer_query(
    query: str,
    *,
    timeout: float,
    fmt_param: str | None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
) -> Response:
    """Read, negotiate, then evaluate ``query`` in the sandbox; the HTTP response."""
    started = time.monotonic()
    state = get_state()
    state.metrics.add("queries")
    try:
        return _answer(query, started + timeout, timeout, fmt_param, default_graphs, named_graphs, substitutions)
    finally:
        state.metrics.observe_latency((time.monotonic() - started) * 1000)


def _answer(query: str, deadline: float, timeout: float, fmt_param: str | None,
            default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None,
            substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None) -> Response:
    state = get_state()
    cfg = state.config
    metrics = state.metrics
    analysis = read_query(query)
    offered = GRAPH_FORMATS if analysis.is_graph else RESULT_FORMATS
    try:
        fmt = negotiate(request.headers.get("Accept"), offered, fmt_param=fmt_param)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    union = state.store.union_default_graph and not (default_graphs or named_graphs or analysis.has_dataset)
    job = QueryJob(
        query=query, format=fmt.short, max_rows=cfg.max_rows, max_bytes=cfg.max_result_bytes,
        default_graphs=default_graphs, named_graphs=named_graphs,
        substitutions={k: encode_term(v) for k, v in (substitutions or {}).items()} or None,
        base_iri=request.base_url, union=union,
    )
    try:
        answer = state.queries.run(job.header(), deadline=deadline)
    except JobStopped as exc:
        if exc.reason == "busy":
            metrics.add("busy")
            return text_response(503, f"query not run: {exc}", **{"Retry-After": "2"})
        metrics.add("timeouts")
        return text_response(503, f"query timeout: the query ran longer than its time limit of {timeout:g} s "
                                  "and was stopped. Simplify the query or add a LIMIT.")
    except JobCrashed as exc:
        metrics.add("crashes")
        return text_response(503, f"query stopped: {exc}. Simplify the query.")
    except PoolUnavailable as exc:
        return text_response(503, f"query not run: {exc}; retry shortly", **{"Retry-After": "2"})
    if answer.kind == Kind.REFUSED:
        status = int(answer.header.get("status", 400))  # type: ignore[call-overload]
        if status == 422:
            metrics.add("too_large")
        return text_response(status, str(answer.header.get("message", "query failed")))
    return Response(answer.body, status=200, content_type=str(answer.header["content_type"]))


# --- routes ------------------------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    query, lookup = _parse_request()
    fmt = lookup("format")
    fmt_param = fmt[0] if fmt else None
    if query is None:
        if request.method == "POST":
            raise ProtocolError(400, "missing 'query' (SPARQL 1.1 Protocol §2.1)")
        return _describe(fmt_param)
    timeout = _timeout(lookup("timeout"), get_state().config.query_timeout)
    return answer_query(query, timeout=timeout, fmt_param=fmt_param,
                        default_graphs=_graph_iris(lookup("default-graph-uri"), "default-graph-uri"),
                        named_graphs=_graph_iris(lookup("named-graph-uri"), "named-graph-uri"))


def _describe(fmt_param: str | None) -> Response:
    """GET without a query: the service description (RDF), or the query page when HTML is preferred."""
    from flask import render_template

    from .query_page import query_page_context
    from .service_description import service_description

    state = get_state()
    cfg = state.config
    try:
        fmt = negotiate(request.headers.get("Accept"), (*GRAPH_FORMATS, HTML_FORMAT), fmt_param=fmt_param)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    endpoint = request.base_url
    if fmt.media_type == HTML:
        context = query_page_context(endpoint=endpoint, queries_url=request.host_url.rstrip("/") + "/queries",
                                     named=state.all_named(), timeout=cfg.query_timeout, max_rows=cfg.max_rows)
        return Response(render_template("query.html", **context), content_type="text/html; charset=utf-8")
    body = service_description(state.store, endpoint=endpoint, fmt=fmt, federation=cfg.service_allowlist,
                               timeout=cfg.query_timeout, graph_sizes=state.graph_sizes())
    return Response(body, content_type=fmt.content_type)


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
    body = json.dumps({"queries": [_describe_named(q) for q in get_state().all_named()]}, ensure_ascii=False,
                      indent=1)
    return Response(body, content_type="application/json")


@bp.route("/queries/<group>/<name>", methods=["GET", "POST"])
def named_query(group: str, name: str) -> Response:
    """Run a named query, binding its declared parameters from the request by substitution."""
    state = get_state()
    named = state.named.get(group, {}).get(name)
    if named is None:
        raise ProtocolError(404, f"no named query {group}/{name}; see /queries")
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
    timeout = _timeout(values.getlist("timeout"), state.config.query_timeout)
    return answer_query(named.text, timeout=timeout, fmt_param=values.get("format"), substitutions=subs,
                        default_graphs=_graph_iris(values.getlist("default-graph-uri"), "default-graph-uri"),
                        named_graphs=_graph_iris(values.getlist("named-graph-uri"), "named-graph-uri"))


@bp.route("/health")
def health() -> Response:
    """Liveness: this process answers, and says how big the served graph is (counted once, at start-up)."""
    state = get_state()
    return Response(json.dumps({"status": "ok", "triples": state.triples, "graphs": len(state.graph_sizes())}),
                    content_type="application/json")


@bp.route("/metrics")
def metrics() -> Response:
    return Response(json.dumps(get_state().metrics.snapshot(), indent=1), content_type="application/json")
