"""The entry points, like pySHACL's own: :func:`validate_store` validates the union of a store's graphs;
:func:`validate_graph` an rdflib graph. Both run SHACL Core (``_core``) and the SHACL-SPARQL constraints
(``_sparql``) and return one :class:`~._results.ValidationOutcome`."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from ..namespaces import bind_prefixes, to_ox
from ._core import CoreEngine, core_report
from ._results import ValidationOutcome, conclude
from ._sparql import evaluate, split_sparql

__all__ = ["validate_graph", "validate_store"]


def validate_store(store: ox.Store, shapes: Graph, *, engine: CoreEngine = "turbo") -> ValidationOutcome:
    """Validate the union of the named graphs of ``store`` (put the ontology in it for class hierarchy
    look-ups) against ``shapes``; ``conforms`` when there is no sh:Violation.

    The SHACL-SPARQL constraints of named node shapes are evaluated by Oxigraph with ``$this`` pre-bound to
    each focus node (SHACL §5.3.1); SHACL Core by ``engine`` (see ``_core``).
    """
    core_shapes, sparql_shapes = split_sparql(shapes, store)
    report, text = core_report(store, core_shapes, engine=engine)
    if sparql_shapes:
        text += evaluate(store, sparql_shapes, report)
    return conclude(bind_prefixes(report), text)


def validate_graph(
    data: Graph, shapes: Graph, *, ontology: Graph | None = None, sparql_engine: str = "oxigraph",
    engine: CoreEngine = "turbo",
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``; ``ontology`` is mixed in for class hierarchy lookups.

    ``conforms`` is True when there is no sh:Violation (Warnings and Infos are findings, not failures).
    ``sparql_engine="pyshacl"`` leaves everything to pySHACL over rdflib (the reference; the tests check
    that both agree).
    """
    if sparql_engine == "pyshacl":
        mixed = Graph()
        for g in (data, ontology) if ontology is not None else (data,):
            for t in g:
                mixed.add(t)
        report, text = core_report(mixed, shapes, engine="pyshacl")
        return conclude(bind_prefixes(report), text)
    if sparql_engine != "oxigraph":
        raise ValueError(f"unknown sparql_engine {sparql_engine!r}")
    # The whole ontology is mixed in (pySHACL's own ont_graph mixing copies only class and property axioms,
    # not the SKOS concepts of the code lists that sh:class skos:Concept checks).
    store = ox.Store()
    graph = ox.NamedNode("urn:cstograph:validated")
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)  # type: ignore[arg-type]
                      for g in ((data, ontology) if ontology is not None else (data,)) for s, p, o in g)
    return validate_store(store, shapes, engine=engine)
