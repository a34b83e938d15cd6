"""The pipeline at scale, each stage against its fastest peer on the same input, in one run.

For each size, synthetic data (``bench/synth.py``, valid: it passes the shapes) is added to a copy of the
project as ``data/synth.ttl``, and:

- load      ours (``cstograph.load.load_store``: one named graph per file, file:line:column errors)
            vs pyoxigraph's bulk load of the same files into one store;
- validate  ours (SHACL Core by pyshacl-turbo on the store + our SHACL-SPARQL in Oxigraph) vs
            pyshacl-turbo doing all of it, on the same store (same results checked);
- reason    ours (the fast engine, from the store and back into it) vs ``reasonable`` (Rust) on the same
            triples. Not like work: ``reasonable`` implements neither property chains nor inferred
            domains (it infers fewer triples; both counts are printed);
- build     ``cstograph build --store DIR`` in a child process: wall time, peak RSS, stage seconds; then
            ``build --force`` on unchanged data (nothing re-validated);
- serve     ``cstograph serve --store DIR``: seconds until /health answers, resident memory before any query.

    python bench/scale_bench.py                      # 10k, 100k, 1M
    python bench/scale_bench.py --sizes 10000 100000
    python bench/scale_bench.py --serve-only ROOT --runs 5   # serve only, on a project ROOT already built with
                                                             # `cstograph --project ROOT build --store ROOT/store`
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))


def _project(n: int, tmp: Path) -> Path:
    from synth import write_ntriples  # type: ignore[import-not-found]

    root = tmp / f"project-{n}"
    for sub in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(PROJECT / sub, root / sub)
    write_ntriples(n, root / "data" / "synth.ttl")
    return root


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def _turbo_alone(root: Path, timeout: float) -> tuple[float, object, object]:
    """pyshacl-turbo doing all the validation (its own SHACL-SPARQL too) on the same store, in a child
    process with a time limit: (seconds or nan, results, conforms)."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(HERE)!r})
import pyshacl_turbo
from pathlib import Path
from cstograph.config import Settings
from cstograph.load import load_graph, load_store
from cstograph.namespaces import RDF, SH
s = Settings.discover(project_dir=Path({str(root)!r}), build_dir=Path({str(root)!r}) / 'build')
store = load_store([s.ontology_file, *s.data_files()], data_dir=s.data_dir)
shapes = load_graph(s.shape_files())
t = time.perf_counter()
conforms, report, _ = pyshacl_turbo.validate(store.oxigraph, shacl_graph=shapes, inference='none', advanced=True,
                                             allow_warnings=True, allow_infos=True)
