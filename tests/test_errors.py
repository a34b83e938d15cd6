"""The error tree (``cstograph.errors``): what each error says, and the exit code the CLI maps it to — 2 for
input that cannot be used (a missing or malformed file, a query that does not parse), 1 for data that fails
(a clash in the closure, a SHACL violation). The CLI runs in this process, on a tiny project in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from cstograph.cli import main
from cstograph.errors import (
    CstographError,
    InconsistencyError,
    InputError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    RDFSyntaxError,
    ValidationFailed,
)
from cstograph.namespaces import turtle_prefixes


def test_the_tree() -> None:
    parents = {RDFSyntaxError: InputError, QuerySyntaxError: QueryError, QueryRefused: QueryError,
               InputError: CstographError, ValidationFailed: CstographError, InconsistencyError: CstographError,
               QueryError: CstographError, CstographError: Exception}
    for error, parent in parents.items():
        assert error.__mro__[1] is parent, error


def test_a_syntax_error_says_file_line_column_as_far_as_known() -> None:
    full = RDFSyntaxError("data/x.ttl", 3, 7, "unexpected '.'")
    assert str(full) == "data/x.ttl:3:7: unexpected '.'"
    assert (full.path, full.line, full.column, full.message) == (Path("data/x.ttl"), 3, 7, "unexpected '.'")
    assert str(RDFSyntaxError(Path("a.nq"), 3, None, "bad")) == "a.nq:3: bad"
    assert str(RDFSyntaxError("a.nq", None, None, "not UTF-8")) == "a.nq: not UTF-8"


def test_an_inconsistency_lists_every_clash() -> None:
    error = InconsistencyError(["x is both A and B", "y is both C and D"])
    assert error.messages == ["x is both A and B", "y is both C and D"]
    assert str(error) == "inconsistent ontology or data:\n  x is both A and B\n  y is both C and D"


@pytest.fixture()
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of two classes declared disjoint and one resource in both (a clash), and some queries."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "cstograph.ttl").write_text(
        turtle_prefixes("owl") +
        "<urn:x:A> a owl:Class ; owl:disjointWith <urn:x:B> .\n<urn:x:B> a owl:Class .\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.ttl").write_text("<urn:x:a> a <urn:x:A> , <urn:x:B> .\n")
    (tmp_path / "good.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "bad.rq").write_text("SELECT * WHERE { ?s ?p }\n")
    (tmp_path / "bad.ttl").write_text("<urn:x:a> <urn:x:p> .\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("argv", "code", "said"), [
    (["query", "good.rq", "--data", "data/x.ttl"], 0, ""),
    (["query", "good.rq", "--data", "bad.ttl"], 2, "cstograph: error: bad.ttl:1:21: "),  # RDFSyntaxError
    (["query", "good.rq", "--data", "missing.ttl"], 2, "cstograph: error: missing.ttl: no such file"),  # InputError
    (["query", "bad.rq", "--data", "data/x.ttl"], 2, "cstograph: query error: "),  # QuerySyntaxError
    (["reason", "-o", "out.ttl"], 1, "cstograph: inconsistent ontology or data:\n  <urn:x:a> is both <urn:x:A> "
                                     "and <urn:x:B>"),  # InconsistencyError
], ids=["ok", "rdf-syntax", "input", "query-syntax", "inconsistency"])
def test_each_error_has_its_exit_code(tiny: Path, argv: list[str], code: int, said: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(tiny), *argv]) == code
    err = capsys.readouterr().err
    assert err.startswith(said) if said else err == ""
