"""Where untrusted jobs run: in a sandbox pool (serving), or in a thread of this process (tests, the
development server, library use). Both answer frames and raise the same exceptions, so the routes and
services do not know which runs them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .limits import QueryRunner, QueryTimeout
from .sandbox import Frame, Handler, JobStopped, PoolClient

__all__ = ["Executor", "PoolExecutor", "ThreadExecutor"]


class Executor(Protocol):
    """Runs one job before ``deadline`` (a ``time.monotonic()`` value) and returns its answer frame.
    Raises :class:`~.sandbox.JobStopped`, :class:`~.sandbox.JobCrashed` or :class:`~.sandbox.PoolUnavailable`."""

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame: ...


@dataclass(frozen=True, slots=True)
class PoolExecutor:
    client: PoolClient

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        return self.client.call(header, body, deadline=deadline)


@dataclass
class ThreadExecutor:
    """Runs jobs in threads of this process. No isolation: a runaway keeps its thread until it ends."""

    prepare: Callable[[], Handler]
    _handler: Handler | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _runner: QueryRunner = field(default_factory=QueryRunner, init=False)

    def run(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        import time

        with self._lock:
            if self._handler is None:
                self._handler = self.prepare()
        handler = self._handler
        job = Frame(1, {**header, "deadline": deadline}, body)
        try:
            return self._runner.run(lambda: handler(job), max(0.0, deadline - time.monotonic()))
        except QueryTimeout as exc:
            raise JobStopped("timeout", "the job ran past its time limit") from exc
