"""ODK-style violation checks: ``queries/checks/*-violation.rq`` must return no rows.

Each check is a named SPARQL SELECT (``#+ summary:`` header, see :mod:`cstograph.queries`) for a rule that SHACL
cannot say, or says awkwardly (rules across several nodes and graphs). The build runs every check on the
dataset it is about to publish (asserted graphs + inferred graph, default graph = their union) and fails,
naming the rows, when any check returns one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .queries import NamedQuery, load_queries

__all__ = ["CheckResult", "render_failures", "run_checks", "violation_checks"]

SUFFIX = "-violation"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check and the rows it returned (each row: variable name -> value as text)."""

    check: NamedQuery
    rows: tuple[dict[str, str], ...]

    @property
    def passed(self) -> bool:
        return not self.rows


def violation_checks(queries_dir: Path) -> list[NamedQuery]:
    """The ``queries/checks/*-violation.rq`` files, by name (reports such as obligation-compliance are not checks)."""
    return [q for name, q in load_queries(queries_dir, "checks").items() if name.endswith(SUFFIX)]


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def run_checks(store: ox.Store, queries_dir: Path) -> list[CheckResult]:
    """Run every violation check on ``store`` (default graph = union of its named graphs)."""
    results = []
    for check in violation_checks(queries_dir):
        solutions = store.query(check.text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions), f"{check.path}: a check is a SELECT query"
        names = [v.value for v in solutions.variables]
        rows = tuple({n: _text(row[n]) for n in names} for row in solutions)
        results.append(CheckResult(check, rows))
    return results


def render_failures(results: list[CheckResult], *, limit: int = 20) -> str:
    """The failed checks and their rows, as text for the build's error message."""
    lines = []
    for result in results:
        if result.passed:
            continue
        lines.append(f"{result.check.name} ({len(result.rows)} row(s)): {result.check.summary}")
        for row in result.rows[:limit]:
            lines.append("  - " + " | ".join(f"{k}={v}" for k, v in row.items() if v))
        if len(result.rows) > limit:
            lines.append(f"  … and {len(result.rows) - limit} more")
    return "\n".join(lines)
