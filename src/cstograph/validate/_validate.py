"""The entry points, like pySHACL's own: :func:`validate_store` validates the union of a store's graphs;
:func:`validate_graph` an rdflib graph. Both run SHACL Core (``_core``) and the SHACL-SPARQL constraints
(``_sparql``) and return one :class:`~._results.ValidationOutcome`."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..namespaces import bind_prefixes, to_ox
from ._core import CoreEngine, CoreShapes, core_report
from ._results import ValidationOutcome, conclude
from ._sparql import Focus, SparqlPlan, evaluate

__all__ = ["StoreValidator", "validate_graph", "validate_store"]


class StoreValidator:
    """Validation of stores against shapes read once: the SHACL-SPARQL constraints (``_sparql``) and the
    shapes left to SHACL Core, compiled (``_core``; one compilation per set of constraints the data lets
    Oxigraph evaluate), are kept, so that each :meth:`validate` only reads its data."""

    def __init__(self, shapes: Graph, *, engine: CoreEngine = "turbo") -> None:
        self._plan = SparqlPlan(shapes)
        self._engine: CoreEngine = engine
        self._core: dict[frozenset[URIRef], CoreShapes] = {}

    @property
    def plan(self) -> SparqlPlan:
        return self._plan

    def validate(self, store: ox.Store, *, nquads: str | None = None, focus: Focus | None = None) -> ValidationOutcome:
        """Validate the union of the named graphs of ``store``: see :func:`validate_store`. ``nquads``: the
        store's quads already written as N-Quads (see :meth:`~._core.CoreShapes.report`); ``focus``: the focus
        nodes of the SHACL-SPARQL shapes in ``store`` (:meth:`SparqlPlan.focus`), when the caller knows them."""
        moved, sparql_shapes = self._plan.split(store, focus=focus)
        core = self._core.get(moved)
        if core is None:
            core = self._core[moved] = CoreShapes(self._plan.core_shapes(moved), engine=self._engine)
        report, text = core.report(store, nquads=nquads)
        if sparql_shapes:
            text += evaluate(store, sparql_shapes, report)
        return conclude(bind_prefixes(report), text)


def validate_store(store: ox.Store, shapes: Graph, *, engine: CoreEngine = "turbo") -> ValidationOutcome:
    """Validate the union of the named graphs of ``store`` (put the ontology in it for class hierarchy
    look-ups) against ``shapes``; ``conforms`` when there is no sh:Violation.

    The SHACL-SPARQL constraints of named node shapes are evaluated by Oxigraph with ``$this`` pre-bound to
    each focus node (SHACL §5.3.1); SHACL Core by ``engine`` (see ``_core``).
    """
    return StoreValidator(shapes, engine=engine).validate(store)


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
