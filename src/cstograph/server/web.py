"""The HTTP tier: gunicorn's arbiter for worker processes, each worker serving with waitress's buffered I/O.

Why this stack. gunicorn supervises processes well: it forks workers from the preloaded app (the store is
shared copy-on-write) and replaces any that dies, forever. Its threaded worker, though, reads a request in a
worker thread, so a client that trickles its headers one byte a second holds that thread; eight such
clients held every thread of the default server. waitress reads in an event loop and hands a request to a
thread only once it is complete — headers and body — so slow clients hold no thread; they hold a socket
until a deadline closes it. :class:`BufferedWorker` runs waitress's loop on the sockets gunicorn gives it:

* a request must arrive whole within ``request_timeout`` seconds of its first byte (else the connection is
  closed), and a connection idle for ``idle_timeout`` seconds is closed;
* at most ``connection_limit`` connections per worker (then new ones wait in the listen backlog);
* answers are buffered by waitress too, so a slow reader holds no thread either;
* the heartbeat gunicorn watches is sent from the loop, so a worker whose loop is stuck is replaced.
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
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

__all__ = ["BufferedWorker", "WebOptions", "run_web"]


class _Channel(HTTPChannel):  # type: ignore[misc]
    """A connection that remembers when its current request began (for the request deadline)."""

    request_began = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_began = time.monotonic()
        return bool(super().received(data))


class _Server(TcpWSGIServer):  # type: ignore[misc]
    channel_class = _Channel
    request_timeout = 10.0

    def maintenance(self, now: float) -> None:
        """waitress closes idle connections here; also close those whose request is late (slow clients)."""
        super().maintenance(now)
        late = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            if channel.request is not None and not channel.requests and channel.request_began < late:
                channel.will_close = True


class BufferedWorker(Worker):  # type: ignore[misc]
    """A gunicorn worker running waitress (see the module docstring). Options are class attributes, set
    by :func:`run_web` on a subclass."""

    threads = 8
    request_timeout = 10.0
    idle_timeout = 30.0
    connection_limit = 1000
    max_body_bytes = 1_000_000
    max_header_bytes = 262_144
    outbuf_high_watermark = 64 * 1024 * 1024

    def run(self) -> None:
        with contextlib.suppress(ValueError, OSError):  # room for many slow connections
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
        adj = Adjustments(
            threads=self.threads, channel_timeout=int(self.idle_timeout), cleanup_interval=1,
            connection_limit=self.connection_limit, max_request_body_size=self.max_body_bytes + 1,
            max_request_header_size=self.max_header_bytes, outbuf_high_watermark=self.outbuf_high_watermark,
            asyncore_use_poll=True, expose_tracebacks=False, ident="cstograph",
        )
        socket_map: dict[int, Any] = {}
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(self.threads)
        servers = []
        for listener in self.sockets:
            sock = listener.sock
            server = _Server(self.wsgi, socket_map, _start=True, _sock=sock, dispatcher=dispatcher, adj=adj,
                             bind_socket=False, sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()))
            server.request_timeout = self.request_timeout
            servers.append(server)
        beat = 0.0
        while self.alive:
            now = time.monotonic()
            if now - beat >= 1.0:  # (once a second, not on each of a request's few turns of the loop)
                beat = now
                self.notify()
                if self.ppid != os.getppid():
                    break
            wasyncore.loop(timeout=1.0, map=socket_map, use_poll=True, count=1)
        # Graceful stop: no new connections; in-flight requests finish within the graceful timeout.
        for server in servers:
            server.accepting = False
            server.del_channel()
            with contextlib.suppress(OSError):
                server.socket.close()
        stop_by = time.monotonic() + self.cfg.graceful_timeout
        while socket_map and time.monotonic() < stop_by:
            self.notify()
            wasyncore.loop(timeout=0.2, map=socket_map, use_poll=True, count=1)
            if all(not getattr(c, "requests", None) and not getattr(c, "total_outbufs_len", 0)
                   for c in socket_map.values()):
                break
        dispatcher.shutdown(timeout=1)


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
        "accesslog": None,  # gunicorn's never fires with waitress in the worker: AccessLog below writes it
        "preload_app": True,
        "control_socket_disable": True,  # gunicorn ≥ 25: no shared ~/.gunicorn/gunicorn.ctl between servers
    }
    if on_fork is not None:
        settings["post_fork"] = on_fork
    if options.access_log:
        from .access_log import AccessLog

        app.wsgi_app = AccessLog(app.wsgi_app, options.access_log)  # type: ignore[method-assign]
    _Application(app, settings).run()
