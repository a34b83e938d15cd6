"""The verified identifier tables, read from ``data/links/reference/*.csv`` (data, not code; see the
README there): which Wikidata item each of our resources is, and which COW / ATOP code it has."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..config import Settings
from ..errors import InputError
from ..namespaces import WD, expand

__all__ = ["Code", "Reference", "load_reference", "reference_dir"]


@dataclass(frozen=True, slots=True)
class Code:
    """A verified code: ``resource property value`` (full IRIs), ``what`` names it in reports."""

    resource: str
    property: str
    value: str
    what: str


@dataclass(frozen=True, slots=True)
class Reference:
    #: our resource IRI → Wikidata item IRI
    wikidata: Mapping[str, str]
    #: COW / ATOP codes, in table order
    codes: tuple[Code, ...]


def reference_dir(settings: Settings) -> Path:
    return settings.data_dir / "links" / "reference"


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    for n, row in enumerate(rows, start=2):
        if any(not row.get(c) for c in columns):
            raise InputError(f"{path}:{n}: needs {', '.join(columns)}")
    return rows


def _iri(path: Path, name: str) -> str:
    try:
        return str(expand(name))
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from exc


def load_reference(settings: Settings) -> Reference:
    """The reference tables of a project. Raises :class:`InputError` for a missing or malformed table."""
    folder = reference_dir(settings)
    wikidata_csv, codes_csv = folder / "wikidata.csv", folder / "cow-atop.csv"
    wikidata = {_iri(wikidata_csv, r["resource"]): str(WD[r["wikidata"]])
                for r in _rows(wikidata_csv, ("resource", "wikidata"))}
    codes = tuple(Code(_iri(codes_csv, r["resource"]), _iri(codes_csv, r["property"]), r["value"], r["what"])
                  for r in _rows(codes_csv, ("resource", "property", "value", "what")))
    return Reference(wikidata=MappingProxyType(wikidata), codes=codes)
