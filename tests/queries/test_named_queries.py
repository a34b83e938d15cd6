"""Named query files: headers, parameters and their defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox

from cstograph.queries import XSD, Param, load_queries, parse_query_file
from cstograph.store import named_substitutions

from ..conftest import PROJECT_DIR


def test_every_query_file_has_a_summary_and_parses() -> None:
    for group in ("examples", "checks"):
        queries = load_queries(PROJECT_DIR / "queries", group)
        assert queries, group
        for q in queries.values():
            assert q.summary, q.path
            ox.Store().query(q.text)  # raises SyntaxError on a malformed file


def test_today_default_resolves_to_the_run_date() -> None:
    param = Param("date", XSD + "date", "today")
    assert param.resolved_default(today=date(2030, 1, 2)) == "2030-01-02"
    assert Param("date", XSD + "date", "2015-01-01").resolved_default() == "2015-01-01"


def test_members_on_date_defaults_to_today_and_a_given_value_wins() -> None:
    q = load_queries(PROJECT_DIR / "queries", "examples")["02-members-on-date"]
    assert [p.default for p in q.params] == ["today"]
    today = ox.Literal(date.today().isoformat(), datatype=ox.NamedNode(XSD + "date"))
    assert named_substitutions(q, {})["date"] == today
    assert named_substitutions(q, {"date": "1995-01-01"})["date"].value == "1995-01-01"


def test_every_header_line_is_kept_in_order_with_repeated_keys(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: Who?\n#+ expect: fact,answer\n#+ quote: a: b\n#+ expect: state:ARM,Armenia\n"
                    "#+ param: day xsd:date 2020-01-01\n# a plain comment\nSELECT ?fact ?answer WHERE {}\n"
                    "#+ expect: not a header: the query has begun\n", encoding="utf-8")
    q = parse_query_file(path)
    assert q.header("expect") == ("fact,answer", "state:ARM,Armenia")
    assert q.header("quote") == ("a: b",)  # split at the first colon only
    assert q.header("source") == ()
    assert q.headers[0] == ("summary", "Who?") and len(q.headers) == 5
    # the headers read before stay as they were
    assert (q.summary, q.group, q.description, q.tags) == ("Who?", tmp_path.name, "", ())
    assert q.params == (Param("day", str(XSD.date), "2020-01-01"),)


def test_a_build_scope_check_is_run_by_the_build_not_served(tmp_path: Path) -> None:
    from cstograph.checks import violation_checks

    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "served-violation.rq").write_text("#+ summary: s\nSELECT ?x WHERE { ?x ?y ?z }\n")
    (checks / "local-violation.rq").write_text("#+ summary: l\n#+ scope: build\nSELECT ?x WHERE { ?x ?y ?z }\n")
    found = load_queries(tmp_path, "checks")
    assert found["served-violation"].served and not found["local-violation"].served
    assert sorted(q.name for q in violation_checks(tmp_path)) == ["local-violation", "served-violation"]
