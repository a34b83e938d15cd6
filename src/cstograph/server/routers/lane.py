"""The query operation's fast lane: a WSGI layer in front of the Flask app for the requests SPARQL clients send
all day — a query by GET, by form POST or by direct POST (SPARQL 1.1 Protocol §2.1), with its format, time
limit and dataset — answered without Flask's request and response objects, which cost a cheap query more
than everything else the web worker does for it (bench/README.md, "the fast lane").

It reads a request with the route's own reader (:func:`.sparql.read_query_request`), answers with the same
services, and writes the same headers as the app-wide hooks (their constants); ``tests/server/test_lane.py``
holds the two paths to the same status, headers and body. Whatever it does not answer itself — another path or
method, no query, a browser that prefers the query page, an update, a conditional request, a body it cannot
read, any request it would refuse — goes to the Flask app untouched (the body put back), which answers or
refuses it as always: refusals are written in one place.
"""

from __future__ import annotations

import functools
import io
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_current_url

from ..caching import MAX_AGE
from ..errors import ProtocolError
from ..hooks import DATA_POLICY, REFERRER_POLICY
from ..state import ServerState
from .sparql import Prepared, graph_iris, prefers_page, prepare, query_timeout, read_query_request

__all__ = ["QueryLane"]

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_TEXT = "text/plain; charset=utf-8"


class _LeftToApp(Exception):
    """A request body this lane does not read (no length, or past the limit)."""


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
        try:
            asked = read_query_request(environ, lambda: self._body(environ))
        except _LeftToApp:
            return None
        if asked.text is None:
            return None
        fmt_param = asked.fmt_param
        if environ["REQUEST_METHOD"] == "GET" and fmt_param is None and prefers_page(environ.get("HTTP_ACCEPT")):
            return None  # a browser following a link: the query page
        return _Query(
            text=asked.text, fmt_param=fmt_param,
            timeout=query_timeout(asked.values("timeout"), self.state.config.query_timeout),
            default_graphs=graph_iris(asked.values("default-graph-uri"), "default-graph-uri"),
            named_graphs=graph_iris(asked.values("named-graph-uri"), "named-graph-uri"),
            base_iri=_endpoint_url(environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST"),
                                   environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", ""),
                                   environ.get("SCRIPT_NAME", "")),
        )

    def _body(self, environ: dict[str, Any]) -> bytes:
        """The request body (read once, put back for the app). Raises :class:`_LeftToApp` for a body without
        a length or longer than the limit: the app reads or refuses those."""
        length = environ.get("CONTENT_LENGTH") or ""
        if not length.isdigit() or int(length) > self.state.config.max_body_bytes:
            raise _LeftToApp
        data = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(data)
        return bytes(data)

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
