"""The build pipeline: load → validate (SHACL) → reason (OWL 2 RL) → checks (``*-violation.rq``) → publish.

A build is written into ``build/<input-hash>/`` and published by swapping the ``build/current``
symlink atomically, so a failed build never replaces the last good one and nothing is half-written.
A build whose inputs (ontology, data, shapes, and this package's code) are unchanged is reused.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version as _dist_version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .bridge import dataset_of
from .checks import render_failures, run_checks
from .config import Settings
from .errors import ValidationFailed
from .load import load_graph, load_store
from .namespaces import PREFIXES
from .reason import Engine, closure_key, reason_store
from .snapshot import write_snapshot
from .store import DiskVersion, MemoryStore, rows, write_disk_store
from .validate import CoreEngine, ValidationOutcome, locate, validate_store

__all__ = [
    "BuildResult", "asserted_sources", "asserted_store", "build", "dataset_stats", "input_files", "input_hash",
    "prune", "write_dataset",
]

DATASET_NQ = "dataset.nq"
DATASET_TRIG = "dataset.trig"
VALIDATION_TTL = "validation.ttl"
MANIFEST = "manifest.json"
#: How many finished builds (and reasoning closures, validation reports) are kept beside the current one.
KEEP_BUILDS = 3


@dataclass(frozen=True, slots=True)
class BuildResult:
    path: Path
    reused: bool
    conforms: bool
    manifest: dict[str, object]
    validation: ValidationOutcome | None = None
    #: with ``store_dir``: the store version now current, and whether it was reused (already current)
    store: DiskVersion | None = None


def input_files(settings: Settings) -> list[Path]:
    """Everything a build depends on, in a stable order."""
    code = sorted(Path(__file__).resolve().parent.rglob("*.py"))
    checks = sorted((settings.queries_dir / "checks").glob("*-violation.rq"))
    return [settings.ontology_file, *settings.data_files(), *settings.shape_files(), *checks, *code]


def _hash(settings: Settings, files: list[Path], *extra: str) -> str:
    h = hashlib.sha256("\0".join(extra).encode() + b"\0")
    for path in files:
        try:
            rel = path.relative_to(settings.project_dir)
        except ValueError:
            rel = Path(path.name)
        h.update(str(rel).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def input_hash(settings: Settings) -> str:
    return _hash(settings, input_files(settings))


def validation_key(settings: Settings, shape_files: list[Path], engine: CoreEngine) -> str:
    """What a validation report depends on: ontology, data, shapes, the validation code and engines (not the
    reasoning code, the checks or the publishing code: a change there re-validates nothing)."""
    code = sorted((Path(__file__).resolve().parent / "validate").glob("*.py"))
    versions = [f"{d} {_dist_version(d)}" for d in ("pyshacl", "pyshacl-turbo", "pyoxigraph")]
    return _hash(settings, [settings.ontology_file, *settings.data_files(), *shape_files, *code], engine, *versions)


def asserted_store(settings: Settings) -> MemoryStore:
    """The ontology and every data file, each in its own named graph (raises on syntax errors)."""
    return load_store([settings.ontology_file, *settings.data_files()], data_dir=settings.data_dir)


def asserted_sources(settings: Settings) -> Dataset:
    """:func:`asserted_store` as an rdflib Dataset (for rdflib-based callers: explanations, reports)."""
    return dataset_of(asserted_store(settings).oxigraph)


def dataset_stats(store: MemoryStore | ox.Store) -> dict[str, object]:
    """Triples per named graph and instances per class (over all graphs), counted by the engine."""
    engine = store.oxigraph if isinstance(store, MemoryStore) else store
    per_graph = {r["g"].value: int(r["n"].value) for r in rows(engine.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))}
    classes = [(r["c"].value, int(r["n"].value)) for r in rows(engine.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", use_default_graph_as_union=True))]
    classes.sort(key=lambda cn: -cn[1])
    return {"triples": sum(per_graph.values()), "graphs": dict(sorted(per_graph.items())),
            "classes": dict(classes)}


def write_dataset(store: MemoryStore, nquads: Path, trig: Path | None = None) -> None:
    """Write the named graphs of ``store`` as N-Quads (and TriG, with the project's prefixes): the one writer."""
    with nquads.open("wb") as out:
        store.dump(out, format=ox.RdfFormat.N_QUADS)
    if trig is not None:
        with trig.open("wb") as out:
            store.dump(out, format=ox.RdfFormat.TRIG, prefixes={k: str(v) for k, v in PREFIXES.items()})


def prune(settings: Settings, *, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest builds and closures; never the current build. Returns what went.
    A folder is first renamed to a temporary name (``.<name>-<pid>``), so that a removal cut short leaves
    something :func:`build_lock` clears, never a half build or report that a later build would reuse."""
    current = settings.current_build.resolve() if settings.current_build.is_symlink() else None
    builds = [p for p in settings.build_dir.iterdir()
              if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file() and p.resolve() != current]
    caches = [sorted(d.glob(pattern)) if d.is_dir() else []
              for d, pattern in ((settings.build_dir / "closure", "*.nq"),
                                 (settings.build_dir / "validation", "[!.]*"))]
    removed: list[Path] = []
    for group, limit in ((builds, max(keep - 1, 0)), *((c, keep) for c in caches)):
        for old in sorted(group, key=lambda p: p.stat().st_mtime, reverse=True)[limit:]:
            if old.is_dir():
                doomed = old.with_name(f".{old.name}-{os.getpid()}")
                os.rename(old, doomed)
                shutil.rmtree(doomed)
            else:
                old.unlink()
            removed.append(old)
    return removed


def _publish(settings: Settings, target: Path) -> None:
    """Point ``build/current`` at ``target`` atomically: a fresh symlink renamed over the old one, so that a
    reader (or a kill) at any moment sees the old build or the new one, never nothing."""
    link = settings.current_build
    tmp_link = settings.build_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.name)
    os.replace(tmp_link, link)


@contextlib.contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Hold the build folder's lock (``flock``: the kernel releases it if the build is killed). Under it, the
    temporary folders and links of builds that were killed are removed, since no other build is running."""
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    with (settings.build_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            for stale in [*settings.build_dir.glob(".*"), *(settings.build_dir / "closure").glob(".*"),
                          *(settings.build_dir / "validation").glob(".*")]:
                if stale.name == ".lock":
                    continue
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _reusable(settings: Settings, key: str) -> Path | None:
    """The newest finished build of these inputs (``<key>`` or ``<key>-<n>``), if any."""
    found = [p for p in settings.build_dir.glob(f"{key}*")
             if p.is_dir() and (p.name == key or p.name.startswith(key + "-")) and (p / MANIFEST).is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _final_name(settings: Settings, key: str) -> Path:
    """Where a new build of ``key`` goes: ``<key>``, or ``<key>-<n>`` when a build of the same inputs exists
    (a forced rebuild never deletes a folder that ``current`` may point to)."""
    target = settings.build_dir / key
    n = 1
    while target.exists():
        target = settings.build_dir / f"{key}-{n}"
        n += 1
    return target


def _run_violation_checks(settings: Settings, store: MemoryStore) -> list[str]:
    """Run ``queries/checks/*-violation.rq`` on the dataset about to be published; raise ValidationFailed naming
    the rows of every check that returns any. Returns the names of the checks run."""
    results = run_checks(store.oxigraph, settings.queries_dir)
    if any(not r.passed for r in results):
        raise ValidationFailed("violation checks failed (queries/checks/*-violation.rq must return no rows):\n"
                               + render_failures(results))
    return [r.check.name for r in results]


def _validate(settings: Settings, store: MemoryStore, shape_files: list[Path], engine: CoreEngine
              ) -> tuple[ValidationOutcome, bool]:
    """The validation outcome of the asserted store, reused from ``build/validation/`` when ontology, data,
    shapes and validation code are unchanged (a ``--force`` rebuild re-validates nothing that did not
    change). Returns (outcome, reused)."""
    from .validate import read_outcome, write_outcome

    cache = settings.build_dir / "validation" / validation_key(settings, shape_files, engine)
    if (cache / "report.txt").is_file():
        return read_outcome(cache), True
    outcome = validate_store(store.oxigraph, load_graph(shape_files), engine=engine)
    write_outcome(outcome, cache)
    return outcome, False


def build(settings: Settings, *, force: bool = False, shapes_dir: Path | None = None,
          engine: Engine = "fast", store_dir: Path | None = None, shacl: CoreEngine = "turbo") -> BuildResult:
    """Build the publishable dataset (and, with ``store_dir``, a new version of that on-disk store).
    Raises InputError (bad input) or ValidationFailed / InconsistencyError.

    One build at a time (:func:`build_lock`); killed at any moment, a build leaves ``build/current`` on the last
    good build (and ``store_dir`` on its last complete version), and the next build removes what it left behind."""
    with build_lock(settings):
        return _build(settings, force=force, shapes_dir=shapes_dir, engine=engine, store_dir=store_dir, shacl=shacl)


def _build(settings: Settings, *, force: bool, shapes_dir: Path | None, engine: Engine, store_dir: Path | None,
           shacl: CoreEngine) -> BuildResult:
    key = input_hash(settings)
    reusable = None if force else _reusable(settings, key)
    if reusable is not None:
        manifest = json.loads((reusable / MANIFEST).read_text())
        _publish(settings, reusable)
        stored = None if store_dir is None else write_disk_store(store_dir, reusable / DATASET_NQ, version=key,
                                                                 build=reusable)
        return BuildResult(path=reusable, reused=True, conforms=True, manifest=manifest, store=stored)

    started = time.perf_counter()
    store = asserted_store(settings)
    t_load = time.perf_counter()
    shape_files = sorted((shapes_dir or settings.shapes_dir).glob("*.ttl"))
    outcome, validation_reused = _validate(settings, store, shape_files, shacl) if shape_files else (None, False)
    t_validate = time.perf_counter()

    if outcome is not None and not outcome.conforms:
        failed = settings.build_dir / "failed"
        failed.mkdir(exist_ok=True)
        outcome.report.serialize(failed / VALIDATION_TTL, format="turtle")
        raise ValidationFailed(
            f"{len(outcome.violations)} SHACL violation(s); report in {failed / VALIDATION_TTL}\n"
            + locate(outcome, dataset_of(store.oxigraph)).render_text()
        )

    # The closure has its own cache, keyed by ontology + data (+ reasoning code), not shapes.
    reasoning = reason_store(store, cache_dir=settings.build_dir / "closure", engine=engine,
                             key=closure_key([settings.ontology_file, *settings.data_files()], engine=engine))
    published = reasoning.store
    del store
    t_reason = time.perf_counter()

    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=settings.build_dir))
    try:
        write_dataset(published, tmp / DATASET_NQ, tmp / DATASET_TRIG)
        checks = _run_violation_checks(settings, published)
        # what a server needs that cannot change until the next build (VoID, compliance, labels, answers…)
        write_snapshot(tmp, published, queries_dir=settings.queries_dir,
                       dumps={"cstograph.nq": tmp / DATASET_NQ, "cstograph.trig": tmp / DATASET_TRIG})
        t_checks = time.perf_counter()
        if outcome is not None:
            outcome.report.serialize(tmp / VALIDATION_TTL, format="turtle")
        manifest = {
            "input_hash": key,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": {
                "load": round(t_load - started, 3),
                "validate": round(t_validate - t_load, 3),
                "load_validate": round(t_validate - started, 3),
                "reason": round(t_reason - t_validate, 3),
                "write_check": round(t_checks - t_reason, 3),
            },
            "inferred_triples": reasoning.inferred_triples,
            "checks": checks,
            "reasoning": reasoning.summary(),
            "validation": None
            if outcome is None
            else {"conforms": outcome.conforms, "results": len(outcome.results), "reused": validation_reused,
                  "engine": shacl},
            **dataset_stats(published),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        target = _final_name(settings, key)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _publish(settings, target)
    stored = None if store_dir is None else write_disk_store(store_dir, target / DATASET_NQ, version=key,
                                                             build=target)
    prune(settings, keep=KEEP_BUILDS)
    return BuildResult(path=target, reused=False, conforms=True, manifest=manifest, validation=outcome,
                       store=stored)
