"""Parameters of named queries (``#+ param:``), bound by :func:`cstograph.queries.bind_parameters` for the CLI
and the endpoint alike: each value checked against its type, with a message that says what is expected."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path

import pytest

import cstograph.queries
from cstograph.namespaces import XSD
from cstograph.queries import NamedQuery, Param, ParameterError, bind_parameters

Q = NamedQuery("q", "examples", Path("q.rq"), "", "", params=(
    Param("date", str(XSD.date), "today"), Param("state", "iri", None), Param("n", str(XSD.integer), "3")))


def test_doctests() -> None:
    assert doctest.testmod(cstograph.queries).failed == 0


def test_defaults_and_today() -> None:
    subs = bind_parameters(Q, {}, today=date(2001, 2, 3))
    assert subs["date"].value == "2001-02-03" and subs["n"].value == "3" and "state" not in subs
    assert bind_parameters(Q, {"date": "today"}, today=date(2001, 2, 3))["date"].value == "2001-02-03"


@pytest.mark.parametrize(("value", "iri"), [
    ("state:ARM", "https://w3id.org/cstograph/id/state/ARM"),
    ("<https://w3id.org/cstograph/id/state/ARM>", "https://w3id.org/cstograph/id/state/ARM"),
    ("https://w3id.org/cstograph/id/state/ARM", "https://w3id.org/cstograph/id/state/ARM"),
    ("urn:x:y", "urn:x:y"),
])
def test_iri_values(value: str, iri: str) -> None:
    assert bind_parameters(Q, {"state": value})["state"].value == iri


@pytest.mark.parametrize(("given", "message"), [
    ({"date": "1995-02-30"}, "not a calendar date"),
    ({"date": "1995-1-1"}, "expected a date as YYYY-MM-DD"),
    ({"n": "three"}, "expected a whole number"),
    ({"state": "ARM"}, "did you mean state:ARM?"),
    ({"state": "foo:bar"}, "the prefix foo: is not known"),
    ({"state": "https://exa mple.org/"}, "is not a valid IRI"),
    ({"stat": "state:ARM"}, "did you mean 'state'?"),
])
def test_bad_values(given: dict[str, str], message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("?", r"\?").replace("(", r"\(")):
        bind_parameters(Q, given)
