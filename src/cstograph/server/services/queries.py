"""Answering SPARQL queries: read each one with the real parser and apply the server's rules, then answer it
from the snapshot (named queries with their default parameters), from this process's cache of answers (the
dataset does not change while it is served), or by running it as a sandbox job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...snapshot import Snapshot
from ...sparql import (
    Limits,
    QueryAnalysis,
    QueryTooComplex,
    SparqlSyntaxError,
    UpdateRequest,
    analyse,
    with_explicit_services,
)
from ..caching import BytesCache
from ..errors import ProtocolError
from ..execution import Executor
from ..jobs import QueryJob, encode_term
from ..limits import Metrics
from ..negotiation import Format
from ..sandbox import JobCrashed, JobStopped, Kind, PoolUnavailable

__all__ = ["Answer", "QueryService", "READ_ONLY"]

READ_ONLY = "this is a read-only query endpoint: SPARQL updates are not accepted"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Whether the answer is the dataset's (cacheable by clients until the next build).
    cacheable: bool = False


def _text(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, (message.rstrip("\n") + "\n").encode(), "text/plain; charset=utf-8", headers)


@dataclass
class QueryService:
    snapshot: Snapshot
    executor: Executor
    metrics: Metrics
    limits: Limits
    allowlist: tuple[str, ...]
    max_rows: int
    max_bytes: int
    union_default_graph: bool
    cache: BytesCache = field(default_factory=lambda: BytesCache(64 * 1024 * 1024))

    def read(self, query: str) -> QueryAnalysis:
        """Parse ``query`` and apply the server's rules, or raise :class:`ProtocolError` saying what is wrong."""
        if "\x00" in query:
            raise ProtocolError(400, "the query contains a NUL character")
        if not query.strip():
            raise ProtocolError(400, "the query is empty")
        try:
            analysis = analyse(query, self.limits)
        except UpdateRequest as exc:
            raise ProtocolError(403, f"{READ_ONLY} ({exc})") from exc
        except SparqlSyntaxError as exc:
            raise ProtocolError(400, f"malformed query: {exc}") from exc
        except QueryTooComplex as exc:
            raise ProtocolError(400, f"query refused: {exc}") from exc
        self.check_service(analysis)
        return analysis

    def check_service(self, analysis: QueryAnalysis) -> None:
        """Refuse SERVICE unless every target is an allow-listed IRI (the engine would otherwise fetch it)."""
        for call in analysis.services:
            where = f"(line {call.line}, column {call.column})"
            if not self.allowlist:
                raise ProtocolError(400, f"SERVICE (federated query) is not allowed on this endpoint {where}")
            if call.iri is None:
                raise ProtocolError(400, f"SERVICE ?{call.variable} (a variable endpoint) is not allowed {where}: "
                                         "name an allow-listed endpoint IRI")
            if call.iri not in self.allowlist:
                raise ProtocolError(400, f"SERVICE <{call.iri}> is not allowed {where}; allowed: "
                                         f"{', '.join(self.allowlist)}")

    def precomputed(self, key: str, fmt: Format) -> Answer | None:
        """The snapshot's answer of a named query with its default parameters, if it has one in ``fmt``."""
        body = self.snapshot.results.get(key, {}).get(fmt.short)
        return Answer(200, body, fmt.content_type, cacheable=True) if body is not None else None

    def answer(self, query: str, analysis: QueryAnalysis, fmt: Format, *, deadline: float, timeout: float,
               default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
               substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               base_iri: str | None = None) -> Answer:
        """The answer of a query already read (:meth:`read`), in ``fmt``: from the cache, or run in the sandbox."""
        subs = {k: encode_term(v) for k, v in (substitutions or {}).items()} or None
        union = self.union_default_graph and not (default_graphs or named_graphs or analysis.has_dataset)
        job = QueryJob(query=with_explicit_services(query, analysis), format=fmt.short, max_rows=self.max_rows,
                       max_bytes=self.max_bytes,
                       default_graphs=default_graphs, named_graphs=named_graphs, substitutions=subs,
                       base_iri=base_iri, union=union)
        found = self.cache.get_or_make(job.key(), lambda: self._run(job, deadline, timeout))
        assert isinstance(found, Answer)
        return found

    def _run(self, job: QueryJob, deadline: float, timeout: float) -> tuple[Answer, int]:
        """(answer, its size for the cache — huge when it must not be cached)."""
        never = 1 << 62
        try:
            frame = self.executor.run(job.header(), deadline=deadline)
        except JobStopped as exc:
            if exc.reason == "busy":
                self.metrics.add("busy")
                return _text(503, f"query not run: {exc}", **{"Retry-After": "2"}), never
            self.metrics.add("timeouts")
            return _text(503, f"query timeout: the query ran longer than its time limit of {timeout:g} s and was "
                              "stopped. Simplify the query or add a LIMIT."), never
        except JobCrashed as exc:
            self.metrics.add("crashes")
            return _text(503, f"query stopped: {exc}. Simplify the query."), never
        except PoolUnavailable as exc:
            return _text(503, f"query not run: {exc}; retry shortly", **{"Retry-After": "2"}), never
        if frame.kind == Kind.REFUSED:
            status = int(frame.header.get("status", 400))  # type: ignore[call-overload]
            if status == 422:
                self.metrics.add("too_large")
            return _text(status, str(frame.header.get("message", "query failed"))), never
        answer = Answer(200, frame.body, str(frame.header["content_type"]), cacheable=True)
        return answer, len(frame.body) + 256
