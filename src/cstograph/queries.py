"""Named SPARQL query files (grlc / SIB sparql-examples style), shared by the CLI, tests and endpoint.

Each ``queries/<group>/<name>.rq`` starts with ``#+`` header lines::

    #+ summary: Member states on a given date
    #+ description: One pattern and one FILTER over membership nodes.
    #+ param: date xsd:date today
    #+ tags: memberships

A ``param`` names a variable that the runner binds (SEP-0007 substitution, never string formatting),
with its datatype and a default value (``today`` for an ``xsd:date``: the day the query runs).

Every header line is also kept as written, in order (:attr:`NamedQuery.headers`), so that a group can give
its files headers of its own, repeated if need be: ``queries/competency/*.rq`` carry their source, quotes
and expected answer (``#+ source:``, ``#+ quote:``, ``#+ expect:``), read with :meth:`NamedQuery.header`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .namespaces import XSD

__all__ = ["XSD", "NamedQuery", "Param", "load_queries", "parse_query_file"]


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    datatype: str  # full IRI, or "iri" for an IRI parameter
    default: str | None  # "today" for an xsd:date parameter means the date the query runs

    def resolved_default(self, *, today: date | None = None) -> str | None:
        """The default value to bind, with ``today`` resolved to the current date (ISO 8601)."""
        if self.default == "today" and str(self.datatype) == str(XSD.date):
            return (today or date.today()).isoformat()
        return self.default


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    group: str
    path: Path
    text: str
    summary: str
    description: str = ""
    params: tuple[Param, ...] = field(default=())
    tags: tuple[str, ...] = field(default=())
    #: every ``#+ key: value`` line of the file, in order (repeated keys included)
    headers: tuple[tuple[str, str], ...] = field(default=())

    def header(self, key: str) -> tuple[str, ...]:
        """The values of every ``#+ key:`` line, in file order (``()`` when there is none)."""
        return tuple(value for k, value in self.headers if k == key)

    @property
    def qualified_name(self) -> str:
        return f"{self.group}/{self.name}"


def _datatype(token: str) -> str:
    if token == "iri":
        return "iri"
    if token.startswith("xsd:"):
        return str(XSD) + token[4:]
    return token


def parse_query_file(path: Path, *, group: str | None = None) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    headers: list[tuple[str, str]] = []
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#+"):
            if stripped and not stripped.startswith("#"):
                break
            continue
        key, _, value = stripped[2:].partition(":")
        key, value = key.strip(), value.strip()
        headers.append((key, value))
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2:
                raise ValueError(f"{path}: '#+ param:' needs a name and a datatype")
            params.append(Param(parts[0], _datatype(parts[1]), parts[2] if len(parts) > 2 else None))
        else:
            meta[key] = value
    if "summary" not in meta:
        raise ValueError(f"{path}: missing '#+ summary:' header")
    return NamedQuery(
        name=path.stem,
        group=group or path.parent.name,
        path=path,
        text=text,
        summary=meta["summary"],
        description=meta.get("description", ""),
        params=tuple(params),
        tags=tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip()),
        headers=tuple(headers),
    )


def load_queries(queries_dir: Path, group: str) -> dict[str, NamedQuery]:
    """All ``queries/<group>/*.rq`` by name, sorted."""
    folder = queries_dir / group
    return {p.stem: parse_query_file(p, group=group) for p in sorted(folder.glob("*.rq"))}
