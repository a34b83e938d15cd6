"""The record's example queries (queries/examples/01,02,03,04,08,09) give the hand-written golden results.

Golden files: tests/golden/examples/<query>[--<param>=<value>...].csv. The header names the columns
compared (a subset of the query's projection); cells use the prefixes below ("state:ARM", "cst:FullMember")
or plain literal values; an empty cell means unbound. Rows are compared order-insensitively (tests/_golden.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cstograph.queries import parse_query_file
from cstograph.store import GraphStore

from .._golden import QUERIES, GoldenSet

RECORD_QUERIES = ("01-treaty-signatories", "02-members-on-date", "03-membership-history",
                  "04-articles-obligations-on-date", "08-secretaries-general", "09-organization-bodies")


RECORD = GoldenSet(RECORD_QUERIES)


def test_every_record_query_has_a_golden_file_and_a_summary() -> None:
    RECORD.assert_covered(described=False)


@pytest.mark.parametrize("golden", RECORD.cases(), ids=lambda p: p.stem)
def test_example_query_matches_golden(golden: Path, store: GraphStore) -> None:
    RECORD.assert_matches(golden, store)


def test_members_on_date_counts(store: GraphStore) -> None:
    """The brief's figures: 9 parties on 1995-01-01, 6 on 2000-01-01; today 6 not suspended (Armenia frozen)
    and Uzbekistan suspended since 2012 (the record gives no end of the suspension; issue 14, error 1)."""
    query = parse_query_file(QUERIES / "02-members-on-date.rq")
    counts = {}
    for day in ("1995-01-01", "2000-01-01", "2026-11-23"):
        rows = store.select(query.text, substitutions=RECORD.substitutions(query, {"date": day}))
        counts[day] = len({r["state"].value for r in rows if not r["status"].value.endswith("#Suspended")})
    assert counts == {"1995-01-01": 9, "2000-01-01": 6, "2026-11-23": 6}
