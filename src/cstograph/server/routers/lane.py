"""The query operation's fast lane: a WSGI layer in front of the Flask app for the requests SPARQL clients send
all day — a query by GET, by form POST or by direct POST (SPARQL 1.1 Protocol §2.1), with its format, time
limit and dataset — answered without Flask's request and response objects, which cost a cheap query more
than everything else the web worker does for it (bench/README.md, "the fast lane").

It reads a request by the same rules as :mod:`.sparql` (its helpers), answers with the same services, and
writes the same headers as the app-wide hooks (their constants); ``tests/server/test_lane.py`` holds the two
paths to the same status, headers and body. Whatever it does not answer itself — another path or method, no
query, a browser that prefers the query page, an update, a conditional request, a body it cannot read, any
request it would refuse — goes to the Flask app untouched (the body put back), which answers or refuses it
as always: refusals are written in one place.
"""

from __future__ import annotations

import functools
import io
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_current_url

from ..caching import MAX_AGE
from ..errors import ProtocolError
from ..hooks import DATA_POLICY, REFERRER_POLICY
from ..state import ServerState
from .sparql import Prepared, graph_iris, prefers_page, prepare, query_timeout

__all__ = ["QueryLane"]

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class _Query:
    text: str
    fmt_param: str | None
    timeout: float
    default_graphs: Sequence[str] | None
    named_graphs: Sequence[str] | None
    base_iri: str


class QueryLane:
    """``app.wsgi_app = QueryLane(app.wsgi_app, state)``: see the module docstring."""

    def __init__(self, app: WSGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state
        origin = state.config.cors_origin
        self._headers = [
            ("Vary", "Accept" if not origin or origin == "*" else "Accept, Origin"),
            *([("Access-Control-Allow-Origin", origin)] if origin else []),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", REFERRER_POLICY),
            ("Content-Security-Policy", DATA_POLICY),
        ]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/sparql" or environ.get("REQUEST_METHOD") not in ("GET", "POST") \
                or "HTTP_IF_NONE_MATCH" in environ:
            return self.app(environ, start_response)
        started = time.monotonic()
        query = ready = None
        try:
            query = self._read(environ)
            ready = None if query is None else prepare(
                self.state, query.text, accept=environ.get("HTTP_ACCEPT"), fmt_param=query.fmt_param,
                base_iri=query.base_iri, default_graphs=query.default_graphs, named_graphs=query.named_graphs)
        except ProtocolError:
            pass  # refused: by the app, which writes refusals as the client asked
        if query is None or ready is None:
            return self.app(environ, start_response)
        return self._answer(query, ready, started, start_response)

    # --- reading -----------------------------------------------------------------------------------------
    def _read(self, environ: dict[str, Any]) -> _Query | None:
        """The query of a request this lane answers, or None. Raises :class:`ProtocolError` (then the app
        answers, with the same message). A body read here is put back for the app."""
        args = _pairs(environ.get("QUERY_STRING", ""))
        if args is None or _has(args, "update"):
            return None
        method = environ["REQUEST_METHOD"]
        mimetype, _, params = (environ.get("CONTENT_TYPE") or "").partition(";")
        mimetype = mimetype.strip().lower()
        if method == "GET":
            fields = args
        elif mimetype == _FORM:
            body = self._body(environ)
            form = None if body is None else _pairs(body)
            if form is None or _has(form, "update"):
                return None
            fields = form + args
        elif mimetype == _DIRECT:
            charset = _charset(params)
            body = self._body(environ)
            if body is None or _values(args, "query") or (charset and charset not in ("utf-8", "utf8")):
                return None
            fields = [("query", body), *args]
        else:
            return None
        queries = _values(fields, "query")
        if len(queries) != 1:
            return None
        fmt = _values(fields, "format")
        fmt_param = fmt[0] if fmt else None
        if method == "GET" and fmt_param is None and prefers_page(environ.get("HTTP_ACCEPT")):
            return None  # a browser following a link: the query page
        return _Query(
            text=queries[0], fmt_param=fmt_param,
            timeout=query_timeout(_values(fields, "timeout"), self.state.config.query_timeout),
            default_graphs=graph_iris(_values(fields, "default-graph-uri"), "default-graph-uri"),
            named_graphs=graph_iris(_values(fields, "named-graph-uri"), "named-graph-uri"),
            base_iri=_endpoint_url(environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST"),
                                   environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", ""),
                                   environ.get("SCRIPT_NAME", "")),
        )

    def _body(self, environ: dict[str, Any]) -> str | None:
        """The request body as text (read once, put back for the app), or None when this lane leaves it to
        the app: no length, longer than the limit, not UTF-8."""
        length = environ.get("CONTENT_LENGTH") or ""
        if not length.isdigit() or int(length) > self.state.config.max_body_bytes:
            return None
        data = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(data)
        try:
            return str(data.decode("utf-8"))
        except UnicodeDecodeError:
            return None

    # --- answering ---------------------------------------------------------------------------------------
    def _answer(self, query: _Query, ready: Prepared, started: float, start_response: StartResponse
                ) -> Iterable[bytes]:
        state = self.state
        state.metrics.add("requests")
        state.metrics.add("queries")
        try:
            answer = state.queries.answer(query.text, ready.analysis, ready.fmt, deadline=started + query.timeout,
                                          timeout=query.timeout, default_graphs=query.default_graphs,
                                          named_graphs=query.named_graphs, base_iri=query.base_iri)
        finally:
            state.metrics.observe_latency((time.monotonic() - started) * 1000)
        if answer.status == 200:
            body = answer.body
            headers = [("Content-Type", answer.content_type), ("Content-Length", str(len(body))),
                       ("ETag", ready.etag), ("Cache-Control", f"public, max-age={MAX_AGE}"), *self._headers]
        else:  # as the app's text_response
            body = (answer.body.decode("utf-8", "replace").rstrip("\n") + "\n").encode("utf-8")
            headers = [("Content-Type", _TEXT), ("Content-Length", str(len(body))), *answer.headers.items(),
                       *self._headers]
            if answer.status < 500:
                state.metrics.add("client_errors")
            elif answer.status != 503:
                state.metrics.add("errors")
        start_response(f"{answer.status} {HTTP_STATUS_CODES.get(answer.status, 'Unknown')}", headers)
        return [body]


@functools.lru_cache(maxsize=256)
def _endpoint_url(scheme: str, host: str | None, server_name: str, server_port: str, script_name: str) -> str:
    """The endpoint's URL as the app's ``request.base_url`` gives it (the base IRI of a query), kept per
    host: computing it is a tenth of what this lane costs a request. (A few hundred hosts at most: the
    ``Host`` header is the client's.)"""
    environ = {"wsgi.url_scheme": scheme, "SERVER_NAME": server_name, "SERVER_PORT": server_port,
               "SCRIPT_NAME": script_name, "PATH_INFO": "/sparql"}
    if host is not None:
        environ["HTTP_HOST"] = host
    return str(get_current_url(environ, strip_querystring=True))


def _pairs(text: str) -> list[tuple[str, str]] | None:
    """``name=value`` pairs of a query string or form body, or None when they are not UTF-8."""
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None


def _values(pairs: Sequence[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in pairs if k == name]


def _has(pairs: Sequence[tuple[str, str]], name: str) -> bool:
    return any(k == name for k, _ in pairs)


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower().replace("_", "-")
    return None
