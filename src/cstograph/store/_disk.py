"""The persistent store: pyoxigraph's on-disk (RocksDB) store, written by the build and opened read-only
by the server in a fraction of a second, without re-loading or re-reasoning anything.

A store folder holds versions and a ``current`` symlink, like ``build/``::

    STORE/
      current -> 3f2a…            swapped atomically (rename of a fresh symlink) once a version is complete
      3f2a…/db/                   the RocksDB files
      3f2a…/store.json            quads, triples per named graph, the build's key (written last)
      .3f2a…-<pid>/               a version being written: never opened, removed by the next writer

A write killed at any point leaves ``current`` pointing at the previous complete version, which a
running server goes on reading (read-only opens keep their files).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ._base import OxigraphStore

__all__ = ["DiskStore", "write_disk_store"]

CURRENT = "current"
META = "store.json"
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


def write_disk_store(directory: Path, source: Path | ox.Store, *, version: str, build: Path | None = None) -> Path:
    """Write a complete version of the store folder ``directory`` from an N-Quads file or a store, then
    point ``current`` at it atomically; returns the version folder. With ``build`` (a build folder), its
    files (the server's snapshot, the dumps, the manifest) come along, so that ``serve --store DIR`` serves
    that build. Older versions beyond :data:`KEEP` and unfinished writes are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / version
    tmp = directory / f".{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        engine = ox.Store(str(tmp / "db"))
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
            _bring(build, tmp)
        (tmp / META).write_text(json.dumps(meta, indent=2) + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link = directory / f".{CURRENT}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(target.name)
    os.replace(link, directory / CURRENT)
    _prune(directory, keep=KEEP)
    return target


def _default_graph_size(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _prune(directory: Path, *, keep: int) -> None:
    current = (directory / CURRENT).resolve()
    versions = sorted((p for p in directory.iterdir()
                       if p.is_dir() and not p.name.startswith(".") and (p / META).is_file() and p != current),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in directory.glob(".*-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if stale.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
