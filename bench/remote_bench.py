"""The remote-store front against the server it fronts: each example query sent straight to the server
(a form-encoded POST with its parameters bound) and through ``cstograph serve --store URL``
(``/queries/examples/<name>``), p50 of each over the same number of runs, for ``oxigraph serve`` and
Virtuoso (both started here on 127.0.0.1 and stopped by PID, as the tests do).

    python bench/remote_bench.py [--runs 20] [--servers oxigraph virtuoso]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))


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
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback only
        return r.read()


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
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cstograph-remote-"))
    settings = Settings.discover(project_dir=PROJECT, build_dir=tmp / "build")
    build(settings)
    queries = load_queries(PROJECT / "queries", "examples")
    for name in args.servers:
        start = oxigraph_server if name == "oxigraph" else virtuoso_server
        with start(tmp / name) as server:
            cli(["--build-dir", str(settings.build_dir), "publish", "--to", server.graph_store_url])
            graphs = RemoteStore(server.query_url, graph_prefix=str(GRAPH)).graph_names()
            front = start_server(["--store", server.query_url], tmp / f"front-{name}.log", timeout=240)
            ratios = []
            try:
                print(f"\n== {name}: p50 over {args.runs} runs (ms)")
                print(f"{'query':<36} {'direct':>8} {'front':>8} {'ratio':>6}")
                for qname, query in sorted(queries.items()):
                    text = bind_values(query.text, named_substitutions(query, {}))
                    form = [("query", text)] + [("default-graph-uri", g) for g in graphs] + [
                        ("named-graph-uri", g) for g in graphs]
                    body = urllib.parse.urlencode(form).encode()
                    direct = _p50(lambda b=body: _fetch(server.query_url, b), args.runs)
                    url = f"{front.url}/queries/examples/{qname}"
                    through = _p50(lambda u=url: _fetch(u), args.runs)
                    ratios.append(through / direct)
                    print(f"{qname:<36} {direct * 1000:8.1f} {through * 1000:8.1f} {through / direct:5.2f}×",
                          flush=True)
                print(f"{'median ratio':<36} {'':>8} {'':>8} {statistics.median(ratios):5.2f}×")
            finally:
                stop_server(front)


if __name__ == "__main__":
    main()
