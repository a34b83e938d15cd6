"""``cstograph link``: read our graph (and an export), run each dataset's linker, write the link set."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ._cow_atop import LINKSET as COW_ATOP
from ._cow_atop import cow_atop_links
from ._iso3166 import LINKSET as ISO3166
from ._iso3166 import iso_links
from ._linkset import LINKSET_FILE, Description, linkset_turtle
from ._memberships import compare_memberships
from ._online import fetch_wikidata
from ._reference import load_reference
from ._report import LinkReport
from ._store import load
from ._wikidata import LINKSET as WIKIDATA
from ._wikidata import wikidata_links

__all__ = ["link", "linkset_text"]

DESCRIPTIONS: dict[str, Description] = {"wikidata": WIKIDATA, "iso3166": ISO3166, "cow-atop": COW_ATOP}


def _export(wikidata_export: Path | None, online: bool) -> ox.Store | None:
    export = load([wikidata_export]) if wikidata_export is not None else None
    if online:
        export = export or ox.Store()
        export.load(fetch_wikidata(), format=ox.RdfFormat.N_TRIPLES)
    return export


def linkset_text(report: LinkReport) -> str:
    """The text of ``data/links/linkset.ttl`` that :func:`link` writes for ``report`` (with this machine's
    pycountry, the reference library of the ISO 3166 codes)."""
    return linkset_turtle(report, DESCRIPTIONS, used={"pycountry": version("pycountry")})


def _write(settings: Settings, report: LinkReport) -> None:
    out = settings.data_dir / "links" / LINKSET_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    text = linkset_text(report)
    list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))  # refuse to write what would not parse
    out.write_text(text, encoding="utf-8")
    report.written.append(str(out))


def link(settings: Settings, *, wikidata_export: Path | None = None, online: bool = False,
         date: dt.date | None = None, write: bool = True) -> LinkReport:
    """Compute and check the links; write ``data/links/linkset.ttl`` unless ``write=False``."""
    reference = load_reference(settings)
    data_files = [p for p in settings.data_files() if p.name != LINKSET_FILE or p.parent.name != "links"]
    ours = load([settings.ontology_file, *data_files])
    export = _export(wikidata_export, online)
    report = LinkReport(date=(date or dt.date.today()).isoformat())
    wikidata_links(ours, export, report, reference.wikidata)
    iso_links(ours, report)
    cow_atop_links(ours, report, reference.codes)
    if export is not None:
        compare_memberships(ours, export, report, reference.wikidata)
    if write:
        _write(settings, report)
    return report
