"""Golden results of the example queries: one helper for the record's and the seeds' golden files.

Golden files: tests/golden/examples/<query>[--<param>=<value>...].csv. The header names the columns
compared (a subset of the query's projection); cells use prefixed names of the project's prefix table
(``cstograph.namespaces.PREFIXES``: "state:ARM", "cst:FullMember") or plain literal values; an empty cell
means unbound. Rows are compared order-insensitively.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cstograph.namespaces import PREFIXES, expand
from cstograph.queries import NamedQuery, parse_query_file
from cstograph.store import GraphStore, named_substitutions

from .conftest import GOLDEN, PROJECT_DIR

__all__ = ["QUERIES", "GoldenSet", "parse_case"]

QUERIES = PROJECT_DIR / "queries" / "examples"
GOLDEN_DIR = GOLDEN / "examples"


def parse_case(path: Path) -> tuple[str, dict[str, str]]:
    """``02-members-on-date--date=1995-01-01.csv`` → ``("02-members-on-date", {"date": "1995-01-01"})``."""
    name, *params = path.stem.split("--")
    return name, dict(p.split("=", 1) for p in params)


def _cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    return "" if term is None else term.value


@dataclass(frozen=True, slots=True)
class GoldenSet:
    """The golden files of some example queries, and how their cells are read."""

    queries: tuple[str, ...]
    #: a cell whose local part holds a space is a plain value, not a prefixed name
    space_means_plain: bool = False

    def expand(self, cell: str) -> str:
        prefix, sep, local = cell.partition(":")
        if sep and prefix in PREFIXES and "/" not in local and not (self.space_means_plain and " " in local):
            return str(expand(cell))
        return cell

    def cases(self) -> list[Path]:
        return sorted(p for p in GOLDEN_DIR.glob("*.csv")
                      if p.name.split("--")[0].removesuffix(".csv") in self.queries)

    def substitutions(self, query: NamedQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """The parameters a golden file names (IRIs as prefixed names), bound as the CLI and the endpoint bind
        them (:func:`cstograph.store.named_substitutions`: given value, else the query's default)."""
        unknown = set(given) - {p.name for p in query.params}
        assert not unknown, f"golden file names unknown parameters {unknown}"
        iri_params = {p.name for p in query.params if p.datatype == "iri"}
        subs = named_substitutions(query, {k: self.expand(v) if k in iri_params else v for k, v in given.items()})
        missing = {p.name for p in query.params} - set(subs)
        assert not missing, f"no value for parameters {missing}"
        return subs

    def assert_covered(self, *, described: bool) -> None:
        """Every query has a golden file and a ``#+ summary:`` (and, if ``described``, a description);
        each parameter is projected, as SEP-0007 substitution needs."""
        covered = {parse_case(p)[0] for p in self.cases()}
        assert covered == set(self.queries)
        for name in self.queries:
            query = parse_query_file(QUERIES / f"{name}.rq")
            assert query.summary
            if described:
                assert query.description
            for param in query.params:
                assert f"?{param.name}" in query.text.split("WHERE")[0], (name, param.name)

    def assert_matches(self, golden: Path, store: GraphStore) -> None:
        """The query named by ``golden`` (with its parameters) returns exactly the golden rows."""
        name, given = parse_case(golden)
        query = parse_query_file(QUERIES / f"{name}.rq")
        rows = store.select(query.text, substitutions=self.substitutions(query, given))
        with golden.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            expected = Counter(tuple(self.expand(r[c]) for c in columns) for r in reader)
        actual = Counter(tuple(_cell(row.get(c)) for c in columns) for row in rows)
        assert actual == expected, (sorted(actual - expected), sorted(expected - actual))
