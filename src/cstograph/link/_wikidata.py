"""Links to Wikidata: the verified table (``data/links/reference/wikidata.csv``) against our graph's
``skos:exactMatch`` links and, when given, against a Wikidata export (``wdt:P298`` ISO codes, English
labels). Only verified QIDs are recorded as links; what the export suggests beyond them is a candidate."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from ..namespaces import CST, RDFS, SKOS, WD, WDT, to_ox
from ._report import LinkReport
from ._store import exists, label, literal, subjects

__all__ = ["LINKSET", "wikidata_links"]

DATASET = "wikidata"
#: How the link set is described in linkset.ttl: labels (en, ru), method, target dataset.
LINKSET = ("Links to Wikidata", "Связи с Викиданными",
           "Verified table of shared/reference/README.md (Identifiers for linking), checked against a "
           "Wikidata export by ISO 3166-1 alpha-3 (wdt:P298) or English label",
           "http://www.wikidata.org/")
_EXACT = str(SKOS.exactMatch)
_ALPHA3 = str(CST.iso3166Alpha3)

Index = dict[str, list[str]]


def _existing(ours: ox.Store) -> dict[str, set[str]]:
    """Our graph's links to Wikidata items: resource → items."""
    existing: dict[str, set[str]] = {}
    for q in ours.quads_for_pattern(None, ox.NamedNode(_EXACT), None, None):
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(str(WD)):
            existing.setdefault(q.subject.value, set()).add(q.object.value)  # type: ignore[union-attr]
    return existing


def _export_index(export: ox.Store) -> tuple[Index, Index]:
    """The export's items by ISO 3166-1 alpha-3 code and by casefolded English (or plain) label."""
    by_code: Index = {}
    by_label: Index = {}
    for q in export.quads_for_pattern(None, to_ox(WDT.P298), None, None):
        by_code.setdefault(q.object.value, []).append(q.subject.value)  # type: ignore[union-attr]
    for q in export.quads_for_pattern(None, to_ox(RDFS.label), None, None):
        item = q.subject.value  # type: ignore[union-attr]
        if isinstance(q.object, ox.Literal) and q.object.language in ("en", None) and item.startswith(str(WD)):
            items = by_label.setdefault(q.object.value.casefold(), [])
            if item not in items:
                items.append(item)
    return by_code, by_label


def _in_graph(ours: ox.Store, iri: str, item: str, have: set[str], report: LinkReport) -> bool:
    """Check one verified link against our graph; record it. False when the resource is not there."""
    if not exists(ours, ox.NamedNode(iri)):
        report.add(DATASET, "unmatched", iri, "verified QID but no such resource in our graph", "", item)
        return False
    report.links.append((DATASET, iri, _EXACT, item))
    if have and item not in have:
        report.add(DATASET, "conflict", iri, "our graph links another item", ", ".join(sorted(have)), item)
    elif not have:
        report.add(DATASET, "missing", iri, "verified link not in data/links/wikidata.ttl", "", item)
    return True


def _in_export(ours: ox.Store, iri: str, item: str, index: tuple[Index, Index], report: LinkReport) -> None:
    """Check one verified link against the export: by ISO code, else by English label."""
    by_code, by_label = index
    node = ox.NamedNode(iri)
    code = literal(ours, node, _ALPHA3)
    name = label(ours, node)
    candidates = by_code.get(code, []) if code else []
    method = "ISO 3166-1 alpha-3 (wdt:P298)"
    if not candidates and name:
        candidates, method = by_label.get(name.casefold(), []), "English label"
    if not candidates:
        report.add(DATASET, "unmatched", iri, "not found in the export", "", item)
    elif len(candidates) > 1:
        report.add(DATASET, "ambiguous", iri, f"{len(candidates)} items by {method}", item,
                   ", ".join(sorted(candidates)))
    elif candidates[0] != item:
        report.add(DATASET, "conflict", iri, f"the export matches another item by {method}", item, candidates[0])
    else:
        report.add(DATASET, "confirmed", iri, f"export agrees by {method}", item, item)


def _candidates(ours: ox.Store, by_code: Index, verified: Mapping[str, str], report: LinkReport) -> None:
    """Export items that name one of our unlinked states by ISO code: candidates only (never written)."""
    for state in subjects(ours, _ALPHA3):
        if state.value in verified:
            continue
        for item in by_code.get(literal(ours, state, _ALPHA3) or "", []):
            report.add(DATASET, "candidate", state.value,
                       "export item with the same ISO code (unverified: not written)", "", item)


def wikidata_links(ours: ox.Store, export: ox.Store | None, report: LinkReport, verified: Mapping[str, str]) -> None:
    """Check ``verified`` (our resource → Wikidata item) against our graph and the export; record links."""
    existing = _existing(ours)
    index = _export_index(export) if export is not None else None
    for iri, item in sorted(verified.items()):
        if _in_graph(ours, iri, item, existing.get(iri, set()), report) and index is not None:
            _in_export(ours, iri, item, index, report)
    for iri, items in sorted(existing.items()):
        for item in sorted(items):
            if verified.get(iri) != item:
                report.add(DATASET, "conflict", iri, "link in our graph is not in the verified table", "", item)
    if index is not None:
        _candidates(ours, index[0], verified, report)
