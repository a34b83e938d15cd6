"""HTTP caching of a read-only dataset, and the in-process caches of rendered answers.

Every answer the server gives is a function of the published snapshot and of the request, so its entity
tag is the snapshot's id plus a digest of what chose the representation (path, query, negotiated type,
language): the same on every replica serving the same build, different after the next build. The tags are
weak: replicas give equivalent answers, but an RDF serialisation may name blank nodes differently.
``If-None-Match`` that matches gets ``304 Not Modified`` with no body. ``Cache-Control`` lets shared caches
keep an answer for ``max_age`` seconds and then revalidate it cheaply with the tag.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Response, request

__all__ = ["BytesCache", "etag_for", "not_modified", "with_validators"]

#: Seconds a client or a shared cache may reuse an answer before revalidating it.
MAX_AGE = 300


def etag_for(snapshot_id: str, *parts: object) -> str:
    """A weak entity tag (RFC 9110 §8.8.1): two servers of one build give equivalent answers, not always the same
    bytes — an RDF serialisation names blank nodes as each process loaded them."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f'W/"{snapshot_id}-{digest}"'


def not_modified(etag: str) -> Response | None:
    """``304`` when the request's ``If-None-Match`` names ``etag`` (or ``*``), else None (RFC 9110 §13.1.2)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if "*" in tags or etag.removeprefix("W/") in tags:  # If-None-Match compares weakly (RFC 9110 §13.1.2)
        response = Response(status=304)
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response
    return None


def with_validators(response: Response, etag: str) -> Response:
    if response.status_code == 200:
        response.headers["ETag"] = etag
        response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
    return response


class BytesCache:
    """A thread-safe least-recently-used cache of values with a size, bounded by their total size."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], tuple[object, int]]) -> object:
        """The cached value of ``key``, or ``make()``'s ``(value, size)`` stored and returned."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        value, size = make()
        if size <= self.max_bytes // 4:
            with self._lock:
                if key not in self._items:
                    self._items[key] = (value, size)
                    self._size += size
                    while self._size > self.max_bytes and self._items:
                        _, (_, dropped) = self._items.popitem(last=False)
                        self._size -= dropped
        return value
