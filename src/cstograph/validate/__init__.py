"""SHACL validation: the data (with the ontology mixed in, so ``sh:targetClass`` sees subclasses) against
the project's shapes. One functional entry point, like pySHACL's own (:func:`validate_graph`), and
:func:`validate_dataset`, which also says for every result which named graph (source file) holds the
offending triples — and, when a user's own files are validated together with the project, which of the
user's triples break which shape.

Module boundaries mirror the SHACL specification (one job each; nothing outside this package imports a
private module)::

    _targets   §2.1.3 targets: the focus nodes of a shape (Oxigraph)
    _core      §4 SHACL Core (and any SHACL-SPARQL left to it), by pySHACL
    _sparql    §5 SHACL-SPARQL: prefixes (§5.2.1), $this pre-bound by substitution (§5.3.1), results
    _results   §3.6 the validation report, read into ValidationResult / ValidationOutcome
    _validate  validate_store / validate_graph: the entry points (a store's union; one graph); StoreValidator
               keeps the shapes read and compiled for many stores
    _locate    validate_dataset / locate: the named graph (file) and user triples behind each result
    _posted    ProjectValidator: a user's triples validated with a project read once (POST /shacl)
    _render    the report as text, JSON and Turtle

Reports come out as text for a person (grouped by severity and shape), as a ``sh:ValidationReport`` in
Turtle (SHACL §3.6), or as JSON. The build hands its store to every step (targets, SPARQL constraints,
and SHACL Core by pyshacl-turbo); rdflib graphs (``validate_graph``) are copied into a store first.
"""

from __future__ import annotations

from ._core import CORE_ENGINES, CoreEngine
from ._locate import LocatedResult, ValidationReport, locate, user_graph_name, validate_dataset
from ._posted import ProjectValidator
from ._results import ValidationOutcome, ValidationResult, read_outcome, write_outcome
from ._validate import validate_graph, validate_store

__all__ = [
    "CORE_ENGINES",
    "CoreEngine",
    "LocatedResult",
    "ProjectValidator",
    "ValidationOutcome",
    "ValidationReport",
    "ValidationResult",
    "locate",
    "read_outcome",
    "user_graph_name",
    "validate_dataset",
    "validate_graph",
    "validate_store",
    "write_outcome",
]
