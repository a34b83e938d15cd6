"""COW / ATOP: our ``cst:cowCode`` (states) and ``cst:atopId`` / ``cst:cowAllianceId`` (the Treaty) checked
against the verified table ``data/links/reference/cow-atop.csv``."""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import CST, curie
from ._reference import Code
from ._report import LinkReport
from ._store import literal, subjects

__all__ = ["LINKSET", "cow_atop_links"]

DATASET = "cow-atop"
LINKSET = ("COW and ATOP codes", "Коды COW и ATOP",
           "cst:cowCode / cst:atopId / cst:cowAllianceId checked against the verified table of "
           "shared/reference/README.md (ATOP v4.01, COW)",
           "http://www.atopdata.org/")
_COW = str(CST.cowCode)


def _check(ours: ox.Store, code: Code, report: LinkReport) -> None:
    have = literal(ours, ox.NamedNode(code.resource), code.property)
    if have is None:
        report.add(DATASET, "missing", code.resource, f"no {curie(code.property)}", "", code.value)
    elif have != code.value:
        report.add(DATASET, "mismatch", code.resource, code.what, have, code.value)
    else:
        report.add(DATASET, "confirmed", code.resource, code.what, have, code.value)
        report.links.append((DATASET, code.resource, code.property, code.value))


def cow_atop_links(ours: ox.Store, report: LinkReport, codes: tuple[Code, ...]) -> None:
    """The states' COW numbers (and any COW number the table lacks), then the other codes, in table order."""
    states = sorted((c for c in codes if c.property == _COW), key=lambda c: c.resource)
    for code in states:
        _check(ours, code, report)
    verified = {c.resource for c in states}
    for state in subjects(ours, _COW):
        if state.value not in verified:
            report.add(DATASET, "unmatched", state.value, "COW code not in the verified table",
                       literal(ours, state, _COW) or "")
    for code in codes:
        if code.property != _COW:
            _check(ours, code, report)
