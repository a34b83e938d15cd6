"""The reasoning run: pick an engine, close ontology + data, keep what is inferred and not trivial."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph

from ..errors import InconsistencyError
from ..namespaces import bind_prefixes
from ._facts import Triple
from ._fixpoint import fast_closure, fast_path_obstacles
from ._owlrl import closure, owlrl_clash_messages
from ._profile import profile_warnings
from ._scm import is_schema_triple
from ._trivial import is_trivial

__all__ = ["ENGINES", "Closure", "Engine", "Reasoning", "inferred_triples", "reason", "reason_triples", "union"]

Engine = TypingLiteral["fast", "owlrl"]
ENGINES: tuple[Engine, ...] = ("fast", "owlrl")


@dataclass(frozen=True, slots=True)
class Reasoning:
    """One reasoning run: the published inferred triples and how they were obtained."""

    inferred: Graph
    engine: Engine
    #: why the fast engine fell back to owlrl (empty when it did not)
    fallback: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: the closure came from the cache (see :func:`~cstograph.reason.reason_dataset`)
    reused: bool = False
    key: str | None = None
    dataset: Dataset | None = field(default=None, compare=False)

    def summary(self) -> dict[str, object]:
        return {"engine": self.engine, "fallback": list(self.fallback), "warnings": list(self.warnings),
                "closure_key": self.key, "closure_reused": self.reused, "inferred_triples": len(self.inferred)}


def union(asserted: Iterable[Iterable[Triple]], *, only: Callable[[Triple], bool] | None = None) -> Graph:
    """One graph holding the triples of ``asserted`` (those passing ``only``), with the project's prefixes."""
    out = bind_prefixes(Graph())
    for g in asserted:
        for t in g:
            if only is None or only(t):
                out.add(t)
    return out


def _published(closed: Iterable[Triple], given: set[Triple]) -> list[Triple]:
    return [t for t in closed if t not in given and not is_trivial(*t)]


@dataclass(frozen=True, slots=True)
class Closure:
    """What a run adds, before it becomes a graph: the published inferred triples and how they came."""

    inferred: list[Triple]
    engine: Engine
    fallback: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def reason_triples(given: set[Triple], *, engine: Engine = "fast") -> Closure:
    """Reason over the asserted triples ``given`` (ontology and data); the published inferred triples.

    Raises :class:`InconsistencyError` when the closure contains a clash.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    tbox = Graph()
    for t in given:
        if is_schema_triple(t):
            tbox.add(t)
    warnings = tuple(profile_warnings(tbox))  # every construct it looks at is a schema triple
    fallback: tuple[str, ...] = tuple(fast_path_obstacles(given)) if engine == "fast" else ()
    if engine == "fast" and not fallback:
        _, facts = fast_closure(given)
        return Closure(_published(facts.rank, given), "fast", warnings=warnings)
    whole = bind_prefixes(Graph())
    for t in given:
        whole.add(t)
    full = closure(whole)
    errors = owlrl_clash_messages(full, whole)
    if errors:
        raise InconsistencyError(errors)
    return Closure(_published(full, given), "owlrl", fallback=fallback, warnings=warnings)


def reason(asserted: Iterable[Graph], *, engine: Engine = "fast") -> Reasoning:
    """Reason over the asserted graphs; returns the published inferred triples.

    Raises :class:`InconsistencyError` when the closure contains a clash.
    """
    given: set[Triple] = set()
    for g in asserted:
        given.update(g)
    run = reason_triples(given, engine=engine)
    return Reasoning(inferred=union([run.inferred]), engine=run.engine, fallback=run.fallback,
                     warnings=run.warnings)


def inferred_triples(asserted: Iterable[Graph], *, engine: Engine = "fast") -> Graph:
    """The published inferred graph: closure(asserted) − asserted − trivial triples.

    Raises :class:`InconsistencyError` when the closure contains a clash.
    """
    return reason(asserted, engine=engine).inferred
