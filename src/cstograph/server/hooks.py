"""App-wide request hooks: metrics, CORS, and the security headers of every response.

Security headers (every response): ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, and a
Content-Security-Policy. HTML pages get a strict policy — scripts, styles and images only from this
server, no inline script, no inline style but ``<style nonce=…>`` elements carrying this response's nonce
(:func:`csp_nonce`, for the query editor's injected styles), no plugins, no framing
(``frame-ancestors 'none'``), forms only to this server — so that even a value that slipped past escaping
could not run. Other responses (data, SVG
pictures) get ``default-src 'none'`` with ``sandbox``: opened directly in a browser, they cannot run
anything either.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from werkzeug.routing import RequestRedirect

from .errors import text_response
from .state import get_state

__all__ = ["DATA_POLICY", "HTML_POLICY", "REFERRER_POLICY", "csp_nonce", "install_hooks", "local_redirect"]

HTML_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DATA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
REFERRER_POLICY = "strict-origin-when-cross-origin"
_VARY_ACCEPT = ("sparql.sparql", "sparql.named_query")


def csp_nonce() -> str:
    """This response's style nonce (for components that inject ``<style>`` elements, e.g. the query editor):
    a fresh random value per request, named in the page's Content-Security-Policy."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return str(nonce)


def local_redirect(redirect: RequestRedirect) -> Response:
    """The router's own redirects (``/id/state`` → ``/id/state/``, merged slashes) as a path on this server:
    Werkzeug writes an absolute URL from the request's ``Host`` header, which a client (or a cache in front)
    could set to any host."""
    parts = urlsplit(redirect.new_url)
    target = "/" + parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
    return text_response(redirect.code, f"moved permanently to {target}", Location=target)


def install_hooks(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def _count() -> None:
        g.cstograph_started = time.perf_counter()
        get_state().metrics.add("requests")

    @app.after_request
    def _headers(response: Response) -> Response:
        if isinstance(request.routing_exception, RequestRedirect):
            response = local_redirect(request.routing_exception)
        state = get_state()
        status = response.status_code
        if status >= 500 and status != 503:
            state.metrics.add("errors")
        elif 400 <= status < 500:
            state.metrics.add("client_errors")
        if request.endpoint in _VARY_ACCEPT:
            response.vary.add("Accept")
        origin = state.config.cors_origin
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            if origin != "*":
                response.vary.add("Origin")
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                response.headers["Access-Control-Max-Age"] = "86400"
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = REFERRER_POLICY
        if response.mimetype in ("text/html", "application/xhtml+xml"):
            headers["Content-Security-Policy"] = HTML_POLICY.format(nonce=csp_nonce())
            headers["X-Frame-Options"] = "DENY"
        else:
            headers.setdefault("Content-Security-Policy", DATA_POLICY)
        return response
