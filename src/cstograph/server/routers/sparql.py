"""SPARQL 1.1 Protocol query operation (https://www.w3.org/TR/sparql11-protocol/), read-only and bounded.

Routes: ``/sparql`` (the query endpoint; without a query: the service description, or the query page for
browsers), ``/queries`` and ``/queries/<group>/<name>`` (the named queries).

Every query is read by a real SPARQL parser (:mod:`cstograph.sparql`) before anything runs
(:class:`..services.queries.QueryService`): updates are refused (403); a ``SERVICE`` whose endpoint is not on
the operator's allow-list, or is a variable, is refused (400); a query nested deeper than the limits is
refused (400); the response format is chosen from the query form before evaluation (406 costs nothing).
The query then runs in a sandbox process (:mod:`..sandbox`) that ends it at its deadline. ``FROM`` /
``FROM NAMED`` / ``default-graph-uri`` / ``named-graph-uri`` only select among the graphs held: the engine
never loads them. Answers carry an entity tag (the snapshot and the request) and may be answered ``304``.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ...queries import NamedQuery, bind_parameters
from ...sparql import QueryAnalysis
from ..caching import etag_for, not_modified, with_validators
from ..errors import ProtocolError, text_response
from ..negotiation import GRAPH_FORMATS, HTML_FORMAT, RESULT_FORMATS, Format, NotAcceptable, negotiate
from ..services.catalog import service_description_triples
from ..services.queries import READ_ONLY
from ..state import ServerState, get_state
from ..views.rdf import serialize_triples
from ._http import cached

__all__ = ["Prepared", "QueryRequest", "answer_query", "bp", "graph_iris", "prefers_page", "prepare", "query_timeout",
           "read_query_request"]

bp = Blueprint("sparql", __name__)

_RESERVED_PARAMS = {"format", "timeout", "default-graph-uri", "named-graph-uri"}
_READ_ONLY = READ_ONLY


# --- request parsing (Protocol §2.1) ----------------------------------------------------------------------
def query_timeout(raw: Sequence[str], limit: float) -> float:
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


def graph_iris(values: Sequence[str], name: str) -> list[str] | None:
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(400, f"'{name}' must be an absolute IRI, got {value!r}: {exc}") from None
    return list(values)


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """A query operation's request as §2.1 reads it: the query (None when there is none) and every
    ``name=value`` of its form body and query string, in that order."""

    text: str | None
    fields: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]

    @property
    def fmt_param(self) -> str | None:
        fmt = self.values("format")
        return fmt[0] if fmt else None


def read_query_request(environ: Mapping[str, Any], body: Callable[[], bytes]) -> QueryRequest:
    """Read a ``/sparql`` request from its WSGI ``environ`` (``body()`` gives its body): by GET, form POST
    (§2.1.2) or direct POST (§2.1.3). Raises :class:`ProtocolError`: an update (403), a body of another type
    or charset (415), text that is not UTF-8, more than one query, a direct POST with ``query=`` too (400).
    The fast lane (:mod:`.lane`) and the route read requests with this one function."""
    args = _pairs(environ.get("QUERY_STRING", ""), "the query string")
    mimetype, _, params = (environ.get("CONTENT_TYPE") or "").partition(";")
    mimetype = mimetype.strip().lower()
    if environ.get("REQUEST_METHOD") != "POST":
        if _has(args, "update"):
            raise ProtocolError(403, _READ_ONLY)
        fields = args
    elif mimetype == _FORM:
        form = _pairs(_utf8(body(), "the form"), "the form")
        if _has(form, "update") or _has(args, "update"):
            raise ProtocolError(403, _READ_ONLY)
        fields = form + args
    elif mimetype == _DIRECT:
        charset = _charset(params)
        if charset and charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the query must be sent as UTF-8, not {charset}")
        text = _utf8(body(), "the query")
        if _has(args, "query"):
            raise ProtocolError(400, "a direct POST carries the query in its body, not also in 'query='")
        fields = [("query", text), *args]
    elif mimetype == "application/sparql-update":
        raise ProtocolError(403, _READ_ONLY)
    else:
        got = mimetype or "no Content-Type"
        raise ProtocolError(415, f"unsupported media type {got!r}: send application/sparql-query or "
                                 "application/x-www-form-urlencoded (SPARQL 1.1 Protocol §2.1)")
    queries = [v for k, v in fields if k == "query"]
    if len(queries) > 1:
        raise ProtocolError(400, f"exactly one 'query' is allowed, got {len(queries)}")
    return QueryRequest(queries[0] if queries else None, tuple(fields))


_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8: {exc}") from None


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or form body, percent-decoded as UTF-8."""
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 once percent-decoded: {exc}") from None


def _has(pairs: Sequence[tuple[str, str]], name: str) -> bool:
    return any(k == name for k, _ in pairs)


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower().replace("_", "-")
    return None


# --- answering ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Prepared:
    """A query read and its answer's format chosen — everything decided before any evaluation."""

    analysis: QueryAnalysis
    fmt: Format
    etag: str


