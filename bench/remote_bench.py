"""The remote-store front against the server it fronts: each example query (its parameters bound by a
``VALUES`` block) sent straight to the server as a form-encoded POST with the project's graphs, and the same
query sent to ``cstograph serve --store URL --result-cache-mb 0`` (``/sparql``: parsed, checked, and sent
on by the web worker, so every request crosses the front); p50 of each over the same number of runs, timed
in turns, for ``oxigraph serve`` and Virtuoso (both started here on 127.0.0.1 and stopped by PID, as the
tests do). The ``named`` column is ``/queries/examples/<name>`` on the same front: answered from the snapshot
(computed from the server at start-up), never asking the server.

    python bench/remote_bench.py [--runs 20] [--servers oxigraph virtuoso] [--accept text/csv]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))


def _p50_pair(first, second, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """p50 of two calls timed in turns (first, second, first, …): a drift of the server's speed during the
    runs (its caches, the machine's load) then weighs on both alike."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, into in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            fn()
            into.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def _p50(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _fetch(url: str, data: bytes | None = None, accept: str = "text/csv") -> bytes:
    headers = {"Accept": accept}
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback only
            return r.read()
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url}: {exc.code}: {exc.read().decode(errors='replace')}") from exc


def main() -> None:
    from tests.conftest import start_server, stop_server
    from tests.store.servers import oxigraph_server, virtuoso_server

    from cstograph.cli import main as cli
    from cstograph.config import Settings
    from cstograph.namespaces import GRAPH
    from cstograph.pipeline import build
    from cstograph.queries import load_queries
    from cstograph.store import RemoteStore, bind_values, named_substitutions

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--servers", nargs="+", default=["oxigraph", "virtuoso"])
    parser.add_argument("--accept", default="text/csv", help="the results format both clients ask for")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cstograph-remote-"))
    settings = Settings.discover(project_dir=PROJECT, build_dir=tmp / "build")
    build(settings)
    queries = load_queries(PROJECT / "queries", "examples")
    try:
        for name in args.servers:
            start = oxigraph_server if name == "oxigraph" else virtuoso_server
            with start(tmp / name) as server:
                with contextlib.redirect_stdout(io.StringIO()):
                    cli(["--build-dir", str(settings.build_dir), "publish", "--to", server.graph_store_url])
                graphs = RemoteStore(server.query_url, graph_prefix=str(GRAPH)).graph_names()
                front = start_server(["--store", server.query_url, "--result-cache-mb", "0"], tmp / f"front-{name}.log",
                                     timeout=240)
                ratios = []
                try:
                    print(f"\n== {name}: p50 over {args.runs} runs (ms), Accept: {args.accept}")
                    print(f"{'query':<36} {'direct':>8} {'front':>8} {'ratio':>6} {'named':>8}")
                    for qname, query in sorted(queries.items()):
                        text = bind_values(query.text, named_substitutions(query, {}))
                        form = [("query", text)] + [("default-graph-uri", g) for g in graphs] + [
                            ("named-graph-uri", g) for g in graphs]
                        body = urllib.parse.urlencode(form).encode()
                        mine = urllib.parse.urlencode([("query", text)]).encode()
                        direct, through = _p50_pair(lambda b=body: _fetch(server.query_url, b, args.accept),
                                                    lambda b=mine, f=front.sparql: _fetch(f, b, args.accept),
                                                    args.runs)
                        url = f"{front.url}/queries/examples/{qname}"
                        named = _p50(lambda u=url: _fetch(u, None, args.accept), args.runs)
                        ratios.append(through / direct)
                        print(f"{qname:<36} {direct * 1000:8.1f} {through * 1000:8.1f} {through / direct:5.2f}× "
                              f"{named * 1000:8.1f}", flush=True)
                    print(f"{'median ratio':<36} {'':>8} {'':>8} {statistics.median(ratios):5.2f}×  "
                          f"(range {min(ratios):.2f}–{max(ratios):.2f}×; load average {os.getloadavg()[0]:.1f})")
                finally:
                    stop_server(front)

    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
