"""Where a store is, as a small immutable value that crosses a ``fork`` or a pickle: the server opens the
store from it in each process that needs its own handle (an on-disk RocksDB store or an HTTP client
cannot be shared across a fork; an in-memory store is inherited copy-on-write)."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from ..errors import InputError
from ._base import Row, Store

__all__ = ["ProcessLocalStore", "StoreLocation"]

Kind = Literal["memory", "dir", "url"]


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """``memory``: RDF files loaded into memory; ``dir``: a store folder (read-only); ``url``: a remote
    SPARQL 1.1 query endpoint (scoped to the graphs under ``graph_prefix``).

    >>> StoreLocation.parse("http://127.0.0.1:7878/query").kind
    'url'
    >>> StoreLocation.parse("build/store").kind
    'dir'
    """

    kind: Kind
    target: str
    files: tuple[str, ...] = ()
    graph_prefix: str | None = None
    union_default_graph: bool = True
    #: ``url``: the graphs the remote store is scoped to, once known (then no process asks the server again)
    graphs: tuple[str, ...] | None = None

    @classmethod
    def parse(cls, text: str, *, graph_prefix: str | None = None) -> StoreLocation:
        """``serve --store`` / ``publish --to``: an http(s) URL is a remote store, anything else a folder."""
        if urllib.parse.urlsplit(text).scheme in ("http", "https"):
            return cls("url", text, graph_prefix=graph_prefix)
        if "://" in text:
            raise InputError(f"{text}: a store is a folder or an http(s) URL")
        return cls("dir", str(Path(text).resolve()))

    @classmethod
    def memory(cls, files: list[Path], *, union_default_graph: bool = True) -> StoreLocation:
        return cls("memory", "", tuple(str(f) for f in files), union_default_graph=union_default_graph)

    @property
    def in_memory(self) -> bool:
        return self.kind == "memory"

    def open_per_process(self) -> Store:
        """The store to serve from: an in-memory store as it is (forked processes share it copy-on-write),
        any other as a :class:`ProcessLocalStore`."""
        if self.in_memory:
            return self.open()
        if self.kind == "url" and self.graphs is None:
            found = self.open().graph_names()  # listed once, here, for every process
            return ProcessLocalStore(replace(self, graphs=tuple(found)))
        return ProcessLocalStore(self)

    def open(self) -> Store:
        """A store for this process. Raises :class:`InputError` when it cannot be opened."""
        if self.kind == "memory":
            from ._memory import MemoryStore

            return MemoryStore.from_files([Path(f) for f in self.files], union_default_graph=self.union_default_graph)
        if self.kind == "dir":
            from ._disk import DiskStore

            return DiskStore(Path(self.target), union_default_graph=self.union_default_graph)
        from ._remote import RemoteStore

        try:
            return RemoteStore(self.target, graph_prefix=self.graph_prefix, graphs=self.graphs)
        except OSError as exc:
            raise InputError(f"{self.target}: cannot reach the SPARQL server: {exc}") from exc


class ProcessLocalStore:
    """A store opened from a :class:`StoreLocation` once in each process that uses it (an on-disk RocksDB
    handle or an HTTP client must not cross a ``fork``): the server can hand this one object to every
    process it forks. A handle inherited from a parent is kept, never closed, in the child (closing it
    there would tear down the parent's engine state)."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._pid = os.getpid()
        self._store = location.open()
        self._inherited: list[Store] = []
        self.union_default_graph = location.union_default_graph

    @property
    def current(self) -> Store:
        """The store of this process (opened now if this process has none yet)."""
        if os.getpid() != self._pid:
            self._inherited.append(self._store)
            self._store = self.location.open()
            self._pid = os.getpid()
        return self._store

    @property
    def version(self) -> str | None:
        return getattr(self.current, "version", None)

    @property
    def path(self) -> Path | None:
        """The version folder of a store folder (which holds its build's snapshot), else None."""
        found = getattr(self.current, "path", None)
        return found if isinstance(found, Path) else None

    @property
    def oxigraph(self) -> object:
        """The engine (or, for a remote store, an object with its ``quads_for_pattern`` and ``dump``), for
        server code that still reaches past the :class:`Store` protocol."""
        return getattr(self.current, "oxigraph")  # noqa: B009 - every opened store has it

    def query(self, sparql: str, **options: Any) -> Any:
        return self.current.query(sparql, **options)

    def select(self, sparql: str, **options: Any) -> list[Row]:
        return self.current.select(sparql, **options)

    def quads(self, subject: object = None, predicate: object = None, object: object = None,
              graph: object = None) -> Iterator[ox.Quad]:
        return self.current.quads(subject, predicate, object, graph)

    def graph_names(self) -> list[str]:
        return self.current.graph_names()

    def sizes(self) -> dict[str, int]:
        return self.current.sizes()

    def __len__(self) -> int:
        return len(self.current)

    def dump(self, output: Any = None, *, format: ox.RdfFormat, graph: str | None = None,
             prefixes: Mapping[str, str] | None = None) -> bytes | None:
        return self.current.dump(output, format=format, graph=graph, prefixes=prefixes)
