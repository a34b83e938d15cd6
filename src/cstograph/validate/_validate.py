"""The entry point, like pySHACL's own: :func:`validate_graph` runs SHACL Core (``_core``) and the
SHACL-SPARQL constraints (``_sparql``) and returns one :class:`~._results.ValidationOutcome`."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from ..namespaces import bind_prefixes
from ._core import core_report
from ._results import ValidationOutcome, conclude
from ._sparql import SparqlShape, evaluate, split_sparql

__all__ = ["validate_graph"]


def _mixed(data: Graph, ontology: Graph) -> Graph:
    # The whole ontology is mixed in (pySHACL's own ont_graph mixing copies only class and property axioms,
    # not the SKOS concepts of the code lists that sh:class skos:Concept checks).
    mixed = Graph()
    for t in data:
        mixed.add(t)
    for t in ontology:
        mixed.add(t)
    return mixed


def validate_graph(
    data: Graph, shapes: Graph, *, ontology: Graph | None = None, sparql_engine: str = "oxigraph"
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``; ``ontology`` is mixed in for class hierarchy lookups.

    ``conforms`` is True when there is no sh:Violation (Warnings and Infos are findings, not failures).

    SHACL Core is checked by pySHACL. The SHACL-SPARQL constraints of named node shapes are, by default,
    evaluated by Oxigraph with ``$this`` pre-bound to each focus node (SHACL §5.3.1) rather than by pySHACL
    with rdflib — the same results, two orders of magnitude faster. ``sparql_engine="pyshacl"`` leaves
    everything to pySHACL (the tests check that both agree).
    """
    if ontology is not None:
        data = _mixed(data, ontology)
    sparql_shapes: list[SparqlShape] = []
    core_shapes = shapes
    store = ox.Store()
    if sparql_engine == "oxigraph":
        store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        core_shapes, sparql_shapes = split_sparql(shapes, store)
    elif sparql_engine != "pyshacl":
        raise ValueError(f"unknown sparql_engine {sparql_engine!r}")
    report, text = core_report(data, core_shapes)
    if sparql_shapes:
        text += evaluate(store, sparql_shapes, report)
    return conclude(bind_prefixes(report), text)
