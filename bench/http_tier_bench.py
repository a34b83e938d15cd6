"""The web workers' HTTP server (:mod:`cstograph.server.http1`) against waitress (what the workers ran before,
with the same options) and, for scale, ``oxigraph serve``'s whole answer to ``ASK {}``: the same
small WSGI app (a 120-byte JSON answer, no work), on loopback, measured by ``wrk`` with keep-alive
connections at concurrency 1 and 4, each server in its own process. What it shows is the fixed cost a
server adds to every request — the part of a cheap query's time that is not the query.

    python bench/http_tier_bench.py [--duration 3] [--threads 8]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BODY = b'{"ok": true}' * 10

_SERVE = r'''
import socket, sys, threading, time
BODY = %(body)r

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]

kind, threads = sys.argv[1], int(sys.argv[2])
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(1024)
if kind == "cstograph":
    from cstograph.server.http1 import HTTPServer
    server = HTTPServer(app, listener, threads=threads)
    server.start()
    print(listener.getsockname()[1], flush=True)
    while True:
        time.sleep(0.5)
        server.maintain()
else:  # waitress, as cstograph's web workers ran it until 2026-12-02
    from waitress import wasyncore
    from waitress.adjustments import Adjustments
    from waitress.server import TcpWSGIServer
    from waitress.task import ThreadedTaskDispatcher
    adj = Adjustments(threads=threads, asyncore_use_poll=True, ident="cstograph", channel_timeout=30,
                      cleanup_interval=1)
    socket_map = {}
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    TcpWSGIServer(app, socket_map, _start=True, _sock=listener, dispatcher=dispatcher, adj=adj, bind_socket=False,
                  sockinfo=(listener.family, listener.type, listener.proto, listener.getsockname()))
    print(listener.getsockname()[1], flush=True)
    wasyncore.loop(timeout=1.0, map=socket_map, use_poll=True)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, concurrency: int, duration: float) -> tuple[float, float]:
    """(p50 in µs, requests per second)."""
    cmd = ["wrk", "-t", str(min(concurrency, 2)), "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
           "--latency"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    value, unit = re.search(r"\n\s+50%\s+([\d.]+)(\w+)", out).groups()  # type: ignore[union-attr]
    p50 = float(value) * {"us": 1, "ms": 1000, "s": 1_000_000}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return p50, rps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk (Debian package) is needed", file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    results: dict[str, dict[int, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("cstograph", "waitress"):
            proc = subprocess.Popen([sys.executable, "-c", _SERVE % {"body": BODY}, kind, str(args.threads)],
                                    stdout=subprocess.PIPE, env=env, text=True)
            try:
                port = int(proc.stdout.readline())  # type: ignore[union-attr]
                url = f"http://127.0.0.1:{port}/"
                wrk(url, 1, 1)  # warm
                results[kind] = {c: wrk(url, c, args.duration) for c in (1, 4)}
            finally:
                proc.terminate()
                proc.wait(10)
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if Path(oxigraph).exists():
            port = free_port()
            peer = subprocess.Popen([oxigraph, "serve", "--location", str(Path(tmp) / "ox"), "--bind",
                                     f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                url = f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"
                for _ in range(100):
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                wrk(url, 1, 1)
                results["oxigraph (ASK {})"] = {c: wrk(url, c, args.duration) for c in (1, 4)}
            finally:
                peer.terminate()
                peer.wait(10)
    print(f"{'server':<20} {'c':>2} {'p50 µs':>9} {'req/s':>9}")
    for kind, by_c in results.items():
        for c, (p50, rps) in by_c.items():
            print(f"{kind:<20} {c:>2} {p50:9.0f} {rps:9.0f}")
    for c in (1, 4):
        mine, theirs = results["cstograph"][c], results["waitress"][c]
        print(f"c = {c}: cstograph / waitress p50 {mine[0] / theirs[0]:.2f}×, throughput {mine[1] / theirs[1]:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