def prepare(state: ServerState, query: str, *, accept: str | None, fmt_param: str | None, base_iri: str,
            default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Prepared:
    """Read the query and negotiate its format (a 406 costs no evaluation). Raises :class:`ProtocolError`."""
    analysis = state.queries.read(query)
    offered = GRAPH_FORMATS if analysis.is_graph else RESULT_FORMATS
    try:
        fmt = negotiate(accept, offered, fmt_param=fmt_param)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    etag = etag_for(state.snapshot.id, "query", query, fmt.short, default_graphs, named_graphs,
                    sorted((substitutions or {}).items(), key=lambda kv: kv[0]), base_iri)
    return Prepared(analysis, fmt, etag)


def answer_query(
    query: str,
    *,
    timeout: float,
    fmt_param: str | None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    precomputed: str | None = None,
) -> Response:
    """Read the query, negotiate its format (before any evaluation), then answer: from the snapshot
    (``precomputed``: a named query with its defaults), the cache, or the sandbox."""
    started = time.monotonic()
    state = get_state()
    state.metrics.add("queries")
    base_iri = request.base_url  # relative IRIs resolve against the endpoint's URL
    try:
        ready = prepare(state, query, accept=request.headers.get("Accept"), fmt_param=fmt_param,
                        base_iri=base_iri, default_graphs=default_graphs, named_graphs=named_graphs,
                        substitutions=substitutions)
        unchanged = not_modified(ready.etag)
        if unchanged is not None:
            return unchanged
        answer = state.queries.precomputed(precomputed, ready.fmt) if precomputed else None
        if answer is None:
            answer = state.queries.answer(query, ready.analysis, ready.fmt, deadline=started + timeout,
                                          timeout=timeout, default_graphs=default_graphs, named_graphs=named_graphs,
                                          substitutions=substitutions, base_iri=base_iri)
    finally:
        state.metrics.observe_latency((time.monotonic() - started) * 1000)
    if answer.status != 200:
        return text_response(answer.status, answer.body.decode("utf-8", "replace"), **answer.headers)
    return with_validators(Response(answer.body, status=200, content_type=answer.content_type), ready.etag)


# --- routes ------------------------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    asked = read_query_request(request.environ, lambda: request.get_data(cache=False))
    fmt_param = asked.fmt_param
    if asked.text is None:
        if request.method == "POST":
            raise ProtocolError(400, "missing 'query' (SPARQL 1.1 Protocol §2.1)")
        return _describe(fmt_param)
    if request.method == "GET" and fmt_param is None and prefers_page(request.headers.get("Accept")):
        return _query_page(asked.text)  # a browser following a link: the page, which runs the query
    timeout = query_timeout(asked.values("timeout"), get_state().config.query_timeout)
    return answer_query(asked.text, timeout=timeout, fmt_param=fmt_param,
                        default_graphs=graph_iris(asked.values("default-graph-uri"), "default-graph-uri"),
                        named_graphs=graph_iris(asked.values("named-graph-uri"), "named-graph-uri"))


def _describe(fmt_param: str | None) -> Response:
    """GET without a query: the service description (RDF), or the query page when HTML is preferred."""
    state = get_state()
    cfg = state.config
    try:
        fmt = negotiate(request.headers.get("Accept"), (*GRAPH_FORMATS, HTML_FORMAT), fmt_param=fmt_param)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    endpoint = request.base_url
    if fmt is HTML_FORMAT:
        return _query_page(None)
    return cached(fmt, lambda: serialize_triples(service_description_triples(
        state.snapshot, endpoint=endpoint, union_default_graph=state.store.union_default_graph,
        federation=cfg.service_allowlist, timeout=cfg.query_timeout), fmt), endpoint)


def prefers_page(accept: str | None) -> bool:
    """Whether the client prefers HTML to every results and RDF format (a browser's Accept does)."""
    try:
        return negotiate(accept, _EVERY_FORMAT) is HTML_FORMAT
    except NotAcceptable:
        return False


_EVERY_FORMAT = (*RESULT_FORMATS, *GRAPH_FORMATS, HTML_FORMAT)


def _query_page(query: str | None) -> Response:
    """The query page (``templates/query.html``); with ``query``, the page opens it and runs it."""
    from flask import render_template

    from ..query_page import query_page_context

    state = get_state()
    cfg = state.config
    context = query_page_context(endpoint=request.base_url, queries_url=request.host_url.rstrip("/") + "/queries",
                                 named=state.all_named(), timeout=cfg.query_timeout, max_rows=cfg.max_rows)
    response = Response(render_template("query.html", **context, query=query, iri_base=cfg.iri_base),
                        content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


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
        subs = bind_parameters(named, {k: values[k] for k in declared if k in values})
    except ValueError as exc:
        raise ProtocolError(400, f"bad parameter value: {exc}") from exc
    timeout = query_timeout(values.getlist("timeout"), state.config.query_timeout)
    plain = not (set(values) - {"format", "timeout"})  # its default parameters: the snapshot has the answer
    return answer_query(named.text, timeout=timeout, fmt_param=values.get("format"), substitutions=subs,
                        default_graphs=graph_iris(values.getlist("default-graph-uri"), "default-graph-uri"),
                        named_graphs=graph_iris(values.getlist("named-graph-uri"), "named-graph-uri"),
                        precomputed=f"{group}/{name}" if plain else None)
