"""Production serving with gunicorn (several worker processes × threads), not Flask's dev server."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

__all__ = ["serve"]


class _Application(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def serve(app: Flask, *, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve ``app`` with gunicorn. The store is loaded before forking and shared copy-on-write."""
    _Application(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            "accesslog": "-",
            "preload_app": True,
        },
    ).run()
