"""What a linking run finds: :class:`Finding` s and the links it records, as text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..namespaces import curie

__all__ = ["DATASETS", "Finding", "LinkReport"]

#: The external datasets, in the order they are linked and reported.
DATASETS = ("wikidata", "iso3166", "cow-atop")
#: Kinds of finding, in the order the text report lists them.
_ORDER = ("conflict", "mismatch", "ambiguous", "unmatched", "missing", "candidate", "member-not-in-graph",
          "member-not-in-export", "date-differs", "missing-spell", "extra-spell", "confirmed")


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of linking or comparison. ``kind`` is one of: confirmed, candidate, unmatched,
    ambiguous, conflict (links); mismatch, missing (codes); member-not-in-graph, member-not-in-export,
    date-differs, missing-spell, extra-spell (memberships)."""

    dataset: str
    kind: str
    subject: str
    detail: str
    ours: str = ""
    theirs: str = ""


@dataclass(slots=True)
class LinkReport:
    date: str
    findings: list[Finding] = field(default_factory=list)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)  # (dataset, subject, property, object)
    written: list[str] = field(default_factory=list)

    def of(self, kind: str, dataset: str | None = None) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind and (dataset is None or f.dataset == dataset)]

    def add(self, *finding: str) -> None:
        """Record a finding: ``add(dataset, kind, subject, detail[, ours[, theirs]])``."""
        self.findings.append(Finding(*finding))

    @property
    def conflicts(self) -> list[Finding]:
        return [f for f in self.findings if f.kind in ("conflict", "mismatch")]

    def to_json(self) -> str:
        return json.dumps({"date": self.date, "written": self.written,
                           "findings": [asdict(f) for f in self.findings],
                           "links": [dict(zip(("dataset", "subject", "property", "object"), link, strict=True))
                                     for link in self.links]}, indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"cstograph link — {self.date}"]
        for kind in _ORDER:
            found = self.of(kind)
            if not found:
                continue
            lines.append(f"\n{kind} ({len(found)}):")
            for f in found:
                extra = f" [ours: {f.ours or '—'}; theirs: {f.theirs or '—'}]" if (f.ours or f.theirs) else ""
                lines.append(f"  {f.dataset:9} {curie(f.subject):28} {f.detail}{extra}")
        n = {d: sum(1 for link in self.links if link[0] == d) for d in DATASETS}
        lines.append(f"\nlinks recorded: {n['wikidata']} Wikidata, {n['iso3166']} ISO 3166, {n['cow-atop']} COW/ATOP")
        lines += [f"wrote {p}" for p in self.written]
        return "\n".join(lines)
