"""Load test of ``cstograph serve`` on the built graph (issue 10): many clients of cheap traffic, first alone,
then with clients sending runaway queries in a loop — for two kinds of cheap traffic:

- **site**: the example queries (default parameters), page views, VoID, the ontology, a dump download — what
  the snapshot and the answer cache serve without a sandbox;
- **ad hoc**: cheap queries a client writes (a state's memberships, events of a year, labels…), each one new
  to the server (a counter in a comment), so that every one is evaluated by a query sandbox — the traffic
  runaways compete with for sandboxes.

Bounded in time, loopback only. The cheap traffic comes from ``wrk`` (Debian package) with a Lua script; the
runaway clients are Python threads that record, for each runaway, how long its 503 took. Prints requests,
errors, p50/p99 of the cheap traffic alone and with each number of runaway clients, their ratio, the runaways'
answers against the limit + 1 s, and the server's memory (PSS summed over its processes).

    python bench/load_bench.py                          # 50 clients; 2 and 8 runaway clients; 20 s per phase
    python bench/load_bench.py --clients 100 --runaway-clients 4 16 --duration 30 --mix adhoc
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


ADHOC = [  # cheap queries a client might write; each request adds a new comment, so none is answered from a cache
    "PREFIX cst: <https://w3id.org/cstograph/ontology#> SELECT ?m ?start WHERE { ?m cst:member "
    "<https://w3id.org/cstograph/id/state/ARM> ; cst:startDate ?start } ORDER BY ?start",
    "PREFIX cst: <https://w3id.org/cstograph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?label WHERE { ?s a cst:State ; rdfs:label ?label FILTER(LANG(?label) = 'en') } ORDER BY ?label",
    "PREFIX cst: <https://w3id.org/cstograph/ontology#> SELECT ?e ?date WHERE { ?e cst:date ?date "
    "FILTER(STRSTARTS(STR(?date), '2022')) } LIMIT 50",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { "
    "<https://w3id.org/cstograph/id/organization/csto> rdfs:label ?label }",
    "ASK { ?s ?p <https://w3id.org/cstograph/id/state/KAZ> }",
]


def adhoc_script(queries: list[str]) -> str:
    """POST /sparql (form) cycling through ``queries``, each made new by a counter in a comment."""
    items = ", ".join(json.dumps(q) for q in queries)
    return f"""
queries = {{ {items} }}
counter = 0
local function escape(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  counter = counter + 1
  local text = queries[(counter % #queries) + 1] .. "\\n# " .. tostring(counter) .. "-" .. tostring(math.random(1e9))
  local headers = {{ ["Content-Type"] = "application/x-www-form-urlencoded",
                     ["Accept"] = "application/sparql-results+json" }}
  return wrk.format("POST", "/sparql", headers, "query=" .. escape(text))
end
"""


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
    run = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{duration:g}s", "--latency", "--timeout", "10s",
                          "-s", str(script), url], capture_output=True, text=True, check=True)
    if run.stderr.strip():  # a Lua error: wrk would go on with its default request (GET /), measuring another load
        sys.exit(f"load_bench: wrk could not use {script}: {run.stderr.strip()}")
    out = run.stdout
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


@dataclass
class Phase:
    mix: str
    runaway_clients: int
    cheap: WrkResult
    runaways: Runaways | None = None


def _start_server(args: argparse.Namespace, dataset: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as handle:
        server = subprocess.Popen([str(BIN / "cstograph"), "serve", "--data", str(dataset), "--port", str(port),
                                   "--timeout", str(args.timeout), *args.serve_args.split()],
                                  stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/health", timeout=2).read()  # noqa: S310 - loopback
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                os.killpg(server.pid, signal.SIGTERM)
                sys.exit(f"server did not start; see {log}")
            time.sleep(0.2)


def _run_phases(args: argparse.Namespace, url: str, scripts: dict[str, Path]) -> list[Phase]:
    phases: list[Phase] = []
    for mix, script in scripts.items():
        run_wrk(url, script, clients=args.clients, duration=3)  # warm up
        phases.append(Phase(mix, 0, run_wrk(url, script, clients=args.clients, duration=args.duration)))
        for n in args.runaway_clients:
            with Runaways(url, args.timeout, n) as runaways:
                cheap = run_wrk(url, script, clients=args.clients, duration=args.duration)
            phases.append(Phase(mix, n, cheap, runaways))
    return phases


def _print_report(args: argparse.Namespace, phases: list[Phase], sizes: dict[str, int]) -> None:
    print(f"load_bench: {args.clients} clients of cheap traffic, {args.duration:g} s per phase; query limit "
          f"{args.timeout:g} s; mixes: " + ", ".join(f"{m} ({n} kinds of request)" for m, n in sizes.items()))
    print(f"{'mix':<8}{'runaway clients':>16}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'p99 ×':>7}   runaways: sent, statuses, answer median / max s, later than limit + 1 s")
    alone: dict[str, WrkResult] = {}
    for ph in phases:
        r = ph.cheap
        if ph.runaway_clients == 0:
            alone[ph.mix] = r
        base = alone.get(ph.mix)
        ratio = r.p99_ms / base.p99_ms if base and base.p99_ms else float("nan")
        line = (f"{ph.mix:<8}{ph.runaway_clients:>16}{r.requests:>10}{r.errors:>8}{r.per_second:>9.1f}"
                f"{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{ratio:>7.2f}")
        if ph.runaways is not None and ph.runaways.seconds:
            ra = ph.runaways
            kinds = {s: ra.statuses.count(s) for s in sorted(set(ra.statuses))}
            late = sum(1 for s in ra.seconds if s > args.timeout + 1.0)
            line += (f"   {len(ra.seconds)}, {kinds}, {statistics.median(ra.seconds):.2f} / {max(ra.seconds):.2f}, "
                     f"{late}")
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--runaway-clients", type=int, nargs="+", default=[2, 8],
                        help="numbers of runaway clients, one phase each (default: 2 8)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query time limit")
    parser.add_argument("--mix", choices=("site", "adhoc", "both"), default="both")
    parser.add_argument("--serve-args", default="", help="extra arguments for cstograph serve")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("load_bench: needs wrk (apt-get install wrk)")
    settings = Settings.discover()
    dataset = build(settings).path / DATASET_NQ
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="cstograph-load-"))
    scripts: dict[str, Path] = {}
    sizes: dict[str, int] = {}
    if args.mix in ("site", "both"):
        scripts["site"] = work / "site.lua"
        scripts["site"].write_text(lua_script(cheap_mix(settings)))
        sizes["site"] = len(cheap_mix(settings))
    if args.mix in ("adhoc", "both"):
        scripts["adhoc"] = work / "adhoc.lua"
        scripts["adhoc"].write_text(adhoc_script(ADHOC))
        sizes["adhoc"] = len(ADHOC)
    server = _start_server(args, dataset, port, work / "server.log")
    try:
        idle_pss, idle_rss, nprocs = tree_memory(server.pid)
        phases = _run_phases(args, url, scripts)
        busy_pss, busy_rss, _ = tree_memory(server.pid)
        metrics = json.loads(urllib.request.urlopen(url + "/metrics", timeout=10).read())  # noqa: S310
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    _print_report(args, phases, sizes)
    print(f"memory: idle {idle_pss:.0f} MiB PSS ({idle_rss:.0f} MiB RSS) in {nprocs} processes; after the load "
          f"{busy_pss:.0f} MiB PSS ({busy_rss:.0f} MiB RSS)")
    shown = {k: metrics[k] for k in ("requests", "timeouts", "busy", "crashes", "errors")}
    print(f"server metrics: {json.dumps(shown)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
