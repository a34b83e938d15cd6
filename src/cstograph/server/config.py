"""The server's settings: one typed, immutable value per app (no free-form extras, no module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..namespaces import BASE
from ..sparql import Limits
from .sandbox import PoolLimits

__all__ = ["ServerConfig"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Operator settings of the endpoint."""

    #: Seconds a query may run before it is stopped with 503; clients may lower it, never raise it.
    query_timeout: float = 5.0
    #: Maximum rows in a SELECT result.
    max_rows: int = 100_000
    #: Maximum response body of a query in bytes (the query is stopped with a clear message above it).
    max_result_bytes: int = 50_000_000
    #: Maximum request body in bytes (413 above it).
    max_body_bytes: int = 1_000_000
    #: SERVICE endpoints queries may call (exact IRIs; empty: SERVICE is refused).
    service_allowlist: tuple[str, ...] = ()
    #: Access-Control-Allow-Origin value ("" disables CORS headers).
    cors_origin: str = "*"
    #: Folder of named query files (queries/).
    queries_dir: Path | None = None
    #: Folder of SHACL shapes for ``POST /shacl`` (default: ``<queries_dir>/../shapes``).
    shapes_dir: Path | None = None
    #: Whether ``POST /shacl`` is offered (its pool holds a copy of the project: at 1M triples, hundreds of MiB).
    validation: bool = True
    #: The IRI base that request paths map onto.
    iri_base: str = BASE
    #: The URL users reach this server at (VoID, dumps); None: the request's own host.
    public_url: str | None = None
    #: How deep a query may nest before it is refused (400) without being run.
    query_limits: Limits = field(default_factory=Limits)
    #: The sandbox pool that evaluates client queries.
    query_pool: PoolLimits = field(default_factory=lambda: PoolLimits(size=6, long_slots=2))
    #: The sandbox pool that parses and validates posted data (``POST /shacl``).
    validation_pool: PoolLimits = field(default_factory=lambda: PoolLimits(size=2, long_slots=1, slow_after=5.0,
                                                                           demote_after=5.0))
    #: MiB of answers each web worker keeps (the dataset does not change while served); 0: none.
    result_cache_mb: int = 64
    #: Seconds a validation may run (503 after).
    validation_timeout: float = 60.0
    #: Largest body of ``POST /shacl`` (default: ``max_body_bytes``).
    validation_max_bytes: int | None = None

    @property
    def shapes_folder(self) -> Path | None:
        if not self.validation:
            return None
        if self.shapes_dir is not None:
            return self.shapes_dir
        return self.queries_dir.parent / "shapes" if self.queries_dir is not None else None

    @property
    def validation_body_limit(self) -> int:
        return self.validation_max_bytes if self.validation_max_bytes is not None else self.max_body_bytes
