"""Wikidata online, only when asked (``cstograph link --online``): one fixed CONSTRUCT query (nothing
formatted into it) sent to the one allowed host."""

from __future__ import annotations

import urllib.parse
import urllib.request

from ..errors import InputError
from ..namespaces import sparql_prefixes

__all__ = ["ALLOWED_ONLINE_HOST", "WIKIDATA_SPARQL", "fetch_wikidata"]

ALLOWED_ONLINE_HOST = "query.wikidata.org"
WIKIDATA_SPARQL = f"https://{ALLOWED_ONLINE_HOST}/sparql"

_ONLINE_QUERY = sparql_prefixes("wd", "wdt", "p", "ps", "pq", "rdfs") + """\
CONSTRUCT { ?item wdt:P298 ?code ; rdfs:label ?label ; p:P463 ?st .
            ?st ps:P463 wd:Q318693 ; pq:P580 ?start ; pq:P582 ?end . }
WHERE {
  { ?item wdt:P298 ?code . OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") } }
  UNION
  { ?item p:P463 ?st . ?st ps:P463 wd:Q318693 .
    OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end }
    OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") } }
}"""


def fetch_wikidata(endpoint: str = WIKIDATA_SPARQL, *, timeout: float = 60) -> bytes:
    """N-Triples of Wikidata's country codes and CSTO member statements, from the live service.
    A fixed query (nothing formatted into it); only ``https://query.wikidata.org/`` is allowed."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme != "https" or parts.hostname != ALLOWED_ONLINE_HOST:
        raise InputError(f"online linking may only call https://{ALLOWED_ONLINE_HOST}/ (not {endpoint})")
    body = urllib.parse.urlencode({"query": _ONLINE_QUERY}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={
        "Accept": "application/n-triples", "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "cstograph-link/0.1 (https://w3id.org/cstograph/)"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - allow-listed https host
        return resp.read()  # type: ignore[no-any-return]
