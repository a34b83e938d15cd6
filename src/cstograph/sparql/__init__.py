"""SPARQL 1.1 as a language: read a query without running it.

The endpoint decides what it may run from a real parse (SPARQL 1.1 Query §19.8), never from regular
expressions over the text: which ``SERVICE`` endpoints a query would call, whether it names its own dataset
(``FROM``), whether it is an update, and whether its algebra nests deeper than the engine can evaluate.

>>> a = analyse("PREFIX : <http://example.org/> SELECT * WHERE { SERVICE :q { ?s ?p ?o } }")
>>> a.form, [s.iri for s in a.services]
('SELECT', ['http://example.org/q'])
>>> analyse("SELECT * { ?s ?p ?o } LIMIT 1").depth
3
"""

from __future__ import annotations

from ._analysis import QueryAnalysis, analyse, with_explicit_services
from ._lexer import SparqlSyntaxError, Token, tokens
from ._parser import Limits, QueryTooComplex, ServiceCall, UpdateRequest

__all__ = [
    "Limits",
    "QueryAnalysis",
    "QueryTooComplex",
    "ServiceCall",
    "SparqlSyntaxError",
    "Token",
    "UpdateRequest",
    "analyse",
    "tokens",
    "with_explicit_services",
]
