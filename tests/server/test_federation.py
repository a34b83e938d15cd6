"""Federation: a query may use SERVICE to an endpoint on the operator's allow-list (``serve --service-allow
URL``), and only to those. The remote is a REAL second SPARQL server — ``oxigraph serve-read-only`` from
PyPI on 127.0.0.1, loaded with the Wikidata-shaped fixture — never a mock."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cstograph import namespaces
from cstograph.namespaces import sparql_prefixes
from tests.conftest import FIXTURES, PROJECT_DIR, Canary, RunningServer, free_port, start_server, stop_server

ID = str(namespaces.ID)
PREFIXES = sparql_prefixes("cst", "skos", "rdfs", "wd", "wdt", "p", "ps")


@dataclass
class Remote:
    query_url: str
    process: subprocess.Popen[bytes]


def oxigraph_cli() -> str:
    exe = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the oxigraph server (PyPI 'oxigraph', in the test extras) is not installed")
    return exe


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    """``oxigraph serve-read-only`` on 127.0.0.1 with the Wikidata-shaped fixture loaded."""
    folder = tmp_path_factory.mktemp("remote")
    exe = oxigraph_cli()
    subprocess.run([exe, "load", "--location", str(folder / "db"), "--file", str(FIXTURES / "wikidata-export.ttl")],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    with (folder / "oxigraph.log").open("wb") as log:
        proc = subprocess.Popen([exe, "serve-read-only", "--location", str(folder / "db"),
                                 "--bind", f"127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph exited: {(folder / 'oxigraph.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not start")
                time.sleep(0.2)
        yield Remote(url, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)


def _data_args() -> list[str]:
    """Serve the project's own files (ontology, data, links): the real data, without needing a build."""
    files = [PROJECT_DIR / "ontology" / "cstograph.ttl", *sorted((PROJECT_DIR / "data").glob("*.ttl")),
             *sorted((PROJECT_DIR / "data" / "links").glob("*.ttl"))]
    return ["--data", *map(str, files)]


@pytest.fixture(scope="module")
def federated(remote: Remote, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("federated") / "server.log"
    server = start_server([*_data_args(), "--service-allow", remote.query_url], log)
    try:
        yield server
    finally:
        stop_server(server)


def sparql(server: RunningServer, query: str) -> tuple[int, dict[str, object] | str]:
    body = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(server.sparql, data=body, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback only
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def test_federated_query_joins_our_states_with_the_remote_via_exact_match(
        federated: RunningServer, remote: Remote) -> None:
    status, result = sparql(federated, PREFIXES + f"""
        SELECT ?state ?code ?wikidataLabel WHERE {{
          ?state a cst:State ; cst:iso3166Alpha3 ?code ; skos:exactMatch ?item .
          SERVICE <{remote.query_url}> {{ ?item wdt:P298 ?code ; rdfs:label ?wikidataLabel }}
        }} ORDER BY ?code""")
    assert status == 200, result
    assert isinstance(result, dict)
    rows = {b["state"]["value"]: b["wikidataLabel"]["value"] for b in result["results"]["bindings"]}  # type: ignore[index]
    assert rows[ID + "state/ARM"] == "Armenia"
    assert rows[ID + "state/KAZ"] == "Kazakhstan"
    assert len(rows) == 12  # every linked state of the fixture, joined on QID and ISO code


def test_federated_query_finds_the_remote_members_we_do_not_have(federated: RunningServer, remote: Remote) -> None:
    """Wikidata's North Korea membership of the CSTO shows up as a member nobody in our graph links to."""
    status, result = sparql(federated, PREFIXES + f"""
        SELECT ?item ?label WHERE {{
          SERVICE <{remote.query_url}> {{ ?item p:P463/ps:P463 wd:Q318693 ; rdfs:label ?label }}
          FILTER NOT EXISTS {{ ?ours skos:exactMatch ?item }}
        }}""")
    assert status == 200, result
    assert isinstance(result, dict)
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["North Korea"]  # type: ignore[index]


def test_service_not_on_the_allow_list_is_refused(federated: RunningServer, remote: Remote) -> None:
    other = remote.query_url.replace("/query", "/other")
    for target in (other, "http://127.0.0.1:9/sparql", "https://query.wikidata.org/sparql"):
        status, body = sparql(federated, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} LIMIT 1")
        assert status == 400, (target, body)


def test_service_is_refused_without_an_allow_list(remote: Remote, tmp_path: Path) -> None:
    server = start_server(_data_args(), tmp_path / "server.log")
    try:
        status, _ = sparql(server, f"SELECT * WHERE {{ SERVICE <{remote.query_url}> {{ ?s ?p ?o }} }} LIMIT 1")
    finally:
        stop_server(server)
    assert status == 400


def test_an_allowed_endpoint_is_the_one_called(federated: RunningServer, remote: Remote, canary: Canary) -> None:
    """``SERVICE SILENT:query`` names the allowed endpoint (the prefixed name ``SILENT:query``); the engine
    alone would read ``SILENT`` and ``:query`` — the canary. The server sends the endpoint as checked."""
    allowed = remote.query_url.removesuffix("query")
    for form in ("SILENT:query", "SILENTx:query", "silent:query"):
        status, result = sparql(federated, PREFIXES + f"""
            PREFIX SILENT: <{allowed}> PREFIX silent: <{allowed}> PREFIX SILENTx: <{allowed}>
            PREFIX : <{canary.url}/> PREFIX x: <{canary.url}/>
            SELECT ?label WHERE {{ SERVICE {form} {{ wd:Q399 rdfs:label ?label }} }}""")
        assert status == 200, (form, result)
        assert isinstance(result, dict)
        assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Armenia"], form  # type: ignore[index]
    assert canary.take() == []
