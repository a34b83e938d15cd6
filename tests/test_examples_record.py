"""The record's example queries (queries/examples/01,02,03,04,08,09) give the hand-written golden results.

Golden files: tests/golden/examples/<query>[--<param>=<value>...].csv. The header names the columns
compared (a subset of the query's projection); cells use the prefixes below ("state:ARM", "cst:FullMember")
or plain literal values; an empty cell means unbound. Rows are compared order-insensitively.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.queries import NamedQuery, parse_query_file
from cstograph.store import GraphStore

from .conftest import GOLDEN, PROJECT_DIR

QUERIES = PROJECT_DIR / "queries" / "examples"
GOLDEN_DIR = GOLDEN / "examples"
RECORD_QUERIES = ("01-treaty-signatories", "02-members-on-date", "03-membership-history",
                  "04-articles-obligations-on-date", "08-secretaries-general", "09-organization-bodies")

BASE = "https://w3id.org/cstograph/"
PREFIXES = {
    "cst": BASE + "ontology#",
    "state": BASE + "id/state/", "organization": BASE + "id/organization/", "body": BASE + "id/body/",
    "person": BASE + "id/person/", "treaty": BASE + "id/treaty/", "version": BASE + "id/article-version/",
    "article": BASE + "id/article/", "obligation": BASE + "id/obligation/", "place": BASE + "id/place/",
    "membership": BASE + "id/membership/", "event": BASE + "id/event/",
}


def expand(cell: str) -> str:
    prefix, sep, local = cell.partition(":")
    if sep and prefix in PREFIXES and "/" not in local:
        return PREFIXES[prefix] + local
    return cell


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN_DIR.glob("*.csv") if p.name.split("--")[0].removesuffix(".csv") in RECORD_QUERIES)


def parse_case(path: Path) -> tuple[str, dict[str, str]]:
    name, *params = path.stem.split("--")
    return name, dict(p.split("=", 1) for p in params)


def substitutions(query: NamedQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    subs: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        assert value is not None, f"no value for parameter {param.name}"
        if param.datatype == "iri":
            subs[param.name] = ox.NamedNode(expand(value))
        else:
            subs[param.name] = ox.Literal(value, datatype=ox.NamedNode(param.datatype))
    unknown = set(given) - {p.name for p in query.params}
    assert not unknown, f"golden file names unknown parameters {unknown}"
    return subs


def cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    return term.value


def test_every_record_query_has_a_golden_file_and_a_summary() -> None:
    covered = {parse_case(p)[0] for p in golden_cases()}
    assert covered == set(RECORD_QUERIES)
    for name in RECORD_QUERIES:
        query = parse_query_file(QUERIES / f"{name}.rq")
        assert query.summary
        for param in query.params:  # SEP-0007 substitution needs the variable projected
            assert f"?{param.name}" in query.text.split("WHERE")[0], (name, param.name)


@pytest.mark.parametrize("golden", golden_cases(), ids=lambda p: p.stem)
def test_example_query_matches_golden(golden: Path, store: GraphStore) -> None:
    name, given = parse_case(golden)
    query = parse_query_file(QUERIES / f"{name}.rq")
    rows = store.select(query.text, substitutions=substitutions(query, given))
    with golden.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        expected = Counter(tuple(expand(r[c]) for c in columns) for r in reader)
    actual = Counter(tuple(cell(row.get(c)) for c in columns) for row in rows)
    assert actual == expected


def test_members_on_date_counts(store: GraphStore) -> None:
    """The brief's figures: 9 parties on 1995-01-01, 6 on 2000-01-01, 6 today (Armenia frozen)."""
    query = parse_query_file(QUERIES / "02-members-on-date.rq")
    counts = {}
    for day in ("1995-01-01", "2000-01-01", "2026-11-23"):
        rows = store.select(query.text, substitutions=substitutions(query, {"date": day}))
        counts[day] = len({r["state"].value for r in rows})
    assert counts == {"1995-01-01": 9, "2000-01-01": 6, "2026-11-23": 6}
