"""The HTTP tier: gunicorn's arbiter for worker processes, each worker serving with :mod:`.http1`.

Why this stack. gunicorn supervises processes well: it forks workers from the preloaded app (the store is
shared copy-on-write) and replaces any that dies, forever. Its own workers, though, read a request in a worker
thread, so a client that trickles its headers one byte a second holds that thread; eight such clients held
every thread of the server. :class:`BufferedWorker` serves the sockets gunicorn gives it with
:class:`.http1.HTTPServer`, which reads requests in non-blocking turns and runs the app only on a complete
request — slow clients hold no thread, only a socket until a deadline closes it:

* a request must arrive whole within ``request_timeout`` seconds of its first byte (else the connection is
  closed), and a connection idle for ``idle_timeout`` seconds is closed;
* at most ``connection_limit`` connections per worker (then new ones wait in the listen backlog);
* answers are buffered whole, so a slow reader holds no thread either;
* the heartbeat gunicorn watches is sent by the worker's main thread, which also enforces the deadlines.

(Until 2026-12-02 the workers ran waitress; its event loop handed each request to a task thread and back,
which cost a cheap query ≈ 0.1 ms at concurrency 1 and, at 4, stalled requests behind each other for
milliseconds: bench/README.md, "the HTTP tier".)
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.base import Worker

from .http1 import HTTPServer, Limits

__all__ = ["BufferedWorker", "WebOptions", "run_web"]


class BufferedWorker(Worker):  # type: ignore[misc]
    """A gunicorn worker running :class:`.http1.HTTPServer` (see the module docstring). Options are class
    attributes, set by :func:`run_web` on a subclass."""

    threads = 8
    request_timeout = 10.0
    idle_timeout = 30.0
    connection_limit = 1000
    max_body_bytes = 1_000_000
    max_header_bytes = 262_144

    def run(self) -> None:
        with contextlib.suppress(ValueError, OSError):  # room for many slow connections
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
        limits = Limits(request_timeout=self.request_timeout, idle_timeout=self.idle_timeout,
                        connection_limit=self.connection_limit, max_header_bytes=self.max_header_bytes,
                        max_body_bytes=self.max_body_bytes + 1)  # the app refuses max + 1 with its own message
        servers = [HTTPServer(self.wsgi, listener.sock, threads=self.threads, limits=limits)
                   for listener in self.sockets]
        for server in servers:
            server.start()
        while self.alive:
            self.notify()
            if self.ppid != os.getppid():
                break
            for server in servers:
                server.maintain()
            time.sleep(0.5)
        # Graceful stop: no new connections; in-flight requests finish within the graceful timeout.
        for server in servers:
            server.stop(self.cfg.graceful_timeout)


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


class WebOptions:
    """What :func:`run_web` needs (plain attributes, set from the CLI)."""

    def __init__(self, *, host: str, port: int, workers: int = 2, threads: int = 8, access_log: str | None = None,
                 request_timeout: float = 10.0, idle_timeout: float = 30.0, max_body_bytes: int = 1_000_000,
                 graceful_timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.workers = workers
        self.threads = threads
        self.access_log = access_log
        self.request_timeout = request_timeout
        self.idle_timeout = idle_timeout
        self.max_body_bytes = max_body_bytes
        self.graceful_timeout = graceful_timeout


def run_web(app: Flask, options: WebOptions, *, listener: int | None = None, on_fork: Any = None) -> None:
    """Run gunicorn with :class:`BufferedWorker` workers on ``app`` (already loaded: preloaded before forking).
    ``listener``: the file descriptor of a listening socket to serve (its owner keeps it across restarts of
    this server); otherwise gunicorn binds ``host:port``. ``on_fork(server, worker)`` runs in each new worker
    (e.g. to bind its metrics slot)."""
    worker = type("CstographWorker", (BufferedWorker,), {
        "threads": options.threads, "request_timeout": options.request_timeout,
        "idle_timeout": options.idle_timeout, "max_body_bytes": options.max_body_bytes,
    })
    settings: dict[str, Any] = {
        "bind": f"fd://{listener}" if listener is not None else f"{options.host}:{options.port}",
        "proc_name": "cstograph",
        "workers": options.workers,
        "worker_class": worker,
        "timeout": 30,  # heartbeat: a worker whose loop is stuck this long is replaced
        "graceful_timeout": int(options.graceful_timeout),
        "accesslog": None,  # gunicorn's never fires with this worker: AccessLog below writes it
        "preload_app": True,
        "control_socket_disable": True,  # gunicorn ≥ 25: no shared ~/.gunicorn/gunicorn.ctl between servers
    }
    if on_fork is not None:
        settings["post_fork"] = on_fork
    if options.access_log:
        from .access_log import AccessLog

        app.wsgi_app = AccessLog(app.wsgi_app, options.access_log)  # type: ignore[method-assign]
    _Application(app, settings).run()
