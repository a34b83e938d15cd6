"""SHACL Core (SHACL §4), and whatever SHACL-SPARQL is left to it: by pyshacl-turbo (a Rust engine with
pySHACL's interface, reading the Oxigraph store directly) or by pySHACL (the reference; rdflib graphs).

Why two: pySHACL evaluates every constraint in Python over rdflib (155 s and 887 MB at 113k triples, no
verdict at 1M); pyshacl-turbo gives the same results (tested on the project and every fixture) from the
store itself, without a copy into rdflib.
"""

from __future__ import annotations

from typing import Any, Literal

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError

__all__ = ["CORE_ENGINES", "CoreEngine", "CoreShapes", "core_report"]

CoreEngine = Literal["turbo", "pyshacl"]
CORE_ENGINES: tuple[CoreEngine, ...] = ("turbo", "pyshacl")
#: Options of both engines: no inference (the ontology is already in the data), every severity reported.
_OPTIONS: dict[str, Any] = {"ont_graph": None, "inference": "none", "advanced": True, "allow_warnings": True,
                            "allow_infos": True, "meta_shacl": False}


class CoreShapes:
    """Shapes ready for SHACL Core: compiled once by pyshacl-turbo (its ``compile_shapes``), so that validating
    many data graphs against the same shapes reads them once. Raises :class:`InputError` when the shapes cannot
    be used."""

    def __init__(self, shapes: Graph, *, engine: CoreEngine = "turbo") -> None:
        if engine not in CORE_ENGINES:
            raise ValueError(f"unknown SHACL Core engine {engine!r}; known: {', '.join(CORE_ENGINES)}")
        self.shapes = shapes
        self.engine = engine
        self._compiled: Any = None
        if engine == "turbo":
            from pyshacl_turbo import ValidationFailure, compile_shapes

            try:
                self._compiled = compile_shapes(shapes, advanced=True)  # type: ignore[no-untyped-call]
            except ValidationFailure as exc:
                raise InputError(f"the shapes cannot be used: {exc}") from exc

    def report(self, data: Graph | ox.Store, *, nquads: str | None = None) -> tuple[Graph, str]:
        """The report graph and text for ``data`` (an rdflib graph, or a store: the union of its graphs).

        ``nquads``: the store ``data`` already written as N-Quads, which pyshacl-turbo then reads instead of
        writing the store out again (a validation process keeps its project's text)."""
        if self._compiled is not None:
            from pyshacl_turbo import ValidationFailure

            source = data if nquads is None else _turbo_input(nquads)
            try:
                _, report, text = self._compiled.validate(source, allow_warnings=True, allow_infos=True)
            except ValidationFailure as exc:
                raise InputError(f"the shapes cannot be used: {exc}") from exc
        else:
            from pyshacl import validate as shacl_validate

            if isinstance(data, ox.Store):
                from ..bridge import graph_of, triples_of

                data = graph_of(triples_of(data))
            _, report, text = shacl_validate(data, shacl_graph=self.shapes, **_OPTIONS)
        if not isinstance(report, Graph):  # a ValidationFailure for unusable shapes
            raise InputError(f"the shapes cannot be used: {report}")
        return report, str(text)


def _turbo_input(nquads: str) -> Any:
    """What pyshacl-turbo makes of a store before it validates it: the store's N-Quads text
    (``pyshacl_turbo.rdf.input_graph``; pinned below 0.7, and tests/validate/test_posted.py compares)."""
    from pyshacl_turbo.rdf import Input

    return Input(nquads, "oxigraph-nquads", None, {}, preserve_ids=True)


def core_report(data: Graph | ox.Store, shapes: Graph, *, engine: CoreEngine = "turbo") -> tuple[Graph, str]:
    """The report graph and text for ``data`` (an rdflib graph, or a store: the union of its graphs)
    against ``shapes`` (no inference: the ontology is already in ``data``). Raises :class:`InputError`
    when the shapes cannot be used."""
    return CoreShapes(shapes, engine=engine).report(data)
