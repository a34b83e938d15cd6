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

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .namespaces import PREFIXES, XSD

__all__ = ["XSD", "NamedQuery", "Param", "ParameterError", "bind_parameters", "load_queries", "parse_query_file"]


class ParameterError(ValueError):
    """A parameter value that does not fit its declared type, or a parameter the query does not declare.
    The message says what was given, what is expected, and (for a misspelling) what was probably meant."""


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

    @property
    def served(self) -> bool:
        """Whether the endpoint serves it. ``#+ scope: build`` marks a check that only the build runs, on its own
        store (Oxigraph): one whose SPARQL other servers evaluate differently, so it is not offered to them."""
        return "build" not in self.header("scope")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_SCHEMES = ("http://", "https://", "urn:", "mailto:", "tag:", "file:")
_DATE = re.compile(r"-?\d{4}-\d{2}-\d{2}")
_GYEAR = re.compile(r"-?\d{4}")
_GYEARMONTH = re.compile(r"-?\d{4}-\d{2}")


def _iri(name: str, value: str) -> ox.NamedNode:
    """An ``iri`` parameter: a full IRI (``https://…``, ``<…>``) or a prefixed name of a known prefix."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = str(PREFIXES[prefix]) + local
    elif not text.lower().startswith(_IRI_SCHEMES):
        known = ", ".join(f"{p}:" for p in sorted(PREFIXES))
        hint = f"; did you mean state:{text}?" if re.fullmatch(r"[A-Z]{3}", text) else ""
        unknown = f" (the prefix {prefix}: is not known)" if sep and _SCHEME.match(text) else ""
        raise ParameterError(f"{name}: {value!r} is not an IRI{unknown}: give a full IRI (https://…) or a prefixed "
                             f"name such as state:ARM (prefixes: {known}){hint}")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise ParameterError(f"{name}: {value!r} is not a valid IRI: {exc}") from None


def _literal(name: str, value: str, datatype: str) -> ox.Literal:
    """A typed parameter, checked against its datatype's lexical space (XSD 1.1 Part 2 §3.3)."""
    local = datatype[len(str(XSD)):] if datatype.startswith(str(XSD)) else None
    problem = None
    if local == "date":
        if not _DATE.fullmatch(value):
            problem = "expected a date as YYYY-MM-DD (or 'today')"
        else:
            try:
                date.fromisoformat(value)
            except ValueError as exc:
                problem = f"not a calendar date ({exc})"
    elif local == "gYear" and not _GYEAR.fullmatch(value):
        problem = "expected a year as YYYY"
    elif local == "gYearMonth" and not (_GYEARMONTH.fullmatch(value) and 1 <= int(value[-2:]) <= 12):
        problem = "expected a month as YYYY-MM"
    elif local in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        try:
            number = int(value)
        except ValueError:
            problem = "expected a whole number"
        else:
            if local == "nonNegativeInteger" and number < 0 or local == "positiveInteger" and number < 1:
                problem = f"expected a {local}"
    elif local in ("decimal", "double", "float"):
        try:
            Decimal(value)
        except InvalidOperation:
            problem = "expected a number"
    elif local == "boolean" and value not in ("true", "false", "1", "0"):
        problem = "expected true or false"
    if problem:
        shown = f"xsd:{local}" if local else datatype
        raise ParameterError(f"{name}: {value!r} is not a valid {shown}: {problem}")
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def bind_parameters(named: NamedQuery, given: Mapping[str, str], *,
                    today: date | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
    """The terms to bind (SEP-0007 substitution, never formatted into the text) for the declared ``#+ param:``
    values of ``named``: each given value, else its default (``today`` for a date: the day it runs).

    Raises :class:`ParameterError` for a parameter the query does not declare (with the likely one meant) and
    for a value outside its type: a date that is not a calendar date (``1995-13-45``) or not a date at all
    (``yesterday``), an ``iri`` that is neither a full IRI nor a prefixed name of a known prefix (``ARM``).

    >>> from pathlib import Path
    >>> q = NamedQuery("q", "examples", Path("q.rq"), "", "", params=(Param("date", str(XSD.date), "today"),))
    >>> bind_parameters(q, {"date": "1995-01-01"})["date"].value
    '1995-01-01'
    >>> bind_parameters(q, {"dat": "1995-01-01"})
    Traceback (most recent call last):
    ...
    cstograph.queries.ParameterError: unknown parameter 'dat' for examples/q: did you mean 'date'? It takes: date
    """
    declared = {p.name: p for p in named.params}
    for key in given:
        if key not in declared:
            close = difflib.get_close_matches(key, declared, n=1)
            meant = f"did you mean {close[0]!r}? " if close else ""
            takes = ", ".join(declared) or "no parameters"
            raise ParameterError(f"unknown parameter {key!r} for {named.qualified_name}: {meant}It takes: {takes}")
    subs: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in named.params:
        value = given.get(param.name)
        if value is None or (value == "today" and param.datatype == str(XSD.date)):
            value = param.resolved_default(today=today) if value is None else (today or date.today()).isoformat()
        if value is None:
            continue
        subs[param.name] = _iri(param.name, value) if param.datatype == "iri" else _literal(
            param.name, value, param.datatype)
    return subs


def _datatype(token: str) -> str:
    if token == "iri":
        return "iri"
    if token.startswith("xsd:"):
        return str(XSD) + token[4:]
    return token


def parse_query_file(path: Path, *, group: str | None = None, require_summary: bool = True) -> NamedQuery:
    """The query in ``path`` with its ``#+`` headers. A named query of the project must have a
    ``#+ summary:``; a plain ``.rq`` file given by path (``require_summary=False``) need not. Raises
    :class:`ValueError` naming the file for a malformed header."""
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
    if "summary" not in meta and require_summary:
        raise ValueError(f"{path}: missing '#+ summary:' header")
    return NamedQuery(
        name=path.stem,
        group=group or path.parent.name,
        path=path,
        text=text,
        summary=meta.get("summary", ""),
        description=meta.get("description", ""),
        params=tuple(params),
        tags=tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip()),
        headers=tuple(headers),
    )


def load_queries(queries_dir: Path, group: str) -> dict[str, NamedQuery]:
    """All ``queries/<group>/*.rq`` by name, sorted."""
    folder = queries_dir / group
    return {p.stem: parse_query_file(p, group=group) for p in sorted(folder.glob("*.rq"))}
