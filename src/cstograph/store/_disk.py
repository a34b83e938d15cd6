"""The persistent store: pyoxigraph's on-disk (RocksDB) store, written by the build and opened read-only
by the server in a fraction of a second, without re-loading or re-reasoning anything.

A store folder holds versions and a ``current`` symlink, like ``build/``::

    STORE/
      current -> 3f2a…            swapped atomically (rename of a fresh symlink) once a version is complete
      3f2a…/db/                   the RocksDB files
      3f2a…/store.json            quads, triples per named graph, the build's key (written last: complete)
      3f2a…-1/                    another version of the same build (the first is never rewritten in place)
      .3f2a…-<pid>/               a version being written (or removed): never opened, cleared by the next writer
      .lock                       one writer at a time

A version folder, once named, is never changed; it is removed only when it is neither current nor among the
:data:`KEEP` newest. Writing the build ``current`` already holds writes nothing. A write killed at any point
leaves ``current`` pointing at a complete version (the previous one, or the new one once swapped in), which
a running server goes on reading (read-only opens keep their files).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ._base import OxigraphStore

__all__ = ["DiskStore", "DiskVersion", "write_disk_store"]

CURRENT = "current"
META = "store.json"
LOCK = ".lock"
#: The temporary names of a writer (``.<version>-<pid>``, ``.current-<pid>``): a write or removal under way
_TEMPORARY = re.compile(r"\..+-[0-9]+")
#: Complete versions kept beside the current one (a server may still be reading the previous).
KEEP = 2


def _resolve(directory: Path) -> Path:
    """The version folder to open: ``DIR/current``, else ``DIR`` itself if it is one."""
    if (directory / CURRENT).exists():
        return (directory / CURRENT).resolve()
    if (directory / "db").is_dir():
        return directory
    raise InputError(f"{directory}: not a cstograph store (no {CURRENT} version; write one with "
                     "`cstograph build --store DIR`)")


class DiskStore(OxigraphStore):
    """A store folder opened read-only (see the module). ``len()`` and the graph sizes come from the
    version's ``store.json``, counted when it was written, so opening it reads no data."""

    def __init__(self, directory: Path, *, union_default_graph: bool = True) -> None:
        version = _resolve(Path(directory))
        try:
            engine = ox.Store.read_only(str(version / "db"))
        except OSError as exc:
            raise InputError(f"{directory}: cannot open the store: {exc}") from exc
        super().__init__(engine, union_default_graph=union_default_graph)
        self.path = version
        meta = version / META
        self.meta: Mapping[str, object] = json.loads(meta.read_text()) if meta.is_file() else {}
        key = self.meta.get("version")
        #: The key of the build this store holds (None for a store written by another tool).
        self.version = key if isinstance(key, str) else None

    def __len__(self) -> int:
        quads = self.meta.get("quads")
        return quads if isinstance(quads, int) else len(self._store)

    def sizes(self) -> dict[str, int]:
        """Triples per named graph."""
        graphs = self.meta.get("graphs")
        if isinstance(graphs, dict):
            return {str(k): int(v) for k, v in graphs.items()}
        return super().sizes()


def _sizes(store: ox.Store) -> dict[str, int]:
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in result}  # type: ignore[union-attr]


def _bring(build: Path, into: Path) -> None:
    """The build's files a server reads beside the store (its snapshot, dumps, manifest), hard-linked where the
    file system allows (they never change once written), else copied."""
    for item in sorted(build.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, into / item.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(item), str(into / item.name))


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


@dataclass(frozen=True, slots=True)
class DiskVersion:
    """What :func:`write_disk_store` did: the version folder ``current`` points at, and whether it was there
    already (``reused``: a complete version of the same key was current, so nothing was written)."""

    path: Path
    reused: bool


