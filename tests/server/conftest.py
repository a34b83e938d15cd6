"""Fixtures for the server's safety tests: a real ``cstograph serve`` with short limits, serving the built graph
plus attacker-written data (the loopback canary is in ``tests/conftest.py``)."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import FIXTURES, RunningServer, start_server, stop_server

#: Limits of the hostile server (short, so that the tests run fast).
TIMEOUT = 2.0
REQUEST_TIMEOUT = 3.0


@pytest.fixture(scope="session")
def hostile_server(dataset_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """``cstograph serve`` on the built graph plus attacker-written data, with short limits: queries 2 s,
    3 sandbox processes of which 1 may run long, 3 s to send a whole request."""
    log = tmp_path_factory.mktemp("hostile") / "server.log"
    server = start_server(["--data", str(dataset_file), str(FIXTURES / "server" / "hostile.ttl"),
                           "--timeout", str(TIMEOUT), "--query-processes", "3", "--long-queries", "1",
                           "--request-timeout", str(REQUEST_TIMEOUT), "--query-memory", "1024"], log)
    try:
        yield server
    finally:
        stop_server(server)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(server: RunningServer, method: str, path: str, *, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30.0) -> Reply:
    """One request with http.client (the path is sent as given: no client-side normalisation)."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data,
                     time.monotonic() - started)
    finally:
        conn.close()


def query(server: RunningServer, text: str, *, accept: str = "application/sparql-results+json",
          timeout: float = 30.0, params: dict[str, str] | None = None) -> Reply:
    """POST a query (form-encoded) with further protocol ``params``; ``timeout`` is the client's own wait."""
    form = urllib.parse.urlencode({"query": text, **(params or {})}).encode()
    return request(server, "POST", "/sparql", body=form, timeout=timeout,
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
