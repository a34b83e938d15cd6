"""What the engine fetches is what the parser checked: ``with_explicit_services`` against Oxigraph itself.

The endpoint allows a SERVICE call when the endpoint IRI this parser reads is on the operator's list, then
hands the query to Oxigraph, whose own parser matches keywords without a word boundary: in
``SERVICE SILENT:q`` the grammar's endpoint is the prefixed name ``SILENT:q`` (§19.8, tokens match longest
first), Oxigraph's is ``SILENT`` then ``:q`` — an IRI nobody checked. Each query below is run by a real
Oxigraph (in this process) against a loopback listener that records the paths it is asked for: the text the
endpoint sends must make Oxigraph call exactly the endpoints the parser reported.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cstograph.sparql import SparqlSyntaxError, analyse, with_explicit_services
from tests._netguard import allow


class _Listener:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                with listener.lock:
                    listener.paths.append(self.path.split("?")[0])
                body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{allow(self.server.server_address[1])}/"

    def take(self) -> list[str]:
        with self.lock:
            found, self.paths = self.paths, []
        return found


@pytest.fixture(scope="module")
def listener() -> Iterator[_Listener]:
    found = _Listener()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()


def _called(query: str, listener: _Listener) -> list[str]:
    """The endpoints Oxigraph calls when it runs ``query`` (SILENT or not, it asks before it decides)."""
    listener.take()
    with contextlib.suppress(OSError, SyntaxError, ValueError):
        list(ox.Store().query(query))  # type: ignore[arg-type]
    return [listener.base + p.lstrip("/") for p in listener.take()]


def _checked(query: str) -> list[str]:
    return [call.iri for call in analyse(query).services if call.iri is not None]


@pytest.mark.parametrize("body", [
    "SERVICE SILENT:q { ?x ?y ?v }",              # the grammar: endpoint SILENT:q; Oxigraph: SILENT + :q
    "SERVICE SILENTx:q { ?x ?y ?v }",             # Oxigraph: SILENT + x:q
    "SERVICE silent:q { ?x ?y ?v }",
    "SERVICE SILENT SILENT:q { ?x ?y ?v }",
    "SERVICE\tSILENT:q{?x ?y ?v}",
    "SERVICE #c\n SILENT:q { ?x ?y ?v }",
])
def test_the_engine_calls_the_endpoint_that_was_checked(listener: _Listener, body: str) -> None:
    decoy = listener.base + "allowed/"
    query = (f"PREFIX SILENT: <{decoy}> PREFIX silent: <{decoy}> PREFIX SILENTx: <{decoy}> "
             f"PREFIX x: <{listener.base}leak/> PREFIX : <{listener.base}leak/> SELECT * WHERE {{ {body} }}")
    checked = _checked(query)
    assert checked and all(iri.startswith(decoy) for iri in checked), checked
    sent = with_explicit_services(query, analyse(query))
    assert _called(sent, listener) == checked


def test_the_rewrite_is_needed(listener: _Listener) -> None:
    """The engine's other reading is real: sent as written, the query makes Oxigraph call another endpoint.
    (Should a later Oxigraph read it as the grammar does, this test says so: the rewrite stays harmless.)"""
    query = (f"PREFIX SILENT: <{listener.base}allowed/> PREFIX : <{listener.base}leak/> "
             "SELECT * WHERE { SERVICE SILENT:q { ?x ?y ?v } }")
    assert _checked(query) == [listener.base + "allowed/q"]
    assert _called(query, listener) == [listener.base + "leak/q"]


_LABELS = st.sampled_from(["SILENT", "silent", "SILENTx", "Silent1", "SERVICEx", "s", "x", ""])
_SPACE = st.sampled_from([" ", "\t", "\n", " #note\n", "  "])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=_LABELS, silent=st.booleans(), before=_SPACE, after=st.sampled_from(["", " ", "\n"]),
       local=st.sampled_from(["q", "q\\~1", "a.b", "9"]), keyword=st.sampled_from(["SERVICE", "service", "Service"]))
def test_generated_service_forms_call_only_what_was_checked(
        listener: _Listener, label: str, silent: bool, before: str, after: str, local: str, keyword: str) -> None:
    prefixes = "".join(f"PREFIX {p}: <{listener.base}{p or 'empty'}/> "
                       for p in ("SILENT", "silent", "SILENTx", "Silent1", "SERVICEx", "s", "x", ""))
    query = (f"{prefixes}SELECT * WHERE {{ {keyword}{before}{'SILENT ' if silent else ''}{label}:{local}{after}"
             "{ ?x ?y ?v } }")
    try:
        analysis = analyse(query)
    except SparqlSyntaxError:
        return  # refused before anything runs
    checked = [call.iri for call in analysis.services if call.iri is not None]
    assert _called(with_explicit_services(query, analysis), listener) == checked
