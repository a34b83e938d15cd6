"""The serving workers' side of a sandbox pool: send a job, wait for its answer with a deadline."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path

from ._protocol import Frame, Kind, read_frame, write_frame

__all__ = ["JobCrashed", "JobStopped", "PoolClient", "PoolUnavailable"]


class PoolUnavailable(Exception):
    """The pool's socket cannot be reached (it is starting, or restarting after its supervisor ended)."""


class JobStopped(Exception):
    """The job was stopped: ``reason`` is ``timeout`` (past its deadline) or ``busy`` (no long-job slot)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class JobCrashed(Exception):
    """The process running the job ended without answering (memory ceiling, stack, or a crash of the engine)."""


@dataclass(frozen=True, slots=True)
class PoolClient:
    socket_path: Path
    #: How long after the job's deadline the client still waits for the pool's own answer.
    grace: float = 1.0

    def call(self, header: dict[str, object], body: bytes = b"", *, deadline: float) -> Frame:
        """Run a job; its answer frame (``OK`` or ``REFUSED``). Raises :class:`JobStopped`,
        :class:`JobCrashed`, :class:`PoolUnavailable`."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                sock.connect(str(self.socket_path))
            except (FileNotFoundError, ConnectionRefusedError) as exc:
                raise PoolUnavailable(f"the {self.socket_path.stem} service is not running: {exc}") from exc
            except (BlockingIOError, TimeoutError) as exc:
                raise JobStopped("busy", f"the {self.socket_path.stem} service is busy; retry later") from exc
            try:
                write_frame(sock, Frame(Kind.REQUEST, {**header, "deadline": deadline}, body))
                answer = read_frame(sock, deadline=deadline + self.grace)
            except TimeoutError:
                raise JobStopped("timeout", "the job ran past its time limit") from None
            except OSError as exc:  # the process ended (closed, or reset the connection) before answering
                if time.monotonic() >= deadline:
                    raise JobStopped("timeout", "the job ran past its time limit") from None
                raise JobCrashed("the job stopped its process before answering: it needed more memory or "
                                 "stack than allowed, or made the engine fail") from exc
        finally:
            sock.close()
        if answer.kind == Kind.STOPPED:
            raise JobStopped(str(answer.header.get("reason", "timeout")), str(answer.header.get("message", "")))
        return answer