print(json.dumps([time.perf_counter() - t, len(set(report.subjects(RDF.type, SH.ValidationResult))), conforms]))
"""
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return float("nan"), f"did not finish in {timeout:.0f} s", "?"
    seconds, results, conforms = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(seconds), results, conforms


def stages(root: Path, timeout: float = 900.0) -> dict[str, object]:
    """Load, validate and reason in this process, each against its peer."""
    import pyoxigraph as ox
    import reasonable

    from cstograph.config import Settings
    from cstograph.load import load_graph, load_store
    from cstograph.reason import reason_store
    from cstograph.validate import validate_store

    settings = Settings.discover(project_dir=root, build_dir=root / "build")
    files = [settings.ontology_file, *settings.data_files()]
    store, t_load = _timed(load_store, files, data_dir=settings.data_dir)
    peer = ox.Store()

    def bulk() -> None:
        for f in files:
            peer.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.resolve().as_uri()))

    _, t_load_peer = _timed(bulk)
    shapes = load_graph(settings.shape_files())
    outcome, t_val = _timed(validate_store, store.oxigraph, shapes)
    t_val_peer, peer_results, conforms = _turbo_alone(root, timeout)
    run, t_reason = _timed(reason_store, store)
    r = reasonable.PyReasoner()
    for f in files:
        r.load_file(str(f))
    out, t_reason_peer = _timed(r.reason)
    return {
        "triples": len(store) - run.inferred_triples,
        "load": (t_load, t_load_peer),
        "validate": (t_val, t_val_peer, len(outcome.results), peer_results, outcome.conforms, conforms),
        "reason": (t_reason, t_reason_peer, run.inferred_triples, len(out)),
    }


def build(root: Path) -> dict[str, object]:
    """``cstograph build --store`` then ``build --force`` as child processes: wall time and peak RSS."""
    exe = shutil.which("cstograph", path=os.path.dirname(sys.executable)) or "cstograph"
    out: dict[str, object] = {}
    for label, extra in (("build", []), ("force", ["--force"])):
        started = time.perf_counter()
        err = root / f"{label}.err"
        with err.open("wb") as handle:
            proc = subprocess.Popen([exe, "--project", str(root), "--build-dir", str(root / "build"), "build",
                                     "--store", str(root / "store"), *extra], stdout=subprocess.DEVNULL, stderr=handle)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        seconds = time.perf_counter() - started
        manifest = json.loads((root / "build" / "current" / "manifest.json").read_text())
        out[label] = {"rc": os.waitstatus_to_exitcode(status), "seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
                      "stages": manifest["seconds"], "validation": manifest.get("validation"),
                      "closure_reused": manifest["reasoning"]["closure_reused"],
                      "error": err.read_text(errors="replace")[-500:]}
    return out


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(root: Path) -> dict[str, float]:
    """Seconds from ``serve --store DIR`` to a /health answer; RSS of the serving root and of its whole tree."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = shutil.which("cstograph", path=os.path.dirname(sys.executable)) or "cstograph"
    started = time.perf_counter()
    proc = subprocess.Popen([exe, "--project", str(root), "serve", "--store", str(root / "store"),
                             "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):  # noqa: S310 - loopback
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 120:
                    return {"ready": float("nan")}
                time.sleep(0.01)
        ready = time.perf_counter() - started
        time.sleep(1.0)
        tree = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
        pids = [proc.pid, *map(int, tree.split())]
        grand = subprocess.run(["ps", "-o", "pid=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
        pids = sorted(set(pids) | set(map(int, grand.split())))
        alive = [p for p in pids if Path(f"/proc/{p}").exists()]
        return {"ready": ready, "root_mb": _rss_mb(proc.pid), "tree_mb": sum(_rss_mb(p) for p in alive),
                "processes": len(alive)}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--peer-timeout", type=float, default=900.0, help="seconds pyshacl-turbo alone may take")
    parser.add_argument("--serve-only", type=Path, metavar="ROOT",
                        help="only time `serve --store ROOT/store` on a project already built there")
    parser.add_argument("--runs", type=int, default=1, help="serve starts to time (with --serve-only)")
    args = parser.parse_args()
    if args.serve_only:
        for _ in range(args.runs):
            v = serve(args.serve_only.resolve())
            print(f"serve --store DIR: ready {v['ready']:.2f} s, root {v.get('root_mb', 0):.0f} MB, "
                  f"{v.get('processes', 0)} processes {v.get('tree_mb', 0):.0f} MB before any query "
                  f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        return
    tmp = Path(tempfile.mkdtemp(prefix="cstograph-scale-"))
    try:
        for n in args.sizes:
            root = _project(n, tmp)
            s = stages(root, args.peer_timeout)
            b = build(root)
            v = serve(root)
            (tl, tlp), val, rea = s["load"], s["validate"], s["reason"]  # type: ignore[misc]
            print(f"\n== synthetic {n:,} (+ the project): {s['triples']:,} asserted triples")
            print(f"load      ours {tl:8.2f} s   pyoxigraph bulk load {tlp:8.2f} s   ratio {tl / tlp:5.2f}×")
            print(f"validate  ours {val[0]:8.2f} s   pyshacl-turbo        {val[1]:8.2f} s   "
                  f"ratio {val[0] / val[1]:5.2f}×"
                  f"   results {val[2]} / {val[3]}, conforms {val[4]} / {val[5]}")
            print(f"reason    ours {rea[0]:8.2f} s   reasonable           {rea[1]:8.2f} s   "
                  f"ratio {rea[0] / rea[1]:5.2f}×"
                  f"   output {rea[2]:,} published inferred / {rea[3]:,} (reasonable's whole closure, asserted "
                  "included; it implements no chains, no inferred domains)")
            for label in ("build", "force"):
                r = b[label]  # type: ignore[index]
                print(f"{'build' if label == 'build' else 'build --force':<14} {r['seconds']:8.2f} s  peak RSS "
                      f"{r['peak_mb']:7.0f} MB  rc {r['rc']}  stages {r['stages']}  validation {r['validation']}")
                if r["rc"]:
                    print("   ", r["error"])
            print(f"serve --store DIR: ready {v['ready']:.2f} s, root {v.get('root_mb', 0):.0f} MB, "
                  f"{v.get('processes', 0)} processes {v.get('tree_mb', 0):.0f} MB before any query", flush=True)
            shutil.rmtree(root, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
