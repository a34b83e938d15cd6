"""Which SPARQL engine should answer the endpoint's queries? rdflib's evaluator vs Oxigraph (pyoxigraph).

Runs every named query of queries/examples/ (with its default parameters, bound by substitution in
both engines: rdflib ``initBindings``, Oxigraph SEP-0007 ``substitutions``) on the same data — the
project's asserted data by default, optionally plus synthetic data of the same shape (bench/synth.py) —
and prints the median time per query for both engines, the ratio, and whether the answers agree.

    python bench/engine_bench.py                    # the project's data
    python bench/engine_bench.py --synth 100000     # plus ~100k synthetic triples
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from cstograph.config import Settings
from cstograph.queries import load_queries
from cstograph.store import GraphStore, named_substitutions


def data_files(settings: Settings, synth: int) -> list[Path]:
    files = [settings.ontology_file, *settings.data_files()]
    if synth:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from synth import generate  # type: ignore[import-not-found]

        out = Path(tempfile.mkdtemp()) / f"synth-{synth}.ttl"
        generate(synth).serialize(out, format="nt", encoding="utf-8")
        files.append(out)
    return files


def rdflib_dataset(files: list[Path]) -> Dataset:
    ds = Dataset(default_union=True)
    for path in files:
        ds.graph(URIRef(path.resolve().as_uri())).parse(path, format="turtle")
    return ds


def timed(fn, repeat: int, budget: float) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, value, start = [], None, time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synth", type=int, default=0, help="add this many synthetic triples (bench/synth.py)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query and engine (at most)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per query and engine (at most)")
    args = parser.parse_args()

    settings = Settings.discover()
    files = data_files(settings, args.synth)
    store = GraphStore.from_files(files)
    ds = rdflib_dataset(files)
    queries = load_queries(settings.queries_dir, "examples")
    print(f"{len(store)} quads; {len(queries)} example queries; median of ≤{args.repeat} runs\n")
    print(f"{'query':42} {'rdflib ms':>10} {'oxigraph ms':>12} {'ratio':>8}  rows rdflib/oxigraph")
    ratios = []
    failures = 0
    for name, named in queries.items():
        subs = named_substitutions(named, {})
        bindings = {k: (URIRef(v.value) if isinstance(v, ox.NamedNode) else
                        Literal(v.value, datatype=URIRef(v.datatype.value) if v.datatype else XSD.string))
                    for k, v in subs.items()}

        def run_ox(named=named, subs=subs):  # type: ignore[no-untyped-def]
            result = store.query(named.text, substitutions=subs)
            return len(list(result)) if isinstance(result, ox.QuerySolutions | ox.QueryTriples) else 1

        def run_rdflib(named=named, bindings=bindings):  # type: ignore[no-untyped-def]
            return len(list(ds.query(named.text, initBindings=bindings)))

        t_ox, n_ox = timed(run_ox, args.repeat, args.budget)
        try:
            t_rl, n_rl = timed(run_rdflib, max(3, args.repeat // 4), args.budget)
        except Exception as exc:  # noqa: BLE001 - an rdflib failure is a finding of the benchmark
            print(f"{name:42} {'error':>10} {t_ox * 1000:12.2f} {'':>8}  rdflib fails: {type(exc).__name__}: {exc}")
            failures += 1
            continue
        ratio = t_rl / t_ox if t_ox else float("inf")
        ratios.append(ratio)
        flag = "" if n_ox == n_rl else "  ← answers differ"
        print(f"{name:42} {t_rl * 1000:10.2f} {t_ox * 1000:12.2f} {ratio:7.1f}×  {n_rl}/{n_ox}{flag}")
    if ratios:
        print(f"\nmedian ratio rdflib/oxigraph: {statistics.median(ratios):.1f}×; "
              f"queries rdflib could not answer: {failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
