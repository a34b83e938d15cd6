"""The access log of ``cstograph serve --access-log [FILE]``: one line per request in the Common Log Format
(NCSA httpd; what Apache's ``%h %l %u %t "%r" %>s %b`` writes), from a WSGI middleware, so that it works
whatever serves the app (cstograph's HTTP server inside gunicorn's workers, whose own access log never fires; Flask's
development server)::

    127.0.0.1 - - [01/Dec/2026:22:46:16 +0000] "GET /sparql?query=ASK%7B%7D HTTP/1.1" 200 57

A line is written when the response has been sent (the WSGI iterable closed), as one ``write`` to a file
opened for appending, so lines from several worker processes never interleave.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["AccessLog"]

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


class AccessLog:
    """Wrap ``app``; log to ``target``: ``"-"`` for standard output, else a file path (appended)."""

    def __init__(self, app: WSGIApp, target: str) -> None:
        self.app = app
        self.target = target
        self._fd: int | None = None
        self._pid = 0

    def _write(self, line: str) -> None:
        if self._fd is None or self._pid != os.getpid():  # opened in each worker process, after the fork
            self._pid = os.getpid()
            self._fd = 1 if self.target == "-" else os.open(self.target, os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                                                            0o644)
        with contextlib.suppress(OSError):  # a full disk or a closed stdout must not fail the request
            os.write(self._fd, line.encode("utf-8", "replace"))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status: list[str] = []

        def recording_start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, exc_info) if exc_info else start_response(code, headers)

        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        body = self.app(environ, recording_start)
        return _Logged(body, lambda size: self._write(self._line(environ, when, status, size)))

    @staticmethod
    def _line(environ: dict[str, Any], when: str, status: list[str], size: int) -> str:
        path = environ.get("RAW_URI") or (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
                                          + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        request = f'{environ.get("REQUEST_METHOD", "-")} {path} {environ.get("SERVER_PROTOCOL", "HTTP/1.0")}'
        user = environ.get("REMOTE_USER") or "-"
        return (f'{environ.get("REMOTE_ADDR") or "-"} - {user} [{when}] "{_quote(request)}" '
                f'{status[0] if status else "-"} {size if size else "-"}\n')


class _Logged:
    """The response body, counted as it is sent; the line is written when the server closes it (PEP 3333)."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.size)
