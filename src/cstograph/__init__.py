"""cstograph: a knowledge graph of the Collective Security Treaty Organization.

Public surface (everything else is internal)::

    from cstograph import Settings, build, validate_graph, inferred_triples, GraphStore
"""

from __future__ import annotations

from .config import Settings
from .errors import (
    CstographError,
    InconsistencyError,
    InputError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    RDFSyntaxError,
    ValidationFailed,
)
from .load import load_dataset
from .pipeline import BuildResult, build
from .reason import inferred_triples
from .store import GraphStore
from .validate import ValidationOutcome, validate_graph

__version__ = "0.1.0"

__all__ = [
    "BuildResult",
    "CstographError",
    "GraphStore",
    "InconsistencyError",
    "InputError",
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "RDFSyntaxError",
    "Settings",
    "ValidationFailed",
    "ValidationOutcome",
    "__version__",
    "build",
    "inferred_triples",
    "load_dataset",
    "validate_graph",
]
