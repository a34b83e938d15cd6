"""``cstograph serve``: the process tree, and the small supervisor at its root.

::

    cstograph serve  (root: loads the store, builds the app, supervises; does nothing else)
     ├── gunicorn arbiter ── web workers × N     HTTP (see :mod:`.web`): pages, negotiation, protocol checks
     ├── query pool ── sandbox processes × P     evaluate client queries (see :mod:`.sandbox`)
     └── validation pool ── sandbox processes    parse and validate posted data (imports pySHACL; the others do not)

Fronting a remote store (``serve --store URL``) there is no query pool: the remote server evaluates, and the web
workers send each query themselves (:class:`.execution.DirectExecutor`: the query's time limit is the socket's
timeout, at most P queries at once per worker), a sandbox hop guarding nothing there.

The store is loaded once, in the root, before anything forks: every process shares it copy-on-write. The
root restarts whatever ends — a pool supervisor, the arbiter — and each of those restarts its own
processes; no process holds anything another needs (no cross-process lock or semaphore), so any of them
may die at any moment without the others noticing more than the requests it was serving. SIGTERM or
SIGINT stops the whole tree.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..snapshot import Snapshot
from ..store import GraphStore, RemoteStore, StoreLocation
from .app import create_app
from .config import ServerConfig
from .execution import DirectExecutor, Executor, PoolExecutor
from .jobs import query_handler, validation_handler
from .limits import Metrics
from .sandbox import Handler, PoolClient, PoolSpec, die_with_parent, run_supervisor, set_title
from .web import WebOptions, run_web

__all__ = ["serve", "serving_app"]


@dataclass
class _Child:
    name: str
    start: Callable[[], None]
    pid: int = 0
    started: float = 0.0
    restarts: list[float] = field(default_factory=list)


def _listen_unix(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(256)
    return sock


def _assign_metrics_slots(metrics: Metrics) -> Callable[[object, object], None]:
    """A gunicorn ``post_fork`` hook: give each new worker a metrics slot no live worker has."""

    def post_fork(server: object, worker: object) -> None:
        live = {getattr(w, "cstograph_slot", -1) for w in getattr(server, "WORKERS", {}).values() if w is not worker}
        slot = next(i for i in range(1, metrics.slots) if i not in live)
        worker.cstograph_slot = slot  # type: ignore[attr-defined]
        metrics.bind(slot)

    return post_fork


def serve(config: ServerConfig, store: GraphStore, web: WebOptions, *, snapshot: Snapshot,
          announce: Callable[[str], None] = print) -> int:
    """Serve ``store`` (with its published ``snapshot``) until SIGTERM/SIGINT. Returns the exit status."""
    run_dir = Path(tempfile.mkdtemp(prefix="cstograph-"))
    os.chmod(run_dir, 0o700)
    try:
        return _serve(config, store, web, run_dir, announce, snapshot)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def serving_app(config: ServerConfig, store: GraphStore, snapshot: Snapshot, run_dir: Path
                ) -> tuple[Flask, list[tuple[PoolSpec, socket.socket]], Metrics]:
    """The app the web workers serve, wired to sandbox pools listening in ``run_dir`` (not started yet), and
    the metrics they share. Called in the root before anything forks: what it imports, every process has."""
    pools: list[tuple[PoolSpec, socket.socket]] = []
    queries: Executor
    if _is_remote(store):  # its server evaluates: the web workers send the query themselves
        queries = DirectExecutor(query_handler(store), limit=config.query_pool.size)
    else:
        query_spec = PoolSpec("query", run_dir, config.query_pool, lambda: query_handler(store))
        pools.append((query_spec, _listen_unix(query_spec.socket_path)))
        queries = PoolExecutor(PoolClient(query_spec.socket_path))
    validation = None
    shapes = config.shapes_folder
    if shapes is not None and shapes.is_dir():
        prepare: Callable[[], Handler] = validation_handler(store, shapes)
        validation_spec = PoolSpec("validation", run_dir, config.validation_pool, prepare)
        pools.append((validation_spec, _listen_unix(validation_spec.socket_path)))
        validation = PoolExecutor(PoolClient(validation_spec.socket_path), places=config.validation_pool.size)
    metrics = Metrics()
    app = create_app(config, store, snapshot=snapshot, queries=queries, validation=validation, metrics=metrics)
    return app, pools, metrics


def _is_remote(store: object) -> bool:
    location = getattr(store, "location", None)
    return isinstance(store, RemoteStore) or (isinstance(location, StoreLocation) and location.kind == "url")


def _serve(config: ServerConfig, store: GraphStore, web: WebOptions, run_dir: Path,
           announce: Callable[[str], None], snapshot: Snapshot) -> int:
    app, pools, metrics = serving_app(config, store, snapshot, run_dir)
    children: list[_Child] = []
    for spec, listener in pools:
        children.append(_Child(f"{spec.name} pool", _pool_starter(spec, listener)))
    http = _listen_tcp(web.host, web.port)  # held here: a restarted web server serves it without a gap
    children.append(_Child("web server", lambda: _web_child(app, web, metrics, http.fileno())))

    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    # Signals wake the loop through a pipe: a handler alone would not, since Python retries the interrupted
    # wait (PEP 475) and a SIGTERM to this process only would then wait for a child to end first.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    set_title("cstograph: serve (root)")
    for child in children:
        _start(child)
    announce(f"serving {len(store)} quads on http://{web.host}:{web.port}/sparql")
    while not stopping:
        with contextlib.suppress(InterruptedError):
            select.select([wake_r], [], [], 5.0)
        with contextlib.suppress(BlockingIOError):
            os.read(wake_r, 4096)
        for pid, status in _ended():
            for child in children:
                if child.pid == pid and not stopping:
                    print(f"cstograph: the {child.name} (pid {pid}) ended ({_describe(status)}); restarting it",
                          file=sys.stderr, flush=True)
                    _start(child)
    return _stop(children)


def _pool_starter(spec: PoolSpec, listener: socket.socket) -> Callable[[], None]:
    return lambda: run_supervisor(spec, listener)


def _web_child(app: object, web: WebOptions, metrics: Metrics, listener: int) -> None:
    die_with_parent(signal.SIGTERM)
    run_web(app, web, listener=listener, on_fork=_assign_metrics_slots(metrics))  # type: ignore[arg-type]


def _listen_tcp(host: str, port: int) -> socket.socket:
    """The server's listening socket. A busy port is a clear error, before anything starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _ended() -> list[tuple[int, int]]:
    """(pid, status) of every child that has ended since the last look (none waits)."""
    ended: list[tuple[int, int]] = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append((pid, status))


def _start(child: _Child) -> None:
    now = time.monotonic()
    child.restarts = [t for t in child.restarts if now - t < 10.0]
    if len(child.restarts) >= 5:  # crashing in a loop: slow down rather than spin
        time.sleep(1.0)
    child.restarts.append(now)
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)  # the root's pipe is not the child's
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        try:
            child.start()
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        except BaseException:  # noqa: BLE001 - report, then end this child only
            import traceback

            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    child.pid = pid
    child.started = now


def _stop(children: list[_Child]) -> int:
    """SIGTERM everything (the web server first: it finishes its in-flight requests), then wait."""
    for child in sorted(children, key=lambda c: c.name != "web server"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15.0
    remaining = {c.pid for c in children}
    while remaining and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.05)
        remaining.discard(pid)
    for pid in remaining:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return 0


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
