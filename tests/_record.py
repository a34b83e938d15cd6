"""The reference record (../shared/reference/README.md) as addressable parts, for tests of citations.

A citation of ``source:ref-reference-readme`` names the part it quotes in its ``cst:locator``:

- ``"<Section>, row <cells>"`` — a table row of the section with a cell equal to ``<cells>``, or whose cells
  include every comma-separated part of it (``"Timeline, row 2012-06-28"``, ``"Identifiers for linking, row
  Russia"``, ``"Secretaries General, row Valery Semerikov (acting), 2017-01-01 – 2017-05-02"``);
- ``"Treaty texts, <bullet>"`` — the bullet that starts with ``<bullet>:`` or ``<bullet> (``
  (``"Treaty texts, Article 1"``, ``"Treaty texts, Charter Article 8"``);
- ``"<Section>"`` — the whole section (``"Alliance datasets"``).

Sections are named by the start of their ``##`` heading (``Timeline`` for ``Timeline (official record)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .conftest import SHARED_DIR

__all__ = ["RECORD_FILE", "Part", "part", "record_text"]

RECORD_FILE = SHARED_DIR / "reference" / "README.md"


@dataclass(frozen=True, slots=True)
class Part:
    """One addressable part of the record: its text and the sources it names (a row's last cell, a bullet's
    parenthesised page)."""

    text: str
    sources: str


@cache
def record_text(path: Path = RECORD_FILE) -> str:
    return path.read_text(encoding="utf-8")


@cache
def _sections(path: Path = RECORD_FILE) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in re.split(r"(?m)^## ", record_text(path))[1:]:
        heading, _, body = chunk.partition("\n")
        out[heading.strip()] = body
    return out


def _section(name: str) -> str:
    matches = [body for heading, body in _sections().items() if heading.startswith(name)]
    if len(matches) != 1:
        raise LookupError(f"no single section named {name!r}")
    return matches[0]


def _rows(section: str, wanted: list[str]) -> list[tuple[str, list[str]]]:
    rows = []
    for line in _section(section).splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(w in cells for w in wanted):
            rows.append((line, cells))
    return rows


def _row(section: str, key: str) -> Part:
    """The row with a cell equal to ``key``; else the row whose cells include each comma-separated part."""
    rows = _rows(section, [key]) or _rows(section, [k.strip() for k in key.split(",")])
    if len(rows) != 1:
        raise LookupError(f"{section}: {len(rows)} rows match {key!r}")
    line, cells = rows[0]
    return Part(line, cells[-1])


def _bullet(section: str, key: str) -> Part:
    bullets = re.split(r"(?m)^- ", _section(section))[1:]
    found = [b for b in bullets if b.startswith(key + ":") or b.startswith(key + " (")]
    if len(found) != 1:
        raise LookupError(f"{section}: {len(found)} bullets start with {key!r}")
    text = found[0]
    named = re.findall(r"\(([^()]*(?:\.[a-z]{2,}|treaty page|same)[^()]*)\)\s*$", text.strip())
    sources = named[-1] if named else ""
    if sources == "same":  # "(same)": the page of the bullet before
        before = bullets[bullets.index(text) - 1]
        sources = re.findall(r"\(([^()]*)\)\s*$", before.strip())[-1]
    return Part(text, sources)


def part(locator: str) -> Part:
    """The part of the record a citation's locator names (raises LookupError if it names none)."""
    section, sep, rest = locator.partition(", ")
    if not sep:
        body = _section(section)
        return Part(body, body)
    if rest.startswith("row "):
        return _row(section, rest[4:])
    if section == "Treaty texts":
        return _bullet(section, rest)
    raise LookupError(f"locator {locator!r} names no row, bullet or section")
