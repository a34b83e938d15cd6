"""The query page: what a browser gets from a GET on the endpoint without a query (``templates/query.html``
with ``static/dist/query.js``, built from ``frontend/``): the named example queries ready to load and run, and
the results of a run, fetched from the endpoint itself as SPARQL JSON."""

from __future__ import annotations

from collections.abc import Iterable

from ..namespaces import sparql_prefixes
from ..queries import NamedQuery

__all__ = ["query_page_context"]

_DEFAULT_QUERY = sparql_prefixes("rdfs") + """SELECT ?class (COUNT(?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)
LIMIT 20"""


def query_page_context(
    *, endpoint: str, queries_url: str, named: Iterable[NamedQuery], timeout: float, max_rows: int
) -> dict[str, object]:
    """The template's values; ``queries_url`` is the base of the named queries (``…/queries``)."""
    items = {
        q.qualified_name: {
            "summary": q.summary,
            "text": q.text,
            "url": f"{queries_url}/{q.qualified_name}",
            "params": [{"name": p.name, "datatype": p.datatype, "default": p.resolved_default()} for p in q.params],
        }
        for q in named
    }
    return {"endpoint": endpoint, "queries_url": queries_url, "timeout": f"{timeout:g}", "max_rows": max_rows,
            "items": items, "default_query": _DEFAULT_QUERY}
