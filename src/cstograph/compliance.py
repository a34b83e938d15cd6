"""The obligation-compliance report: did the members honour what the Treaty obliged them to do?

The report is one SPARQL query, ``queries/checks/obligation-compliance.rq`` (its ``#+ description``
states the verdict rules), so the endpoint serves exactly the same report as the CLI. This module runs it
on a :class:`~cstograph.store.GraphStore` and renders the rows as text, JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .namespaces import curie
from .queries import NamedQuery, parse_query_file
from .store import GraphStore

__all__ = ["COMPLIANCE_QUERY", "Finding", "compliance_query", "compliance_report", "render"]

#: The query file, relative to ``queries/``.
COMPLIANCE_QUERY = Path("checks") / "obligation-compliance.rq"
VERDICTS = ("honoured", "not honoured", "undetermined", "not triggered")


@dataclass(frozen=True, slots=True)
class Finding:
    """One triggering event and what became of the obligation it triggered."""

    event: str
    event_label: str
    date: str
    kind: str  #: assistance | consultations | nonaggression | no-request
    article: str
    version: str | None  #: the article version in force on the date
    obligation: str | None
    condition: str | None
    parties: tuple[str, ...]  #: the requester, or the two sides
    bound: tuple[str, ...]  #: ISO 3166-1 alpha-3 codes of the states bound that day
    responses: tuple[str, ...]
    verdict: str
    reason: str


def compliance_query(queries_dir: Path) -> NamedQuery:
    return parse_query_file(queries_dir / COMPLIANCE_QUERY, group="checks")


def _value(row: dict[str, object], key: str) -> str | None:
    term = row.get(key)
    return None if term is None else str(term.value)  # type: ignore[attr-defined]


def compliance_report(store: GraphStore, queries_dir: Path) -> list[Finding]:
    """Run the compliance query; one :class:`Finding` per triggering event, in date order."""
    findings = []
    for row in store.select(compliance_query(queries_dir).text):
        r: dict[str, object] = dict(row)
        parties = tuple(p for p in (_value(r, "party"), _value(r, "party2")) if p)
        findings.append(Finding(
            event=_value(r, "event") or "",
            event_label=_value(r, "eventLabel") or "",
            date=_value(r, "date") or "",
            kind=_value(r, "kind") or "",
            article=_value(r, "article") or "",
            version=_value(r, "version"),
            obligation=_value(r, "obligation"),
            condition=_value(r, "condition"),
            parties=parties,
            bound=tuple(sorted((_value(r, "bound") or "").split())),
            responses=tuple(x for x in (_value(r, "responses") or "").split("; ") if x),
            verdict=_value(r, "verdict") or "",
            reason=_value(r, "reason") or "",
        ))
    return findings


def _name(iri: str | None) -> str:
    """A resource of the report by its prefixed name (:func:`~cstograph.namespaces.curie`), ``-`` for none."""
    return curie(iri) if iri else "-"


def _csv(findings: list[Finding]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(Finding.__dataclass_fields__), lineterminator="\n")
    w.writeheader()
    for f in findings:
        w.writerow({k: " ".join(v) if isinstance(v, tuple | list) else ("" if v is None else v)
                    for k, v in asdict(f).items()})
    return out.getvalue()


def _text(findings: list[Finding]) -> str:
    lines = [f"Obligation compliance: {len(findings)} triggering event(s)"]
    for f in findings:
        lines += [
            "",
            f"{f.date}  {f.event_label}  [{_name(f.event)}]",
            f"  obligation: {_name(f.obligation)} — {_name(f.article)}, version in force: {_name(f.version)}",
            f"  condition:  {f.condition or 'none'}",
            f"  parties:    {' '.join(_name(p) for p in f.parties) or '-'}",
            f"  bound:      {' '.join(f.bound) or '-'}",
            f"  followed:   {'; '.join(f.responses) or 'nothing recorded'}",
            f"  verdict:    {f.verdict.upper()} — {f.reason}",
        ]
    return "\n".join(lines) + "\n"


def render(findings: list[Finding], fmt: str = "text") -> str:
    """``text`` for a person, ``json`` (a list of objects), or ``csv`` (one row per finding)."""
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(findings)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}")
    return _text(findings)
