"""Competency questions: every ``queries/competency/*.rq``, run on the session's built dataset, gives exactly
the answer its header expects, from the document it names, which states it in the quoted words.

A file (see queries/competency/README.md)::

    #+ summary: Where is the CSTO headquartered (per seed 003)?
    #+ source: source:seed-003
    #+ quote: The CSTO is headquartered in Moscow
    #+ expect: answer
    #+ expect: Moscow
    PREFIX …
    SELECT ?fact ?answer WHERE { … }

- ``#+ source:`` names the document (a ``cst:SourceDocument`` with a ``cst:seedFile``) the answer comes from;
  each ``#+ quote:`` is an exact substring of its text. If the query projects ``?fact``, every row's
  ``?fact`` cites that document (``cst:citation/cst:citedSource``).
- ``#+ expect:`` lines are CSV: the first names the columns compared (projected variables; ``?fact`` is
  usually left out), each further line is one row. A cell is an IRI when written ``<…>`` or as a prefixed name
  of ``cstograph.namespaces.PREFIXES`` (``state:ARM``), a literal's lexical form otherwise (language and
  datatype not compared); an empty cell means unbound. Rows are compared as a multiset, or in order when the
  query has ``ORDER BY``. An ASK query expects one line, ``true`` or ``false``.
- The file declares its own ``PREFIX`` lines (so that ``cstograph query competency/<name>`` runs it as it
  is), each equal to the project's prefix table.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.cli import main
from cstograph.namespaces import PREFIXES, expand, sparql_prefixes
from cstograph.queries import NamedQuery, parse_query_file
from cstograph.store import GraphStore

from ..conftest import PROJECT_DIR, SHARED_DIR

COMPETENCY = PROJECT_DIR / "queries" / "competency"
FILES = sorted(COMPETENCY.glob("*.rq"))
#: Every query file of the project: examples, checks, exports, competency questions.
ALL_QUERIES = sorted((PROJECT_DIR / "queries").rglob("*.rq"))
SEEDS = {f"source:seed-{n}" for n in ("000", "002", "003", "004")}

#: a cell: ("iri", IRI) | ("literal", lexical form) | None (unbound)
Cell = tuple[str, str] | None

_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CITES = sparql_prefixes("cst") + "ASK { ?fact cst:citation/cst:citedSource ?source }"
_SEED_FILE = sparql_prefixes("cst") + "SELECT ?source ?file WHERE { ?source cst:seedFile ?file }"


def read_cell(text: str) -> Cell:
    """A hand-written cell as a term: ``<IRI>``, a prefixed name of the table, else a literal's lexical form."""
    if text == "":
        return None
    if text.startswith("<") and text.endswith(">"):
        return ("iri", text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and not re.search(r"\s", local):
        return ("iri", str(expand(text)))
    return ("literal", text)


def term_cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Cell:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value)
    return ("blank", term.value)  # never written in an expectation: a blank node is no answer


def csv_rows(lines: tuple[str, ...]) -> list[list[str]]:
    return [next(csv.reader([line])) if line else [""] for line in lines]


def query_body(text: str) -> str:
    """The query without its comment lines (``#+`` headers included)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@cache
def document_text(path: str) -> str:
    """A seed file (``000_….txt``, under ../shared/seeds) or the record (``reference/README.md``, under ../shared)."""
    for candidate in (SHARED_DIR / "seeds" / path, SHARED_DIR / path):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{path} is neither under {SHARED_DIR / 'seeds'} nor under {SHARED_DIR}")


def source_of(named: NamedQuery) -> str:
    (source,) = named.header("source")
    return source


# ------------------------------------------------------------------------------------------ the runner
def test_every_seed_has_competency_questions() -> None:
    """The questions moved from tests/test_coverage.py (133, now 134 files) and tests/project/test_dates.py (18), and
    more: each seed document is asked about, and the record."""
    assert len(FILES) >= 152
    sources = [source_of(parse_query_file(p)) for p in FILES]
    assert set(sources) >= SEEDS | {"source:ref-reference-readme"}
    assert all(sources.count(s) >= 10 for s in SEEDS), Counter(sources)
    assert len({p.name.split("-", 1)[0] for p in FILES}) == len(FILES), "numbers are unique"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_competency_file_is_well_formed(path: Path) -> None:
    """Headers present, an expectation to compare with, and PREFIX lines (each the table's: checked for every
    query file below)."""
    named = parse_query_file(path)
    assert re.fullmatch(r"\d{3}-[a-z0-9-]+", path.stem), path.name
    assert named.summary.endswith("?"), "a summary is the question"
    assert len(named.header("source")) == 1, "one #+ source:"
    assert named.header("expect"), "no #+ expect: lines"
    assert _PREFIX_LINE.findall(named.text), "the file declares the prefixes it uses"


@pytest.mark.parametrize("path", ALL_QUERIES, ids=lambda p: str(p.relative_to(PROJECT_DIR / "queries")))
def test_query_file_prefixes_are_the_tables(path: Path) -> None:
    """Every ``queries/**/*.rq`` declares each prefix as the project's one prefix table does."""
    for prefix, iri in _PREFIX_LINE.findall(path.read_text(encoding="utf-8")):
        assert prefix in PREFIXES and iri == str(PREFIXES[prefix]), f"PREFIX {prefix}: <{iri}> is not the table's"


