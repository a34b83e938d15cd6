"""Lexical facts about a SPARQL request string, without evaluating it.

The serving engine (Oxigraph) can fetch ``SERVICE`` IRIs over HTTP, and its ``use_default_graph_as_union``
option overrides a query's own ``FROM`` clauses. So before a query is run we need to know, cheaply and
conservatively, whether it uses ``SERVICE`` or a dataset clause, and whether it is an update.

:func:`code_text` blanks out string literals, IRI references and comments (SPARQL 1.1 Query §19.8 terminals
``STRING_LITERAL*``, ``IRIREF``, comments), leaving the code in which keywords can be searched. A keyword
found there may be a false positive (e.g. inside an unusual prefixed name) but never a false negative, so
checks built on it err on the side of refusing. Where precision matters (which SERVICE IRIs are used) the
query is parsed by rdflib's parser — only for the rare queries that mention SERVICE.
"""

from __future__ import annotations

import re

__all__ = ["code_text", "has_keyword", "looks_like_update", "service_targets"]

# One left-to-right scan: long strings first, then short strings, IRIs, comments (§19.8).
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def code_text(sparql: str) -> str:
    """``sparql`` with literals, IRIs and comments replaced by a space."""
    return _LEXEMES.sub(" ", sparql)


def _keyword(word: str) -> re.Pattern[str]:
    # Not part of a variable (?x $x), a prefixed name (ex:x, x:), or a longer word.
    return re.compile(r"(?<![\w?$:\-])" + word + r"(?![\w:\-])", re.IGNORECASE)


_KEYWORDS = {w: _keyword(w) for w in ("SERVICE", "FROM", *_UPDATE_KEYWORDS)}


def has_keyword(code: str, word: str) -> bool:
    """Whether keyword ``word`` occurs in ``code`` (the output of :func:`code_text`)."""
    pattern = _KEYWORDS.get(word.upper()) or _keyword(word)
    return pattern.search(code) is not None


def looks_like_update(code: str) -> bool:
    """Whether the request reads as a SPARQL 1.1 Update (its first keyword after the prologue)."""
    body = re.sub(r"(?i)\b(?:PREFIX\s+[\w.\-]*:|BASE)\s*", " ", code)
    first = re.match(r"\s*([A-Za-z]+)", body)
    return bool(first) and first.group(1).upper() in _UPDATE_KEYWORDS  # type: ignore[union-attr]


def service_targets(sparql: str, *, base_iri: str | None = None) -> list[str | None]:
    """The SERVICE endpoints of a query as IRIs (``None`` for ``SERVICE ?var``), via rdflib's parser.

    Raises :class:`ValueError` when the query does not parse there (callers refuse it then).
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.term import URIRef, Variable

    try:
        parsed = parseQuery(sparql)
        algebra = translateQuery(parsed, base=base_iri)
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot tell": refuse
        raise ValueError(f"cannot analyse SERVICE clauses: {exc}") from exc
    found: list[str | None] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if getattr(node, "name", None) == "ServiceGraphPattern":
                term = node.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
                if not isinstance(term, URIRef | Variable):
                    found.append(None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(algebra.algebra)
    return found
