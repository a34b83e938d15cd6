"""The stores: one interface (:class:`Store`), three implementations, chosen by configuration.

=====================  =======================================================================
:class:`MemoryStore`   an Oxigraph store in memory (the default; ``GraphStore`` is its old name)
:class:`DiskStore`     pyoxigraph's on-disk store written by ``cstograph build --store DIR``,
                       opened read-only by ``cstograph serve --store DIR``
:class:`RemoteStore`   an existing SPARQL 1.1 server: ``serve --store URL``, ``publish --to URL``
=====================  =======================================================================

:class:`StoreLocation` says where a store is, as a value a forked process can open. ``_formats`` is the one
format table and the one file reader. Module boundaries (nothing outside imports a private module)::

    _base      the Store protocol, query parameters as terms, the Oxigraph-backed base
    _formats   suffix → format, load_file (file:line:column errors)
    _memory    MemoryStore        _disk      DiskStore, write_disk_store (versioned, atomic)
    _remote    RemoteStore, VALUES binding, skolemization, the Graph Store Protocol
    _http      RemoteConnection: the remote store's HTTP/1.1 client
    _location  StoreLocation
"""

from __future__ import annotations

from ._base import OxigraphStore, QueryResult, Row, Store, Term, named_substitutions, rows, to_term
from ._disk import DiskStore, DiskVersion, write_disk_store
from ._formats import FORMATS, MEDIA_TYPES, check_file, load_file, rdf_format
from ._http import RemoteConnection, StaleConnection
from ._location import ProcessLocalStore, StoreLocation
from ._memory import MemoryStore
from ._remote import (
    RemoteError,
    RemoteStore,
    RemoteTriples,
    bind_rows,
    bind_values,
    publish_graphs,
    skolemize,
)

#: The in-memory store under its first name (the server and the tests use it).
GraphStore = MemoryStore

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "DiskStore",
    "DiskVersion",
    "GraphStore",
    "MemoryStore",
    "OxigraphStore",
    "QueryResult",
    "ProcessLocalStore",
    "RemoteConnection",
    "RemoteError",
    "RemoteStore",
    "RemoteTriples",
    "Row",
    "StaleConnection",
    "Store",
    "StoreLocation",
    "Term",
    "bind_rows",
    "bind_values",
    "check_file",
    "load_file",
    "named_substitutions",
    "publish_graphs",
    "rdf_format",
    "rows",
    "skolemize",
    "to_term",
    "write_disk_store",
]
