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

__all__ = ["CORE_ENGINES", "CoreEngine", "core_report"]

CoreEngine = Literal["turbo", "pyshacl"]
CORE_ENGINES: tuple[CoreEngine, ...] = ("turbo", "pyshacl")


def core_report(data: Graph | ox.Store, shapes: Graph, *, engine: CoreEngine = "turbo") -> tuple[Graph, str]:
    """The report graph and text for ``data`` (an rdflib graph, or a store: the union of its graphs)
    against ``shapes`` (no inference: the ontology is already in ``data``). Raises :class:`InputError`
    when the shapes cannot be used."""
    options: dict[str, Any] = {"shacl_graph": shapes, "ont_graph": None, "inference": "none", "advanced": True,
               "allow_warnings": True, "allow_infos": True, "meta_shacl": False}
    if engine == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        _, report, text = turbo_validate(data, **options)
    elif engine == "pyshacl":
        from pyshacl import validate as shacl_validate

        if isinstance(data, ox.Store):
            from ..bridge import graph_of, triples_of

            data = graph_of(triples_of(data))
        _, report, text = shacl_validate(data, **options)
    else:
        raise ValueError(f"unknown SHACL Core engine {engine!r}; known: {', '.join(CORE_ENGINES)}")
    if not isinstance(report, Graph):  # a ValidationFailure for unusable shapes
        raise InputError(f"the shapes cannot be used: {report}")
    return report, str(text)
