"""Load test of ``cstograph serve`` on the built graph (issue 10): many clients of cheap traffic — example
queries, page views, dump downloads — first alone, then with clients sending runaway queries in a loop.

Bounded in time and requests, loopback only. The cheap traffic comes from ``wrk`` (Debian package) with a
Lua script cycling through the mix; the runaway clients are Python threads that record, for each runaway,
how long its 503 took. Prints requests, errors, p50/p99 of the cheap traffic with and without runaways and
their ratio, the runaways' answers against the limit + 1 s, and the server's memory (PSS summed over its
processes: shared pages counted once).

    python bench/load_bench.py                          # 50 clients, 2 runaway clients, 20 s per phase
    python bench/load_bench.py --clients 100 --runaway-clients 4 --duration 30
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cstograph.config import Settings
from cstograph.pipeline import DATASET_NQ, build
from cstograph.queries import load_queries

BIN = Path(sys.executable).parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cheap_mix(settings: Settings) -> list[str]:
    """Paths of the cheap traffic: every example query (default parameters), pages, the dump."""
    paths = [f"/queries/examples/{name}" for name in load_queries(settings.queries_dir, "examples")]
    paths += ["/id/state/ARM.html", "/id/state/KAZ.ttl", "/id/organization/csto.html", "/", "/health",
              "/timeline", "/.well-known/void", "/ontology"]
    paths += ["/dumps/cstograph.nq"]  # one download per cycle of the mix
    return paths


def lua_script(paths: list[str]) -> str:
    items = ", ".join(json.dumps(p) for p in paths)
    return f"""
paths = {{ {items} }}
counter = 0
request = function()
  counter = counter + 1
  local accept = "application/sparql-results+json, text/html;q=0.9, */*;q=0.1"
  return wrk.format("GET", paths[(counter % #paths) + 1], {{ ["Accept"] = accept }})
end
"""


@dataclass
class WrkResult:
    requests: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    per_second: float = 0.0
    raw: str = ""


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(url: str, script: Path, *, clients: int, duration: float, threads: int = 2) -> WrkResult:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{duration:g}s", "--latency", "--timeout", "10s",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    result = WrkResult(raw=out)
    for label, attr in (("50%", "p50_ms"), ("99%", "p99_ms")):
        m = re.search(rf"{re.escape(label)}\s+([\d.]+)(us|ms|s|m)\b", out)
        if m:
            setattr(result, attr, _ms(m.group(1), m.group(2)))
    m = re.search(r"(\d+) requests in", out)
    result.requests = int(m.group(1)) if m else 0
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)",
                    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"):
        m = re.search(pattern, out)
        if m:
            errors += sum(int(g) for g in m.groups())
    result.errors = errors
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result.per_second = float(m.group(1)) if m else 0.0
    return result


@dataclass
class Runaways:
    url: str
    limit: float
    clients: int
    seconds: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _loop(self) -> None:
        data = urllib.parse.urlencode({"query": RUNAWAY}).encode()
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(urllib.request.Request(self.url + "/sparql", data=data),  # noqa: S310
                                            timeout=self.limit + 30) as r:
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            self.seconds.append(time.monotonic() - started)
            self.statuses.append(status)

    def __enter__(self) -> Runaways:
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(self.clients)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(self.limit + 30)


def tree_memory(root: int) -> tuple[float, float, int]:
    """(PSS MiB, RSS MiB, processes) of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    todo, pids = [root], []
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    pss = rss = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
    return pss / 1024, rss / 1024, len(pids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--runaway-clients", type=int, default=2)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query time limit")
    parser.add_argument("--serve-args", default="", help="extra arguments for cstograph serve")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("load_bench: needs wrk (apt-get install wrk)")
    settings = Settings.discover()
    dataset = build(settings).path / DATASET_NQ
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="cstograph-load-"))
    script = work / "mix.lua"
    script.write_text(lua_script(cheap_mix(settings)))
    log = (work / "server.log").open("wb")
    server = subprocess.Popen([str(BIN / "cstograph"), "serve", "--data", str(dataset), "--port", str(port),
                               "--timeout", str(args.timeout), *args.serve_args.split()],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"server did not start; see {work / 'server.log'}")
                time.sleep(0.2)
        run_wrk(url, script, clients=args.clients, duration=3)  # warm up
        idle_pss, idle_rss, nprocs = tree_memory(server.pid)
        alone = run_wrk(url, script, clients=args.clients, duration=args.duration)
        with Runaways(url, args.timeout, args.runaway_clients) as runaways:
            mixed = run_wrk(url, script, clients=args.clients, duration=args.duration)
            busy_pss, busy_rss, _ = tree_memory(server.pid)
        metrics = json.loads(urllib.request.urlopen(url + "/metrics", timeout=10).read())  # noqa: S310
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    late = [s for s in runaways.seconds if s > args.timeout + 1.0]
    print(f"load_bench: {args.clients} clients of cheap traffic ({len(cheap_mix(settings))} paths: example queries, "
          f"pages, the dump), {args.duration:g} s per phase; {args.runaway_clients} runaway clients in phase 2; "
          f"query limit {args.timeout:g} s")
    print(f"{'phase':<22}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, r in (("cheap alone", alone), ("cheap + runaways", mixed)):
        print(f"{name:<22}{r.requests:>10}{r.errors:>8}{r.per_second:>9.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}")
    ratio = mixed.p99_ms / alone.p99_ms if alone.p99_ms else float("nan")
    print(f"p99 with runaways / alone: {ratio:.2f}×; p50: {mixed.p50_ms / alone.p50_ms if alone.p50_ms else 0:.2f}×")
    kinds = {s: runaways.statuses.count(s) for s in sorted(set(runaways.statuses))}
    worst = max(runaways.seconds) if runaways.seconds else 0.0
    print(f"runaways: {len(runaways.seconds)} sent, statuses {kinds}, time to answer median "
          f"{statistics.median(runaways.seconds) if runaways.seconds else 0:.2f} s, max {worst:.2f} s; "
          f"{len(late)} later than the limit + 1 s ({args.timeout + 1:g} s)")
    print(f"memory: idle {idle_pss:.0f} MiB PSS ({idle_rss:.0f} MiB RSS) in {nprocs} processes; under load "
          f"{busy_pss:.0f} MiB PSS ({busy_rss:.0f} MiB RSS)")
    shown = {k: metrics[k] for k in ("requests", "timeouts", "busy", "crashes", "errors")}
    print(f"server metrics: {json.dumps(shown)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
