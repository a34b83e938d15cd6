"""Where untrusted jobs run: in a sandbox pool (serving), in the calling thread when the work happens in
another server (serving a remote store), or in a thread of this process (tests, the development server,
library use). All answer frames and raise the same exceptions, so the routes and services do not know
which runs them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .limits import QueryRunner, QueryTimeout
from .sandbox import Frame, Handler, JobStopped, Kind, PoolClient

__all__ = ["DirectExecutor", "Executor", "PoolExecutor", "ThreadExecutor"]

_log = logging.getLogger("cstograph.server")


class Executor(Protocol):
    """Runs one job before ``deadline`` (a ``time.monotonic()`` value) and returns its answer frame.
    Raises :class:`~.sandbox.JobStopped`, :class:`~.sandbox.JobCrashed` or :class:`~.sandbox.PoolUnavailable`."""

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame: ...


@dataclass
class PoolExecutor:
    """Sends jobs to a sandbox pool. With ``places``, at most that many of this process's request threads
    wait on the pool at once; a job that finds none free is stopped as busy at once, not queued: a thread
    waiting on a pool is a thread that answers nobody else (``/health``, pages, cheap queries), and jobs
    that each take seconds (validations) would otherwise take every thread of a worker for their whole
    time limit."""

    client: PoolClient
    places: int | None = None
    _free: threading.BoundedSemaphore | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.places is not None:
            self._free = threading.BoundedSemaphore(max(1, self.places))

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        free = self._free
        if free is None:
            return self.client.call(header, body, deadline=deadline)
        if not free.acquire(blocking=False):
            raise JobStopped("busy", f"the {self.client.socket_path.stem} service is busy ({self.places} job(s) "
                                     "already running here); retry later")
        try:
            return self.client.call(header, body, deadline=deadline)
        finally:
            free.release()


@dataclass
class DirectExecutor:
    """Runs jobs in the calling thread, at most ``limit`` at once in this process — for a remote store, whose
    server evaluates the query: this process only sends it and waits on a socket whose timeout is the job's
    deadline, so a sandbox process would add a hop and guard nothing (no engine runs here, answers are read
    up to the byte cap). A job that finds no free place before its deadline is stopped as busy."""

    handler: Handler
    limit: int
    _places: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._places = threading.BoundedSemaphore(max(1, self.limit))

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        if not self._places.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise JobStopped("busy", f"too many queries at once (the limit is {self.limit}); retry later")
        try:
            answer = self.handler(Frame(Kind.REQUEST, {**header, "deadline": deadline}, body))
        except Exception as exc:  # as a sandbox answers a job that failed: logged, and a 4xx that says so
            _log.exception("a job failed")
            answer = Frame(Kind.REFUSED, {"status": 400, "message": f"the job failed: {type(exc).__name__}: {exc}"})
        finally:
            self._places.release()
        if answer.kind == Kind.STOPPED:
            raise JobStopped(str(answer.header.get("reason", "timeout")), str(answer.header.get("message", "")))
        return answer


@dataclass
class ThreadExecutor:
    """Runs jobs in threads of this process. No isolation: a runaway keeps its thread until it ends."""

    prepare: Callable[[], Handler]
    _handler: Handler | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _runner: QueryRunner = field(default_factory=QueryRunner, init=False)

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        with self._lock:
            if self._handler is None:
                self._handler = self.prepare()
        handler = self._handler
        job = Frame(1, {**header, "deadline": deadline}, body)
        try:
            return self._runner.run(lambda: handler(job), max(0.0, deadline - time.monotonic()))
        except QueryTimeout as exc:
            raise JobStopped("timeout", "the job ran past its time limit") from exc
