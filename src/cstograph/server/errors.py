"""Errors as the client asked for them, app-wide: JSON for JSON clients, a styled page for browsers,
plain text otherwise — always with a message that says what was wrong."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

__all__ = ["ProtocolError", "install_error_handlers", "text_response"]

_log = logging.getLogger("cstograph.server")


class ProtocolError(Exception):
    """A request the server answers with a 4xx (or 503) status and a message."""

    def __init__(self, status: int, message: str, **headers: str) -> None:
        self.status = status
        self.message = message
        self.headers = headers
        super().__init__(message)


def text_response(status: int, message: str, **headers: str) -> Response:
    response = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def _wants() -> str:
    """``html``, ``json`` or ``text``: what the client prefers for an error."""
    best = request.accept_mimetypes.best_match(["text/plain", "application/json", "text/html"])
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/plain"]:
        return "html"
    if best == "application/json" and request.accept_mimetypes["application/json"] > request.accept_mimetypes["*/*"]:
        return "json"
    if request.path.startswith("/shacl"):
        return "json"
    return "text"


def error_response(status: int, title: str, message: str, **headers: str) -> Response:
    kind = _wants()
    if kind == "html":
        body = render_template("error.html", status=status, title=title, message=message)
        response = Response(body, status=status, mimetype="text/html")
    elif kind == "json":
        response = Response(json.dumps({"status": status, "error": message, "title": title}) + "\n",
                            status=status, mimetype="application/json")
    else:
        response = text_response(status, message)
    response.headers.update(headers)
    return response


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ProtocolError)
    def _protocol(exc: ProtocolError) -> Response:
        return error_response(exc.status, _reason(exc.status), exc.message, **exc.headers)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, "Request body too large", f"request body too large: the limit is {limit} bytes")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 400
        message = f"{status} {exc.name}: {exc.description}"
        allowed = getattr(exc, "valid_methods", None)
        headers = {"Allow": ", ".join(allowed)} if status == 405 and allowed else {}
        return error_response(status, exc.name, message, **headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:  # a bug: logged with its traceback; the client gets no details
        _log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "Internal Server Error", "internal error (logged); please report it")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
