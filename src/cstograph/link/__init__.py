"""Links between our resources and external open data: compute, check, record, compare.

One linker per external dataset, each checking the graph against its reference:

* **Wikidata** (``_wikidata``) — the verified table ``data/links/reference/wikidata.csv`` against our
  ``skos:exactMatch`` links and, when given, an export file (Turtle / N-Triples in Wikidata's own RDF shape:
  ``wdt:P298`` ISO codes, ``rdfs:label``, ``p:P463``/``ps:P463`` member-of statements with
  ``pq:P580``/``pq:P582`` qualifiers) or, only when asked (``online=True``, ``_online``), the live service
  at ``query.wikidata.org`` (the only host allowed). Only verified QIDs are ever recorded as links; what the
  export suggests beyond them is reported as a candidate, never asserted. ``_memberships`` compares the
  export's member-of statements with our memberships.
* **ISO 3166-1** (``_iso3166``) — our ``cst:iso3166Alpha2/Alpha3/Numeric`` codes checked against pycountry.
* **COW / ATOP** (``_cow_atop``) — our ``cst:cowCode`` (states) and ``cst:atopId`` / ``cst:cowAllianceId``
  (the Treaty) checked against ``data/links/reference/cow-atop.csv``.

The reference tables are data (``_reference``), transcribed from ``shared/reference/README.md``. Output
(``_linkset``): ``data/links/linkset.ttl``, written by a serializer — one ``void:Linkset`` per external
dataset with its method, tool, date and provenance, and one reified record per link or checked code. The
``skos:exactMatch`` triples themselves live in ``data/links/wikidata.ttl`` (hand-written from the same
table); :func:`link` checks that file against the table and reports any difference. The linkers read
an Oxigraph store (``_store``), so a store-based pipeline can hand them its own.
"""

from __future__ import annotations

from ._link import link, linkset_text
from ._linkset import LINKSET_FILE
from ._memberships import compare_memberships
from ._online import fetch_wikidata
from ._reference import Code, Reference, load_reference
from ._report import Finding, LinkReport

__all__ = [
    "LINKSET_FILE",
    "Code",
    "Finding",
    "LinkReport",
    "Reference",
    "compare_memberships",
    "fetch_wikidata",
    "link",
    "linkset_text",
    "load_reference",
]
