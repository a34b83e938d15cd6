"""What the published snapshot buys (issue 11): pages, VoID, the service description, the compliance report and
the dumps against a static file of the same size served by the same server, a resource page against the same
resource's Turtle, and ``POST /shacl`` with a small file — in one run, on the built graph, loopback only.

Each GET is measured by ``wrk`` at concurrency 1 (p50, p99) and 4 (throughput); the static file of the same
size is written into the server's own static folder for the run (same server, same stack: the ratio is the
cost of the answer itself). ``POST /shacl`` is timed sequentially.

    python bench/server_bench.py                # 3 s per measurement
    python bench/server_bench.py --duration 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cstograph.config import Settings
from cstograph.pipeline import DATASET_NQ, build

BIN = Path(sys.executable).parent
STATIC = Path(__file__).resolve().parents[1] / "src" / "cstograph" / "server" / "static"
SHACL_BODY = """@prefix cst: <https://w3id.org/cstograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/cstograph/id/person/bench-person> a cst:Person ;
  rdfs:label "Bench Person"@en , "Тестовое лицо"@ru ;
  cst:citizenOf <https://w3id.org/cstograph/id/state/ARM> ;
  cst:citation [ a cst:Citation ; cst:citedSource <https://w3id.org/cstograph/id/source/seed-003> ;
                 cst:locator "bench" ] .
<https://w3id.org/cstograph/id/membership/bench-m> a cst:Membership ;
  cst:member <https://w3id.org/cstograph/id/state/ARM> ;
  cst:memberOf <https://w3id.org/cstograph/id/organization/csto> ;
  cst:startDate "1999-01-01"^^xsd:date .
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, *, concurrency: int, duration: float, accept: str) -> tuple[float, float, float]:
    """(p50 ms, p99 ms, requests/s) of GET ``url``."""
    out = subprocess.run(["wrk", "-t", str(min(concurrency, 2)), "-c", str(concurrency), "-d", f"{duration:g}s",
                          "--latency", "--timeout", "30s", "-H", f"Accept: {accept}", "-H", "Accept-Encoding: identity",
                          url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url}: error answers under load:\n{out}")
    p50 = _ms(re.search(r"\n\s+50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\n\s+99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return p50, p99, rps


def fetch(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 - loopback only
        return r.read()  # type: ignore[no-any-return]


def shacl(url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        request = urllib.request.Request(url + "/shacl", data=SHACL_BODY.encode(), method="POST",
                                         headers={"Content-Type": "text/turtle", "Accept": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as r:  # noqa: S310 - loopback only
            r.read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk measurement")
    parser.add_argument("--shacl-runs", type=int, default=15)
    args = parser.parse_args()
    settings = Settings.discover()
    dataset = build(settings).path / DATASET_NQ
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "cstograph"), "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    statics: list[Path] = []
    try:
        for _ in range(600):
            try:
                fetch(url + "/health", "*/*")
                break
            except OSError:
                time.sleep(0.1)
        pairs = [  # (name, path, accept, compared with: "static" or a path)
            ("resource page ARM.html", "/id/state/ARM.html", "text/html", "/id/state/ARM.ttl"),
            ("resource page csto.html", "/id/organization/csto.html", "text/html", "/id/organization/csto.ttl"),
            ("home page", "/", "text/html", "static"),
            ("VoID", "/.well-known/void", "text/turtle", "static"),
            ("service description", "/sparql", "text/turtle", "static"),
            ("compliance report", "/compliance", "application/json", "static"),
            ("dump cstograph.nq", "/dumps/cstograph.nq", "*/*", "static"),
            ("ontology page", "/ontology", "text/html", "static"),
            ("timeline", "/timeline", "image/svg+xml", "static"),
        ]
        print(f"server_bench: cstograph serve on the built graph ({dataset.stat().st_size // 1024} KiB of N-Quads); "
              f"wrk {args.duration:g} s per measurement; load average {os.getloadavg()[0]:.1f}")
        print(f"{'answer':26} {'bytes':>9} | {'p50 ms':>7} {'p99 ms':>7} {'req/s c4':>9} | {'peer':20} "
              f"{'p50 ms':>7} {'req/s c4':>9} | {'p50 ×':>6} {'tput ×':>6}")
        for name, path, accept, peer in pairs:
            body = fetch(url + path, accept)
            if peer == "static":
                fd, tmp = tempfile.mkstemp(prefix="bench-", suffix=".bin", dir=STATIC)
                os.write(fd, body)
                os.close(fd)
                statics.append(Path(tmp))
                peer_path, peer_name = f"/static/{Path(tmp).name}", "static, same size"
            else:
                peer_path, peer_name = peer, peer.rsplit("/", 1)[-1]
            a50, a99, _ = wrk(url + path, concurrency=1, duration=args.duration, accept=accept)
            _, _, a_rps = wrk(url + path, concurrency=4, duration=args.duration, accept=accept)
            b50, _, _ = wrk(url + peer_path, concurrency=1, duration=args.duration, accept="*/*")
            _, _, b_rps = wrk(url + peer_path, concurrency=4, duration=args.duration, accept="*/*")
            print(f"{name:26} {len(body):>9} | {a50:7.2f} {a99:7.2f} {a_rps:9.0f} | {peer_name:20} {b50:7.2f} "
                  f"{b_rps:9.0f} | {a50 / b50:6.2f} {a_rps / b_rps:6.2f}")
        times = shacl(url, args.shacl_runs)
        print(f"POST /shacl (10 triples, with the project): p50 {statistics.median(times):.0f} ms, "
              f"min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} runs")
        metrics = json.loads(fetch(url + "/metrics", "application/json"))
        print(f"server metrics: requests {metrics['requests']}, errors {metrics['errors']}")
    finally:
        for path in statics:
            path.unlink(missing_ok=True)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
