"""The seed-side example queries (queries/examples/05, 06, 07, 10, 10b, 11) give the hand-written golden results.

Golden files: tests/golden/examples/<query>[--<param>=<value>...].csv, written by hand from the four seed
documents and the reference record. The header names the columns compared (a subset of the projection);
cells use prefixed names ("event:kgz-2010-request", "cst:Refusal") or plain literal values; an empty cell
means unbound. Rows are compared order-insensitively.
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
SEED_QUERIES = ("05-requests-for-assistance", "06-conflicts-between-members", "07-recurring-operations",
                "10-what-a-source-says", "10b-single-source-facts", "11-disagreeing-claims")

BASE = "https://w3id.org/cstograph/"
PREFIXES = {"cst": BASE + "ontology#"} | {
    p: BASE + "id/" + seg + "/" for p, seg in {
        "state": "state", "organization": "organization", "body": "body", "formation": "formation",
        "person": "person", "post": "post", "term": "term", "treaty": "treaty", "article": "article",
        "version": "article-version", "obligation": "obligation", "membership": "membership", "event": "event",
        "operation": "operation", "stat": "statistic", "place": "place", "source": "source", "work": "work",
        "claim": "claim", "recommendation": "recommendation"}.items()}


def expand(cell: str) -> str:
    prefix, sep, local = cell.partition(":")
    if sep and prefix in PREFIXES and "/" not in local and " " not in local:
        return PREFIXES[prefix] + local
    return cell


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN_DIR.glob("*.csv") if p.name.split("--")[0].removesuffix(".csv") in SEED_QUERIES)


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
    return "" if term is None else term.value


def test_every_seed_query_has_a_golden_file_and_a_summary() -> None:
    covered = {parse_case(p)[0] for p in golden_cases()}
    assert covered == set(SEED_QUERIES)
    for name in SEED_QUERIES:
        query = parse_query_file(QUERIES / f"{name}.rq")
        assert query.summary and query.description
        for param in query.params:  # SEP-0007 substitution needs the variable projected
            assert f"?{param.name}" in query.text.split("WHERE")[0], (name, param.name)


@pytest.mark.parametrize("golden", golden_cases(), ids=lambda p: p.stem)
def test_seed_query_matches_golden(golden: Path, store: GraphStore) -> None:
    name, given = parse_case(golden)
    query = parse_query_file(QUERIES / f"{name}.rq")
    rows = store.select(query.text, substitutions=substitutions(query, given))
    with golden.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        expected = Counter(tuple(expand(r[c]) for c in columns) for r in reader)
    actual = Counter(tuple(cell(row.get(c)) for c in columns) for row in rows)
    assert actual == expected, (sorted(actual - expected), sorted(expected - actual))


def test_what_seed_003_says_covers_its_sections(store: GraphStore) -> None:
    """Query 10 with its default (seed 003) returns the facts of every section of the article."""
    query = parse_query_file(QUERIES / "10-what-a-source-says.rq")
    rows = store.select(query.text, substitutions=substitutions(query, {}))
    facts = {row["fact"].value.removeprefix(BASE + "id/") for row in rows}
    for fact in ("event/kaz-2022-request", "event/kgz-2010-revolution", "event/kgz-tjk-border-conflict",
                 "event/ukr-2022-referendums", "operation/canal", "statistic/crrf-personnel-003",
                 "claim/003-kgz-2010-request-ignored", "claim/003-kaz-could-ask-russia", "event/arm-2020-request",
                 "event/exercise-rubizh", "person/anatoly-sidorov"):
        assert fact in facts, fact
    assert len(facts) > 80
