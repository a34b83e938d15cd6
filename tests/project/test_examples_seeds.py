"""The seed-side example queries (queries/examples/05, 06, 07, 10, 10b, 11) give the hand-written golden results.

Golden files: tests/golden/examples/<query>[--<param>=<value>...].csv, written by hand from the four seed
documents and the reference record. The header names the columns compared (a subset of the projection);
cells use prefixed names ("event:kgz-2010-request", "cst:Refusal") or plain literal values; an empty cell
means unbound. Rows are compared order-insensitively (tests/_golden.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cstograph.namespaces import ID
from cstograph.queries import parse_query_file
from cstograph.store import GraphStore

from .._golden import QUERIES, GoldenSet

SEED_QUERIES = ("05-requests-for-assistance", "06-conflicts-between-members", "07-recurring-operations",
                "10-what-a-source-says", "10b-single-source-facts", "11-disagreeing-claims")


# Seed cells may hold prose with a colon: one whose local part has a space is a plain value, not a prefixed name.
SEEDS = GoldenSet(SEED_QUERIES, space_means_plain=True)


def test_every_seed_query_has_a_golden_file_and_a_summary() -> None:
    SEEDS.assert_covered(described=True)


@pytest.mark.parametrize("golden", SEEDS.cases(), ids=lambda p: p.stem)
def test_seed_query_matches_golden(golden: Path, store: GraphStore) -> None:
    SEEDS.assert_matches(golden, store)


def test_what_seed_003_says_covers_its_sections(store: GraphStore) -> None:
    """Query 10 with its default (seed 003) returns the facts of every section of the article."""
    query = parse_query_file(QUERIES / "10-what-a-source-says.rq")
    rows = store.select(query.text, substitutions=SEEDS.substitutions(query, {}))
    facts = {row["fact"].value.removeprefix(str(ID)) for row in rows}
    for fact in ("event/kaz-2022-request", "event/kgz-2010-revolution", "event/kgz-tjk-border-conflict",
                 "event/ukr-2022-referendums", "operation/canal", "statistic/crrf-personnel-003",
                 "claim/003-kgz-2010-request-ignored", "claim/003-kaz-could-ask-russia", "event/arm-2020-request",
                 "event/exercise-rubizh", "person/anatoly-sidorov"):
        assert fact in facts, fact
    assert len(facts) > 80