def test_every_query_file_is_checked() -> None:
    groups = {p.relative_to(PROJECT_DIR / "queries").parts[0] for p in ALL_QUERIES}
    assert groups >= {"examples", "checks", "competency", "export"} and set(FILES) <= set(ALL_QUERIES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_competency_question(path: Path, store: GraphStore) -> None:
    named = parse_query_file(path)
    source = ox.NamedNode(str(expand(source_of(named))))
    files = [r["file"].value for r in store.select(_SEED_FILE, substitutions={"source": source})]
    assert len(files) == 1, f"{source.value} has no single cst:seedFile: {files}"
    text = document_text(files[0])
    missing = [q for q in named.header("quote") if q not in text]
    assert not missing, f"not quoted exactly from {files[0]}: {missing}"

    result = store.query(named.text)
    expect = csv_rows(named.header("expect"))
    if isinstance(result, ox.QueryBoolean):
        assert expect in ([["true"]], [["false"]]), "an ASK query expects one line: true or false"
        assert bool(result) is (expect[0][0] == "true")
        return
    assert isinstance(result, ox.QuerySolutions), "a competency question is a SELECT or an ASK"
    projected = [v.value for v in result.variables]
    rows = list(result)
    columns, *expected_rows = expect
    assert set(columns) <= set(projected), f"#+ expect: names {columns}, the query projects {projected}"
    assert all(len(r) == len(columns) for r in expected_rows), "a row has not as many cells as the header"
    actual = [tuple(term_cell(row[c]) for c in columns) for row in rows]
    expected = [tuple(read_cell(cell) for cell in r) for r in expected_rows]
    if _ORDER_BY.search(query_body(named.text)):
        assert actual == expected
    else:
        assert Counter(actual) == Counter(expected), (
            f"{named.summary}\n  missing:    {sorted(Counter(expected) - Counter(actual), key=str)}"
            f"\n  unexpected: {sorted(Counter(actual) - Counter(expected), key=str)}")

    if "fact" in projected:
        facts = {row["fact"] for row in rows if row["fact"] is not None}
        uncited = sorted(f.value for f in facts
                         if not bool(store.query(_CITES, substitutions={"fact": f, "source": source})))
        assert not uncited, f"these facts do not cite {source.value}: {uncited}"


def test_the_cli_runs_a_competency_question_by_name(dataset_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``cstograph query competency/<name>`` finds the file under queries/competency/ and runs it as written."""
    code = main(["--project", str(PROJECT_DIR), "query", "competency/001-where-kornilenko-work",
                 "--data", str(dataset_file), "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == ["fact,answer", "https://w3id.org/cstograph/id/person/aleksandr-kornilenko,"
                                "Ministry of Defence of the Russian Federation"]


# ------------------------------------------------------------------------------------------ the reading
def test_cells_are_read_as_iris_or_literals() -> None:
    assert read_cell("state:ARM") == ("iri", "https://w3id.org/cstograph/id/state/ARM")
    assert read_cell("cst:RoleHeadsOfState") == ("iri", "https://w3id.org/cstograph/ontology#RoleHeadsOfState")
    assert read_cell("<https://tass.ru/x>") == ("iri", "https://tass.ru/x")
    # not a prefix of the table, or prose with a colon: literals
    assert read_cell("doi:10.17323/1996-7845-2019-01-02") == ("literal", "doi:10.17323/1996-7845-2019-01-02")
    assert read_cell("https://tass.ru/x") == ("literal", "https://tass.ru/x")
    assert read_cell("cst: a note") == ("literal", "cst: a note")
    assert read_cell("2018-08-17") == ("literal", "2018-08-17")
    assert read_cell("") is None
    assert csv_rows(('answer', '"21/50 Budennovsky Ave., 344002 Rostov-on-Don, Russia"', 'CSTO exercise "Cobalt"')) == [
        ["answer"], ["21/50 Budennovsky Ave., 344002 Rostov-on-Don, Russia"], ['CSTO exercise "Cobalt"']]


def test_a_result_term_is_compared_by_kind_and_lexical_form() -> None:
    assert term_cell(ox.NamedNode("https://w3id.org/cstograph/id/state/ARM")) == read_cell("state:ARM")
    assert term_cell(ox.Literal("2016", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))) == \
        read_cell("2016")
    assert term_cell(ox.Literal("Moscow", language="en")) == read_cell("Moscow")
    assert term_cell(ox.Literal("https://tass.ru/x")) != read_cell("<https://tass.ru/x>")
    assert term_cell(ox.BlankNode("b0")) != read_cell("b0")
    assert term_cell(None) is None


def test_order_by_is_seen_outside_comments_only() -> None:
    assert _ORDER_BY.search(query_body("#+ summary: Why ORDER BY?\nSELECT * { ?s ?p ?o }\norder  by ?s"))
    assert not _ORDER_BY.search(query_body("#+ summary: Why ORDER BY?\nSELECT * { ?s ?p ?o }"))
