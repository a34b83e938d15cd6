"""Memberships compared with a Wikidata export: where the export's ``p:P463`` statements (with
``pq:P580``/``pq:P582`` qualifiers) disagree with our memberships of the organizations we link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ..namespaces import CST, PQ, PS, P, curie, expand, to_ox
from ._report import LinkReport
from ._store import label, literal, objects, subjects

__all__ = ["compare_memberships"]

DATASET = "wikidata"
#: The organizations whose memberships are compared.
ORGANIZATIONS = (str(expand("organization:csto")), str(expand("treaty:cst")))
#: Wikidata conflates the CSTO with the 1992 Treaty it grew from (membership dates from 1992): when
#: comparing memberships of the CSTO item, our spells of both count.
PREDECESSORS: Mapping[str, tuple[str, ...]] = {ORGANIZATIONS[0]: (ORGANIZATIONS[1],)}

Spell = tuple[str, str]  # (start, end) as YYYY-MM-DD ("" when open or unknown)


def _merge(spells: Iterable[Spell]) -> list[Spell]:
    """Join spells that overlap or touch (a status change is not a new membership)."""
    out: list[list[str]] = []
    for start, end in sorted(spells):
        if out and (out[-1][1] == "" or start <= out[-1][1]):
            if out[-1][1] != "" and (end == "" or end > out[-1][1]):
                out[-1][1] = end
            continue
        out.append([start, end])
    return [(s, e) for s, e in out]


def _overlap(a: Spell, b: Spell) -> bool:
    a_end, b_end = a[1] or "9999", b[1] or "9999"
    return a[0] < b_end and b[0] < a_end


def _ours(store: ox.Store, organizations: Iterable[str]) -> dict[str, list[Spell]]:
    """Our members of the organizations, with their spells."""
    mine: dict[str, list[Spell]] = {}
    for org in organizations:
        for m in subjects(store, str(CST.memberOf), ox.NamedNode(org)):
            member = objects(store, m, str(CST.member))
            start = literal(store, m, str(CST.startDate))
            if not member or start is None:
                continue
            end = literal(store, m, str(CST.endDate)) or ""
            mine.setdefault(member[0].value, []).append((start[:10], end[:10]))
    return mine


def _theirs(export: ox.Store, org_item: str) -> dict[str, list[Spell]]:
    """The export's members of an item (``?item p:P463 [ ps:P463 org ; pq:P580 start ; pq:P582 end ]``)."""
    theirs: dict[str, list[Spell]] = {}
    for q in export.quads_for_pattern(None, to_ox(PS.P463), ox.NamedNode(org_item), None):
        statement = q.subject
        for owner in export.quads_for_pattern(None, to_ox(P.P463), statement, None):
            start = (literal(export, statement, str(PQ.P580)) or "")[:10]  # type: ignore[arg-type]
            end = (literal(export, statement, str(PQ.P582)) or "")[:10]  # type: ignore[arg-type]
            theirs.setdefault(owner.subject.value, []).append((start, end))  # type: ignore[union-attr]
    return theirs


def _compare_spells(state: str, ours: list[Spell], theirs: list[Spell], org_item: str, report: LinkReport) -> None:
    ours_m, theirs_m = _merge(ours), _merge(theirs)
    paired: set[int] = set()
    for spell in theirs_m:
        match = next((i for i, o in enumerate(ours_m) if i not in paired and _overlap(o, spell)), None)
        if match is None:
            report.add(DATASET, "extra-spell", state, f"a spell of {curie(org_item)} we do not have",
                       "", f"{spell[0]}–{spell[1]}")
            continue
        paired.add(match)
        o = ours_m[match]
        for what, a, b in (("start", o[0], spell[0]), ("end", o[1], spell[1])):
            if a != b:
                report.add(DATASET, "date-differs", state, f"{what} of membership of {curie(org_item)}",
                           a or "(open)", b or "(none)")
    for i, o in enumerate(ours_m):
        if i not in paired:
            report.add(DATASET, "missing-spell", state, f"our spell of {curie(org_item)} is missing from the export",
                       f"{o[0]}–{o[1]}", "")


def _compare(export: ox.Store, mine: dict[str, list[Spell]], theirs: dict[str, list[Spell]],
             org_item: str, ours_of: Mapping[str, str], report: LinkReport) -> None:
    for item, spells in sorted(theirs.items()):
        state = ours_of.get(item)
        if state is None or state not in mine:
            name = label(export, ox.NamedNode(item)) or item
            report.add(DATASET, "member-not-in-graph", state or item,
                       f"the export lists {name} as a member of {curie(org_item)}; our graph does not",
                       "", ", ".join(f"{s}–{e}" if s or e else "(no dates)" for s, e in spells))
        else:
            _compare_spells(state, mine[state], spells, org_item, report)
    for state in sorted(set(mine) - {ours_of.get(i) for i in theirs}):
        report.add(DATASET, "member-not-in-export", state,
                   f"a member of {curie(org_item)} in our graph, absent from the export",
                   ", ".join(f"{s}–{e}" for s, e in _merge(mine[state])), "")


def compare_memberships(ours: ox.Store, export: ox.Store, report: LinkReport, verified: Mapping[str, str]) -> None:
    """Where the export's ``p:P463`` statements (with ``pq:P580``/``pq:P582``) disagree with our
    memberships of the organizations we link to Wikidata (``verified``: our resource → Wikidata item)."""
    ours_of = {item: iri for iri, item in verified.items()}
    for org in ORGANIZATIONS:
        if org not in verified:
            continue
        theirs = _theirs(export, verified[org])
        if theirs:
            mine = _ours(ours, (org, *PREDECESSORS.get(org, ())))
            _compare(export, mine, theirs, verified[org], ours_of, report)
