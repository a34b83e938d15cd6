"""The membership timeline's data: states as rows, memberships as bars, dated events as marks.

Bars carry their status (full member, suspended, participation frozen, observer); each row has one lane per
organization or treaty shown (e.g. the 1992 Treaty and the CSTO). Dated events that concern a state
(accessions, withdrawals, suspensions, requests for assistance, …) are marked on its row. Parameters are
bound by SPARQL substitution (SEP-0007), never formatted into the query text. Drawing: ``views.timeline_svg``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ...namespaces import CST, RDF, SKOS, sparql_prefixes, to_ox
from ...store import GraphStore
from .resources import ResourceService

__all__ = ["Bar", "Mark", "Row", "TimelineData", "parse_date", "timeline_data"]

# (the bound ?of first: Oxigraph joins in the written order, and a store may hold a million memberships)
_MEMBERSHIPS = sparql_prefixes("cst") + """SELECT ?of ?m ?state ?start ?end ?status WHERE {
  ?m cst:memberOf ?of ; a cst:Membership ; cst:member ?state ; cst:startDate ?start .
  ?state a cst:State .
  OPTIONAL { ?m cst:endDate ?end }
  OPTIONAL { ?m cst:status ?status }
}"""

# Dated events that name a state (bound: one state at a time) in one of these roles, or that started or ended
# one of its memberships.
_EVENTS = sparql_prefixes("cst") + """SELECT DISTINCT ?state ?e ?date WHERE {
  { ?e cst:requester|cst:agent|cst:participant|cst:signatory|cst:speaker|cst:side ?state . }
  UNION { ?m cst:member ?state ; cst:startedBy|cst:endedBy ?e . }
  ?e cst:date ?date .
  ?state a cst:State .
}"""

_STATUS_CLASS = {
    str(CST.FullMember): "full",
    str(CST.Suspended): "suspended",
    str(CST.ParticipationFrozen): "frozen",
    str(CST.Observer): "observer",
}
_KIND_CLASS = {
    "Accession": "accession", "Signing": "signing", "Ratification": "signing",
    "Withdrawal": "withdrawal", "NonRenewal": "withdrawal",
    "Suspension": "suspension", "ParticipationFreeze": "freeze",
    "RequestForAssistance": "request",
    "Deployment": "response", "Mission": "response", "Refusal": "response", "NoResponse": "response",
}
def parse_date(value: str, *, end: bool = False) -> dt.date | None:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` lexical form → a day (first day, or last if ``end``)."""
    parts = value.strip()[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        day = int(parts[2]) if len(parts) > 2 else (31 if end and month == 12 else 1)
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Bar:
    lane: str  # IRI of the organization or treaty
    membership: str
    start: dt.date
    end: dt.date | None  # None: still held
    status: str  # full | suspended | frozen | observer


@dataclass(frozen=True, slots=True)
class Mark:
    event: str
    date: dt.date
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Row:
    state: str
    label: str
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class TimelineData:
    subjects: tuple[str, ...]
    lanes: tuple[tuple[str, str, str], ...]  # (IRI, label, short label) of each lane, in order
    rows: tuple[Row, ...]
    today: dt.date


def timeline_data(resources: ResourceService, subjects: Sequence[str], *, states: Sequence[str] | None = None,
                  today: dt.date | None = None, lang: str = "en") -> TimelineData:
    """Rows (one per state with a membership of a subject), their bars and their event marks."""
    store = resources.store
    today = today or dt.date.today()
    bars: dict[str, list[Bar]] = {}
    only: list[ox.NamedNode | None] = [None] if states is None else [ox.NamedNode(s) for s in states]
    for subject in subjects:
        for state_node in only:
            bound = {"of": ox.NamedNode(subject)} | ({} if state_node is None else {"state": state_node})
            for r in store.select(_MEMBERSHIPS, substitutions=bound):
                start = parse_date(r["start"].value)
                if start is None:
                    continue
                end = parse_date(r["end"].value) if "end" in r else None
                status = _STATUS_CLASS.get(r["status"].value, "full") if "status" in r else "full"
                bars.setdefault(r["state"].value, []).append(Bar(subject, r["m"].value, start, end, status))
    marks: dict[str, list[Mark]] = {}
    for state in bars:  # (the states drawn only: a store may date events of thousands)
        for r in store.select(_EVENTS, substitutions={"state": ox.NamedNode(state)}):
            date = parse_date(r["date"].value)
            ev = r["e"]
            kind = _event_kind(store, ev)  # type: ignore[arg-type]
            if date is None or kind is None or any(m.event == ev.value for m in marks.get(state, [])):
                continue
            marks.setdefault(state, []).append(Mark(ev.value, date, kind, resources.label(ev.value, lang)))
    rows = [
        Row(state, resources.label(state, lang),
            tuple(sorted(b, key=lambda x: (x.start, x.lane))),
            tuple(sorted(marks.get(state, []), key=lambda m: (m.date, m.event))))
        for state, b in bars.items()
    ]
    rows.sort(key=lambda row: (min(b.start for b in row.bars), row.label))
    used = [s for s in subjects if any(b.lane == s for row in rows for b in row.bars)] or list(subjects)
    lanes = tuple((s, resources.label(s, lang), lane_label(resources, s)) for s in used)
    return TimelineData(tuple(subjects), lanes, tuple(rows), today)


_RDF_TYPE = to_ox(RDF.type)
_ALT_LABEL = to_ox(SKOS.altLabel)


def _event_kind(store: GraphStore, event: ox.NamedNode) -> str | None:
    """The mark kind of an event from its most telling type (None: not a kind the picture marks)."""
    types = {q.object.value.rsplit("#", 1)[-1] for q in store.quads(event, _RDF_TYPE)
             if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(str(CST))}
    for name, kind in _KIND_CLASS.items():
        if name in types:
            return kind
    return None


def lane_label(resources: ResourceService, iri: str) -> str:
    """A short name for a lane: the abbreviation (skos:altLabel, Latin script) or the label."""
    alts = [q.object.value for q in resources.store.quads(ox.NamedNode(iri), _ALT_LABEL)
            if isinstance(q.object, ox.Literal) and q.object.language in (None, "en")]
    short = sorted((a for a in alts if a.isascii()), key=len)
    return short[0] if short else resources.label(iri)
