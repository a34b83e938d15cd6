"""Exceptions raised by cstograph.

The tree::

    CstographError
    ├── InputError            unusable input: unreadable file, syntax error (CLI exit 2)
    │   └── RDFSyntaxError    an RDF file that does not parse; names file, line, column
    ├── ValidationFailed      the data has SHACL violations (CLI exit 1)
    ├── InconsistencyError    the OWL 2 RL closure contains a clash (CLI exit 1)
    └── QueryError            a SPARQL query that cannot be parsed or run
        ├── QuerySyntaxError  the parser's message and position
        └── QueryRefused      a query the server will not run (update, SERVICE…)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CstographError",
    "InconsistencyError",
    "InputError",
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "RDFSyntaxError",
    "ValidationFailed",
]


class CstographError(Exception):
    """Base class of every error cstograph raises on purpose."""


class InputError(CstographError):
    """Input that cannot be used at all (missing, unreadable, unparsable)."""


class RDFSyntaxError(InputError):
    """An RDF file that does not parse."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        where = str(self.path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class ValidationFailed(CstographError):
    """The data does not conform to the shapes (there is at least one sh:Violation)."""


class InconsistencyError(CstographError):
    """The OWL 2 RL closure of ontology and data contains a clash."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("inconsistent ontology or data:\n  " + "\n  ".join(messages))


class QueryError(CstographError):
    """A SPARQL query that cannot be run."""


class QuerySyntaxError(QueryError):
    """A SPARQL query that does not parse; the message carries the parser's position."""


class QueryRefused(QueryError):
    """A query the endpoint refuses to run (an update, a SERVICE not allow-listed…)."""
