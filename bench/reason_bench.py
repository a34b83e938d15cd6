"""Closure time: owlrl vs the project's fast engine vs ``reasonable`` (Rust OWL 2 RL), same input.

    python bench/reason_bench.py                          # real data + synthetic 10k, 100k, 1M
    python bench/reason_bench.py --sizes 10000 100000 --timeout 300
    python bench/reason_bench.py --profile 10000          # where owlrl spends its time (cProfile)

Each run is a separate process (so a cap can stop it and memory is returned) that parses ontology +
data first and times only the reasoning: ``reason(…, engine=…)`` for owlrl and fast (closure, minus
asserted, minus trivial, as published), ``PyReasoner.reason()`` for reasonable (raw closure). A run over
the cap is reported as "did not finish in N s". The table gives seconds, the ratio to reasonable, and each
engine's growth exponent k (time ∝ size^k, least squares on log-log over the synthetic sizes).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ONTOLOGY = PROJECT / "ontology" / "cstograph.ttl"
ENGINES = ("owlrl", "fast", "reasonable")


def _load(data: list[Path]):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    graphs = [Graph().parse(ONTOLOGY)]
    for path in data:
        graphs.append(Graph().parse(path, format="nt" if path.suffix == ".nt" else "turtle"))
    return graphs


def run_one(engine: str, data: list[Path]) -> dict[str, object]:
    """Time one engine on ontology + ``data`` (in this process)."""
    graphs = _load(data)
    size = sum(len(g) for g in graphs)
    if engine == "reasonable":
        import reasonable

        r = reasonable.PyReasoner()
        for g in graphs:
            r.from_graph(g)
        started = time.perf_counter()
        out = r.reason()
        seconds = time.perf_counter() - started
        return {"engine": engine, "input": size, "output": len(out), "seconds": seconds}
    from cstograph.reason import reason

    started = time.perf_counter()
    result = reason(graphs, engine=engine)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {"engine": result.engine, "input": size, "output": len(result.inferred), "seconds": seconds}


def measure(engine: str, data: list[Path], timeout: float) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--one", engine, *map(str, data)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "timeout": timeout}
    if proc.returncode:
        return {"engine": engine, "error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _cell(r: dict[str, object]) -> str:
    if "timeout" in r:
        return f"did not finish in {r['timeout']:.0f} s"
    if "error" in r:
        return "error"
    if "skipped" in r:
        return "not run (did not finish on a smaller input)"
    return f"{r['seconds']:.2f}"


def _ratio(r: dict[str, object], ref: dict[str, object]) -> str:
    if "seconds" in r and "seconds" in ref and ref["seconds"]:
        return f"{r['seconds'] / ref['seconds']:.1f}×"  # type: ignore[operator]
    return "–"


def growth(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) over log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else None


def profile(size: int) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(HERE))
    from synth import write_ntriples

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synth.nt"
        write_ntriples(size, path)
        graphs = _load([path])
        from cstograph.reason import reason

        prof = cProfile.Profile()
        prof.enable()
        reason(graphs, engine="owlrl")
        prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


Row = tuple[str, object, dict[str, dict[str, object]]]


def _inputs(sizes: list[int], *, real: bool) -> list[tuple[str, int | None, list[Path]]]:
    """(label, synthetic size or None, files): the real data, then one synthetic file per size."""
    sys.path.insert(0, str(HERE))
    from synth import write_ntriples

    inputs: list[tuple[str, int | None, list[Path]]] = []
    if real:
        inputs.append(("real data", None, sorted((PROJECT / "data").glob("*.ttl"))))
    tmp = Path(tempfile.mkdtemp(prefix="cstograph-bench-"))
    for n in sizes:
        path = tmp / f"synth-{n}.nt"
        write_ntriples(n, path)
        inputs.append((f"synthetic {n:,}", n, [path]))
    return inputs


def _run_all(inputs: list[tuple[str, int | None, list[Path]]], engines: list[str],
             timeout: float) -> tuple[list[Row], dict[str, list[tuple[int, float]]]]:
    """Every engine on every input; an engine that timed out is not run on larger inputs."""
    rows: list[Row] = []
    points: dict[str, list[tuple[int, float]]] = {e: [] for e in engines}
    skip: set[str] = set()
    for label, n, data in inputs:
        results: dict[str, dict[str, object]] = {}
        for engine in engines:
            r = {"engine": engine, "skipped": True} if engine in skip else measure(engine, data, timeout)
            results[engine] = r
            if n is not None and "timeout" in r:
                skip.add(engine)
            if n is not None and "seconds" in r:
                points[engine].append((int(r["input"]), float(r["seconds"])))  # type: ignore[call-overload, arg-type]
            if "skipped" not in r:
                print(f"  {label:<20} {engine:<11} {_cell(r)}", file=sys.stderr, flush=True)
        size = next((r["input"] for r in results.values() if "input" in r), "?")
        rows.append((label, size, results))
    return rows, points


def _print_table(rows: list[Row], engines: list[str]) -> None:
    ref = "reasonable" if "reasonable" in engines else None
    others = [e for e in engines if e != ref] if ref else []
    head = ["input", "triples"] + [f"{e} s" for e in engines] + [f"{e}/{ref}" for e in others]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, size, results in rows:
        cells = [label, f"{size:,}" if isinstance(size, int) else str(size)]
        cells += [_cell(results[e]) for e in engines]
        cells += [_ratio(results[e], results[ref]) for e in others] if ref else []
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--timeout", type=float, default=600, help="cap per run, seconds")
    parser.add_argument("--no-real", action="store_true", help="skip the real data")
    parser.add_argument("--one", nargs="+", metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=int, metavar="SIZE", help="profile owlrl on synthetic data")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], [Path(p) for p in args.one[1:]])))
        return
    if args.profile:
        profile(args.profile)
        return
    rows, points = _run_all(_inputs(args.sizes, real=not args.no_real), args.engines, args.timeout)
    _print_table(rows, args.engines)
    print()
    for e in args.engines:
        k = growth(points[e])
        print(f"growth exponent ({e}): " + ("–" if k is None else f"time ∝ size^{k:.2f}")
              + f" over {len(points[e])} synthetic sizes")


if __name__ == "__main__":
    main()
