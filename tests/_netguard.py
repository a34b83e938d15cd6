"""A guard on the test process's own network use: a test may connect only to 127.0.0.1 / ::1, and only to
ports it was given by :func:`conftest.free_port` (or allowed with :func:`allow`). Anything else — another host,
a name lookup of another host, a loopback port nobody allotted — is refused at ``connect`` time and fails
the test, whatever code made the call (rdflib fetching a JSON-LD context, a client following a redirect…).

Built on ``sys.addaudithook`` (PEP 578): the ``socket.connect`` and ``socket.getaddrinfo`` events.
Server processes the tests start are outside this process: the loopback canary catches what they fetch.
"""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass, field

__all__ = ["GUARD", "allow", "install"]

_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"})


@dataclass
class Guard:
    allowed: set[int] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, what: str) -> None:
        with self.lock:
            self.violations.append(what)
        raise PermissionError(f"network guard: the test process may not connect to {what}")

    def take_violations(self) -> list[str]:
        with self.lock:
            found, self.violations = self.violations, []
        return found


GUARD = Guard()


def allow(port: int) -> int:
    """Let the test process connect to ``127.0.0.1:port``."""
    GUARD.allowed.add(port)
    return port


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect":
        sock, address = args
        if getattr(sock, "family", None) == socket.AF_UNIX:
            return
        host, port = address[0], address[1]  # type: ignore[index]
        if host not in _LOOPBACK:
            GUARD.refuse(f"{host}:{port} (not loopback)")
        if port not in GUARD.allowed:
            GUARD.refuse(f"{host}:{port} (a loopback port this test was not given)")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if host is not None and str(host) not in _LOOPBACK:
            GUARD.refuse(f"a name lookup of {host!r}")


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