def write_disk_store(directory: Path, source: Path | ox.Store, *, version: str,
                     build: Path | None = None) -> DiskVersion:
    """Make ``current`` of the store folder ``directory`` a complete version of the build ``version`` (its
    key). When ``current`` already is one, nothing is written (it is reused: a server reading it keeps its
    files). Otherwise a new version folder is written from an N-Quads file or a store under a temporary name,
    renamed to a name no version has (``<version>``, else ``<version>-<n>``) and ``current`` swapped to it
    atomically: an existing version is never rewritten or deleted in place. With ``build`` (a build folder),
    its files (the server's snapshot, the dumps, the manifest) come along, so that ``serve --store DIR``
    serves that build. One writer at a time (a lock); each removes what killed writers left behind, and
    older versions beyond :data:`KEEP` (never the current one)."""
    directory.mkdir(parents=True, exist_ok=True)
    with _lock(directory):
        _clear_leftovers(directory)
        current = _current(directory)
        if current is not None and _is_complete(current) and _key(current) == version:
            return DiskVersion(current, reused=True)
        target = _final_name(directory, version)
        tmp = directory / f".{target.name}-{os.getpid()}"
        try:
            tmp.mkdir()
            _write_version(tmp, source, version=version, build=build)
            os.rename(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        link = directory / f".{CURRENT}-{os.getpid()}"
        link.symlink_to(target.name)
        os.replace(link, directory / CURRENT)
        _prune(directory, keep=KEEP)
        return DiskVersion(target, reused=False)


def _write_version(folder: Path, source: Path | ox.Store, *, version: str, build: Path | None) -> None:
    """The RocksDB files, the build's files, and ``store.json`` last (the mark of a complete version)."""
    engine = ox.Store(str(folder / "db"))
    if isinstance(source, Path):
        engine.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    else:
        engine.bulk_extend(source.quads_for_pattern(None, None, None, None))
    engine.flush()
    engine.optimize()
    sizes = _sizes(engine)
    meta = {"version": version, "quads": sum(sizes.values()) + _default_graph_size(engine), "graphs": sizes,
            "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    del engine  # close RocksDB before the folder moves
    if build is not None:
        _bring(build, folder)
    (folder / META).write_text(json.dumps(meta, indent=2) + "\n")


@contextlib.contextmanager
def _lock(directory: Path) -> Iterator[None]:
    """The store folder's writer lock (``flock``: the kernel releases it when a writer is killed)."""
    with (directory / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clear_leftovers(directory: Path) -> None:
    """Remove the temporary folders and links (``.<name>-<pid>``) of writes that were killed: under the lock,
    no other write is under way."""
    for stale in directory.iterdir():
        if not _TEMPORARY.fullmatch(stale.name):
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _current(directory: Path) -> Path | None:
    link = directory / CURRENT
    return link.resolve() if link.is_symlink() and link.exists() else None


def _is_complete(version: Path) -> bool:
    """A version is complete once its ``store.json`` exists (written last, before the folder gets its name)."""
    return (version / META).is_file() and (version / "db").is_dir()


def _key(version: Path) -> str | None:
    try:
        key = json.loads((version / META).read_text()).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return key if isinstance(key, str) else None


def _final_name(directory: Path, version: str) -> Path:
    """``<version>``, or ``<version>-<n>`` when a folder of that name exists (it is never replaced: ``current``
    or a running server may be on it)."""
    target = directory / version
    n = 1
    while target.exists() or target.is_symlink():
        target = directory / f"{version}-{n}"
        n += 1
    return target


def _default_graph_size(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _prune(directory: Path, *, keep: int) -> None:
    """Remove complete versions beyond the ``keep`` newest, never the current one. Each is first renamed to a
    temporary name, so that a removal cut short leaves a folder the next write clears, never a half version."""
    current = _current(directory)
    versions = sorted((p for p in directory.iterdir()
                       if p.is_dir() and not p.is_symlink() and not p.name.startswith(".") and _is_complete(p)
                       and p != current),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[max(keep - 1, 0):]:
        doomed = directory / f".{old.name}-{os.getpid()}"
        os.rename(old, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
