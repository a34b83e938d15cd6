"""Property-based fuzzing of the HTTP surface of a real ``cstograph serve`` (issue 10).

Invariant for every request: a clear status (never a 500), an answer within the limit + 5 s (never a hang),
and no connection to the loopback canary (nothing fetched). The default run tries a few dozen inputs per
strategy; ``pytest -m fuzz`` runs the long campaign (thousands).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import Canary, RunningServer
from ._strategies import ACCEPTS, CANARY, CONTENT_TYPES, QUERIES, paths, posted_documents
from .conftest import TIMEOUT, Reply, query, request

HANG = TIMEOUT + 5.0
#: Statuses a request may get; 500 (and any other) is a failure.
CLEAR = {200, 204, 303, 308, 400, 403, 404, 405, 406, 408, 413, 415, 422, 431, 503}


def _escaped(url: str) -> str:
    return "".join(f"\\u{ord(c):04X}" for c in url)


def aim(text: str, canary: Canary) -> str:
    """Point the strategies' placeholder host at the canary (plain and escaped forms)."""
    return text.replace(_escaped(CANARY), _escaped(canary.url)).replace(CANARY, canary.url)


def check(reply: Reply, canary: Canary, what: object, *, head: bool = False) -> None:
    assert reply.status in CLEAR, (what, reply.status, reply.text[:500])
    assert reply.status != 500
    if reply.status in (303, 308):  # a redirect stays on this server, whatever Host the client sent
        location = reply.headers.get("location", "")
        assert location.startswith("/") and not location.startswith("//"), (what, location)
    if reply.status >= 400 and not head:  # (a HEAD answer has no body)
        assert reply.body.strip(), (what, reply.status)  # a 4xx says what was wrong
    assert b"CANARY-LEAK" not in reply.body, what
    assert canary.take() == [], what


def campaign(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=examples < 100,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


def _queries(server: RunningServer, canary: Canary, text: str, accept: str | None) -> None:
    text = aim(text, canary)
    reply = query(server, text, accept=accept or "*/*", timeout=HANG)
    check(reply, canary, text[:300])


def _routes(server: RunningServer, canary: Canary, method: str, path: str, accept: str | None,
            content_type: str, body: bytes) -> None:
    path = aim(path, canary)
    headers = {"Content-Type": content_type} if method == "POST" else {}
    if accept is not None:
        headers["Accept"] = accept
    try:
        reply = request(server, method, path, body=body if method == "POST" else None, headers=headers,
                        timeout=HANG + 60)  # POST /shacl may validate for up to its own limit
    except UnicodeEncodeError:  # http.client cannot send the header: nothing reached the server
        return
    check(reply, canary, (method, path, accept, content_type), head=method == "HEAD")


def _posted(server: RunningServer, canary: Canary, document: tuple[str, bytes], with_project: bool) -> None:
    media_type, body = document
    body = body.replace(_escaped(CANARY).encode(), _escaped(canary.url).encode()).replace(
        CANARY.encode(), canary.url.encode())
    reply = request(server, "POST", f"/shacl?with-project={'true' if with_project else 'false'}", body=body,
                    headers={"Content-Type": media_type, "Accept": "application/json"}, timeout=120)
    check(reply, canary, (media_type, body[:200]))
    assert reply.status in (200, 400, 413, 503), (media_type, reply.status, reply.text)


_METHODS = st.sampled_from(["GET", "GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE"])
_BODIES = st.binary(max_size=200) | st.sampled_from([b"query=ASK%7B%7D", b"ASK {}", b"update=CLEAR+ALL",
                                                      b"<a> <b> <c> ."])


# --- the default run: a short campaign of each --------------------------------------------------------------
@campaign(60)
@given(text=QUERIES, accept=ACCEPTS)
def test_queries(hostile_server: RunningServer, canary: Canary, text: str, accept: str | None) -> None:
    _queries(hostile_server, canary, text, accept)


@campaign(60)
@given(method=_METHODS, path=paths(), accept=ACCEPTS, content_type=CONTENT_TYPES, body=_BODIES)
def test_routes(hostile_server: RunningServer, canary: Canary, method: str, path: str, accept: str | None,
                content_type: str, body: bytes) -> None:
    _routes(hostile_server, canary, method, path, accept, content_type, body)


@campaign(15)
@given(document=posted_documents(), with_project=st.booleans())
def test_posted_documents(hostile_server: RunningServer, canary: Canary, document: tuple[str, bytes],
                          with_project: bool) -> None:
    _posted(hostile_server, canary, document, with_project)


# --- pytest -m fuzz: the long campaign -------------------------------------------------------------------------
@pytest.mark.fuzz
@campaign(3000)
@given(text=QUERIES, accept=ACCEPTS)
def test_queries_long(hostile_server: RunningServer, canary: Canary, text: str, accept: str | None) -> None:
    _queries(hostile_server, canary, text, accept)


@pytest.mark.fuzz
@campaign(3000)
@given(method=_METHODS, path=paths(), accept=ACCEPTS, content_type=CONTENT_TYPES, body=_BODIES)
def test_routes_long(hostile_server: RunningServer, canary: Canary, method: str, path: str, accept: str | None,
                     content_type: str, body: bytes) -> None:
    _routes(hostile_server, canary, method, path, accept, content_type, body)


@pytest.mark.fuzz
@campaign(400)
@given(document=posted_documents(), with_project=st.booleans())
def test_posted_documents_long(hostile_server: RunningServer, canary: Canary, document: tuple[str, bytes],
                               with_project: bool) -> None:
    _posted(hostile_server, canary, document, with_project)
