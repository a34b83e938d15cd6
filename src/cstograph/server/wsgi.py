"""Production serving with gunicorn (several worker processes × threads), not Flask's dev server.

The app (and the store) is loaded once in the arbiter before forking (``preload_app``), so workers share
it copy-on-write and a replacement worker starts in milliseconds. A worker whose query ran past the time
limit asks to be replaced after answering 503 (see :mod:`.limits`): that is what stops the runaway query.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .sparql import RECYCLE_ON_TIMEOUT

__all__ = ["serve"]


class _Application(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # settings differ between gunicorn versions
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def serve(app: Flask, *, host: str, port: int, workers: int = 2, threads: int = 4, access_log: bool = False) -> None:
    """Serve ``app`` with gunicorn. The store is loaded before forking and shared copy-on-write."""
    app.config[RECYCLE_ON_TIMEOUT] = True
    query_timeout = float(getattr(app.config.get("CSTOGRAPH"), "query_timeout", 5.0))
    _Application(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": max(60, int(query_timeout * 2)),
            # a worker being replaced still answers its in-flight queries (each bounded by the time limit)
            "graceful_timeout": int(query_timeout) + 5,
            "keepalive": 5,
            "limit_request_line": 8190,  # the largest gunicorn allows; longer queries: POST
            "accesslog": "-" if access_log else None,
            "preload_app": True,
            "control_socket_disable": True,  # gunicorn ≥ 25: no shared ~/.gunicorn/gunicorn.ctl between servers
        },
    ).run()
