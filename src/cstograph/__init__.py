"""cstograph: a knowledge graph of the Collective Security Treaty Organization.

Public surface (everything else is internal)::

    from cstograph import Settings, build, validate_graph, inferred_triples, GraphStore

The heavy parts (the build pipeline, the validator, the reasoner) are imported when first used (PEP 562):
importing ``cstograph.server`` or ``cstograph.store`` does not load pySHACL or owlrl.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from .load import load_dataset
    from .pipeline import BuildResult, build
    from .reason import inferred_triples
    from .store import GraphStore
    from .validate import ValidationOutcome, validate_graph

__version__ = "0.1.0"

#: Public names defined in submodules, imported on first access.
_LAZY = {
    "load_dataset": "load", "BuildResult": "pipeline", "build": "pipeline", "inferred_triples": "reason",
    "GraphStore": "store", "ValidationOutcome": "validate", "validate_graph": "validate",
}

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


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
