"""ISO 3166: our ``cst:iso3166Alpha2/Alpha3/Numeric`` codes and English labels checked against
``pycountry`` (ISO 3166-1, and ISO 3166-3 for former countries)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..namespaces import CST, RDF, to_ox
from ._report import LinkReport
from ._store import label, literal, subjects

__all__ = ["LINKSET", "iso_links"]

DATASET = "iso3166"
LINKSET = ("ISO 3166-1 codes", "Коды ISO 3166-1",
           "cst:iso3166Alpha2/Alpha3/Numeric checked against pycountry (ISO 3166-1 and ISO 3166-3)",
           "https://www.iso.org/iso-3166-country-codes.html")


def _entry(a3: str) -> tuple[Any, str] | None:
    """The ISO 3166-1 (else -3) entry of an alpha-3 code and which part it is in."""
    import pycountry

    country = pycountry.countries.get(alpha_3=a3)
    if country is not None:
        return country, "ISO 3166-1"
    historic = pycountry.historic_countries.get(alpha_3=a3)
    return (historic, "ISO 3166-3 (former country)") if historic is not None else None


def _codes_agree(ours: ox.Store, state: ox.NamedNode, entry: Any, report: LinkReport) -> bool:
    ok = True
    for prop, attr, what in ((CST.iso3166Alpha2, "alpha_2", "alpha-2 code"),
                             (CST.iso3166Numeric, "numeric", "numeric code")):
        have = literal(ours, state, str(prop))
        if have is not None and getattr(entry, attr, have) != have:
            ok = False
            report.add(DATASET, "mismatch", state.value, what, have, getattr(entry, attr))
    return ok


def _label_agrees(ours: ox.Store, state: ox.NamedNode, entry: Any, report: LinkReport) -> None:
    name = label(ours, state) or ""
    names = {getattr(entry, n, "") for n in ("name", "common_name", "official_name")} - {""}
    if name and not any(name.casefold() in n.casefold() or n.casefold() in name.casefold() for n in names):
        report.add(DATASET, "candidate", state.value, "English label differs from the ISO names (check, not an error)",
                   name, " / ".join(sorted(names)))


def iso_links(ours: ox.Store, report: LinkReport) -> None:
    """Check every ``cst:State``'s codes; record the alpha-3 code of each state that agrees."""
    for state in subjects(ours, str(RDF.type), to_ox(CST.State)):
        a3 = literal(ours, state, str(CST.iso3166Alpha3))
        if a3 is None:
            report.add(DATASET, "missing", state.value, "no cst:iso3166Alpha3")
            continue
        found = _entry(a3)
        if found is None:
            report.add(DATASET, "unmatched", state.value, "alpha-3 code not in ISO 3166-1 or -3", a3)
            continue
        entry, part = found
        ok = _codes_agree(ours, state, entry, report)
        _label_agrees(ours, state, entry, report)
        if ok:
            report.add(DATASET, "confirmed", state.value, f"{part}: {entry.name}", a3, a3)
            report.links.append((DATASET, state.value, str(CST.iso3166Alpha3), a3))
