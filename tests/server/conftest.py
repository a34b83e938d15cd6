"""Fixtures for the server's safety tests: a loopback canary that records every request it gets, and a real
``cstograph serve`` with short limits, serving the built graph plus attacker-written data."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..conftest import FIXTURES, RunningServer, start_server, stop_server

#: Limits of the hostile server (short, so that the tests run fast).
TIMEOUT = 2.0
REQUEST_TIMEOUT = 3.0


@dataclass
class Canary:
    """A loopback HTTP server that answers anything plausibly and records every request it gets. Its port is
    never given to the test process (the network guard would refuse it): only a server under test can reach it."""

    port: int = 0
    hits: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take(self) -> list[str]:
        with self.lock:
            found, self.hits = self.hits, []
        return found


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    found = Canary()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            with found.lock:
                found.hits.append(f"{self.command} {self.path}")
            body = json.dumps({"@context": {"x": "http://canary/"}, "head": {"vars": ["v"]},
                               "results": {"bindings": [{"v": {"type": "literal", "value": "CANARY-LEAK"}}]}})
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = do_HEAD = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


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
