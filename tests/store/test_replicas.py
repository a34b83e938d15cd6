"""More than one machine, on 127.0.0.1: replicas of one published build (``cstograph serve --store DIR``)
behind a real load balancer from Debian (HAProxy, nginx). Every replica answers the same bytes and the
same validators, and a replica killed mid-load fails no request beyond those it had in flight (the
balancer retries idempotent requests on the other replica)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from cstograph.pipeline import BuildResult
from cstograph.store import write_disk_store
from tests.conftest import RunningServer, free_port, require_tool, start_server, stop_server

from .servers import stop

URLS = [
    "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a <https://w3id.org/cstograph/ontology#State> }"
                                                   " ORDER BY ?s"}),
    "/queries/examples/03-membership-history",
    "/id/state/ARM.ttl",
    "/ontology.ttl",
]
#: The same graph, not the same bytes: VoID's partitions are fresh blank nodes per request (same ETag, though).
ISOMORPHIC = ["/.well-known/void"]
PUBLIC_HOST = "127.0.0.1:8080"
REPLICA = ["--public-url", f"http://{PUBLIC_HOST}/", "--workers", "1", "--threads", "4",
           "--query-processes", "2", "--long-queries", "1"]

_HAPROXY = """global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
frontend replicas
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /health
    default-server inter 300ms fall 1 rise 2
{servers}
"""
_NGINX = """daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    upstream replicas {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://replicas;
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


@dataclass
class Balancer:
    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def balancer(kind: str, replicas: list[RunningServer], folder: Path) -> Iterator[Balancer]:
    port = free_port()
    ports = [int(r.url.rsplit(":", 1)[1]) for r in replicas]
    if kind == "haproxy":
        exe = require_tool("haproxy")
        servers = "\n".join(f"    server r{i} 127.0.0.1:{p} check" for i, p in enumerate(ports))
        config = folder / "haproxy.cfg"
        config.write_text(_HAPROXY.format(port=port, servers=servers))
        command = [exe, "-db", "-f", str(config)]
    else:
        exe = require_tool("nginx")
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
        config = folder / "nginx.conf"
        config.write_text(_NGINX.format(port=port, servers=servers, d=folder))
        command = [exe, "-e", str(folder / "error.log"), "-c", str(config)]
    with (folder / f"{kind}.log").open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):  # noqa: S310 - loopback only
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{kind} did not start: {(folder / f'{kind}.log').read_text(errors='replace')}")
                time.sleep(0.1)
        yield Balancer(url, proc)
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def disk(built: BuildResult, dataset_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("replicated") / "store"
    write_disk_store(folder, dataset_file, version=str(built.manifest["input_hash"]), build=built.path)
    return folder


def _get(url: str, *, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": "text/turtle, application/sparql-results+json;q=0.9"}
    if host:
        headers["Host"] = host  # as the balancer forwards it: one public name for every replica
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback only
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_every_replica_answers_the_same(disk: Path, tmp_path: Path) -> None:
    replicas = [start_server(["--store", str(disk), *REPLICA], tmp_path / f"r{i}.log") for i in range(2)]
    try:
        for path in URLS:
            answers = [_get(r.url + path, host=PUBLIC_HOST) for r in replicas]
            assert all(a[0] == 200 for a in answers), path
            assert answers[0][2] == answers[1][2], path
            assert answers[0][1]["etag"] == answers[1][1]["etag"], path  # the build's snapshot: one validator
        for path in ISOMORPHIC:
            answers = [_get(r.url + path, host=PUBLIC_HOST) for r in replicas]
            graphs = [Graph().parse(data=a[2], format="turtle") for a in answers]
            assert isomorphic(graphs[0], graphs[1]), path
            assert answers[0][1]["etag"] == answers[1][1]["etag"], path
    finally:
        for r in replicas:
            stop_server(r)


@dataclass
class Load:
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(url: str, load: Load, stop_at: float, count: int) -> None:
    for i in range(count):
        if time.monotonic() > stop_at:
            return
        try:
            status, _, _ = _get(url + URLS[i % len(URLS)])
            with load.lock:
                load.ok += status == 200
                if status != 200:
                    load.failed.append(str(status))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:  # cut mid-answer: in flight
            with load.lock:
                load.failed.append(repr(exc))


@pytest.mark.parametrize("kind", ["haproxy", pytest.param("nginx", marks=pytest.mark.slow)])  # one LB by default
def test_a_replica_killed_mid_load_fails_no_request(kind: str, disk: Path, tmp_path: Path) -> None:
    replicas = [start_server(["--store", str(disk), *REPLICA], tmp_path / f"r{i}.log") for i in range(2)]
    clients = 4
    try:
        with balancer(kind, replicas, tmp_path) as lb:
            load = Load()
            stop_at = time.monotonic() + 60
            threads = [threading.Thread(target=_client, args=(lb.url, load, stop_at, 100)) for _ in range(clients)]
            for t in threads:
                t.start()
            while load.ok < 60 and time.monotonic() < stop_at:
                time.sleep(0.01)
            os.killpg(replicas[0].process.pid, signal.SIGKILL)  # the whole replica: root, workers, pools
            replicas[0].process.wait(timeout=10)
            at_kill = load.ok
            for t in threads:
                t.join(timeout=90)
            assert load.ok - at_kill >= 40, "the surviving replica answered the load after the kill"
            # at most the requests in flight on the killed replica may fail (one per client); the balancer
            # retries those it can (nothing of the answer sent yet), so most runs see none
            assert len(load.failed) <= clients, load.failed
    finally:
        for r in replicas:
            stop_server(r)
