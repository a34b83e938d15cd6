"""``cstograph validate`` / ``cstograph compliance`` and the HTTP validation service (a real server)."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from cstograph.cli import main
from cstograph.namespaces import SH, SHAPE
from cstograph.server import ServerConfig, create_app
from cstograph.store import GraphStore

from ..conftest import FIXTURES, PROJECT_DIR, RunningServer, cstograph_command

VALIDATE = FIXTURES / "validate"
MEMBERSHIP = "https://w3id.org/cstograph/id/membership/"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(PROJECT_DIR), *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the project's own data --------------------------------------------------------------------------
def test_validate_project_conforms_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(capsys, "validate")
    assert code == 0, text
    assert text.startswith("SHACL validation: 0 violation(s)") and "— conforms" in text
    code, out, _ = run(capsys, "validate", "--format", "json")
    assert code == 0 and json.loads(out)["conforms"] is True
    code, out, _ = run(capsys, "validate", "--format", "turtle")
    report = Graph().parse(data=out, format="turtle")
    assert code == 0 and (None, SH.conforms, None) in report


# --- a user's additions, validated with the project --------------------------------------------------
def test_additions_that_break_a_shape_are_reported_with_their_triples(capsys: pytest.CaptureFixture[str]) -> None:
    mine = VALIDATE / "overlapping-membership.ttl"
    code, text, _ = run(capsys, "validate", str(mine))
    assert code == 1
    assert "Violation · shape:MembershipOverlapShape" in text
    assert str(mine) in text and "data/memberships.ttl" in text  # the user's file and the project file
    assert "your triple: membership:csto-KAZ-extra cst:startDate" in text
    code, out, _ = run(capsys, "validate", "--format", "json", str(mine))
    results = json.loads(out)["results"]
    assert [(r["sourceShape"], r["focusNode"], r["value"], r["yours"]) for r in results] == [
        (str(SHAPE.MembershipOverlapShape), MEMBERSHIP + "csto-KAZ-2002", MEMBERSHIP + "csto-KAZ-extra", True)]


def test_additions_alone_and_good_additions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--alone", "--format", "json", str(VALIDATE / "incomplete-membership.ttl"))
    assert code == 1
    violations = [(r["sourceShape"], r["focusNode"], r["severity"]) for r in json.loads(out)["results"]]
    assert (str(SHAPE["MembershipShape-startDate"]), MEMBERSHIP + "test-no-start", str(SH.Violation)) in violations
    code, text, _ = run(capsys, "validate", str(VALIDATE / "good-person.ttl"))
    assert code == 0, text
    assert "showing the results that involve" in text


@pytest.mark.integration  # the CLI as a process
def test_malformed_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n')
    proc = subprocess.run([*cstograph_command(), "--project", str(PROJECT_DIR), "validate", str(bad)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert f"{bad}:3:" in proc.stderr


def test_missing_file_and_missing_shapes_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.ttl"))
    assert code == 2 and "nope.ttl: no such file" in err
    code, _, err = run(capsys, "validate", "--shapes", str(tmp_path))
    assert code == 2 and "no shapes" in err


# --- compliance -------------------------------------------------------------------------------------
def test_compliance_command(capsys: pytest.CaptureFixture[str], dataset_file: Path) -> None:
    code, out, _ = run(capsys, "compliance", "--format", "json", "--data", str(dataset_file))
    assert code == 0
    by_event = {f["event"].rsplit("/", 1)[-1]: f["verdict"] for f in json.loads(out)}
    assert by_event["kaz-2022-request"] == "honoured"
    code, out, _ = run(capsys, "compliance", "--data", str(dataset_file))
    assert code == 0 and "verdict:    HONOURED" in out
    code, out, _ = run(capsys, "compliance", "--format", "csv", "--data", str(dataset_file))
    assert code == 0 and out.startswith("event,event_label,date")


# --- over HTTP ---------------------------------------------------------------------------------------
def post(server: RunningServer, body: bytes, ctype: str, accept: str = "application/json",
         query: str = "") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(server.url + "/shacl" + query, data=body, method="POST",
                                 headers={"Content-Type": ctype, "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310 - loopback only
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_http_validation_reports_the_posted_triples(live_server: RunningServer) -> None:
    body = (VALIDATE / "overlapping-membership.ttl").read_bytes()
    status, headers, data = post(live_server, body, "text/turtle")
    assert status == 200 and headers["X-Conforms"] == "false"
    results = json.loads(data)["results"]
    assert [(r["sourceShape"], r["focusNode"], r["yours"]) for r in results] == [
        (str(SHAPE.MembershipOverlapShape), MEMBERSHIP + "csto-KAZ-2002", True)]
    # Turtle report: a sh:ValidationReport
    status, headers, data = post(live_server, body, "text/turtle", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    report = Graph().parse(data=data, format="turtle")
    assert (None, SH.sourceShape, SHAPE.MembershipOverlapShape) in report
    # read-only: the endpoint does not know the posted membership
    ask = urllib.parse.urlencode({"query": f"ASK {{ <{MEMBERSHIP}csto-KAZ-extra> ?p ?o }}"})
    with urllib.request.urlopen(f"{live_server.sparql}?{ask}", timeout=30) as r:  # noqa: S310
        assert json.loads(r.read())["boolean"] is False


def test_http_validation_formats_and_limits(live_server: RunningServer) -> None:
    nt = Graph().parse(VALIDATE / "incomplete-membership.ttl").serialize(format="nt", encoding="utf-8")
    status, _, data = post(live_server, nt, "application/n-triples", query="?with-project=false")
    assert status == 200
    shapes = {(r["sourceShape"], r["focusNode"]) for r in json.loads(data)["results"]}
    assert (str(SHAPE["MembershipShape-startDate"]), MEMBERSHIP + "test-no-start") in shapes
    jsonld = Graph().parse(VALIDATE / "good-person.ttl").serialize(format="json-ld", encoding="utf-8")
    status, headers, data = post(live_server, jsonld, "application/ld+json")
    assert status == 200 and headers["X-Conforms"] == "true", data
    status, _, data = post(live_server, b"@prefix ex: <http://e/> .\nex:a ex:b", "text/turtle")
    assert status == 400 and b"does not parse" in data
    status, _, _ = post(live_server, b"<a> <b> <c> .", "application/pdf")
    assert status == 415
    assert declared_length_status(live_server, 2_000_000) == 413


def declared_length_status(server: RunningServer, length: int) -> int:
    """POST headers declaring a body of ``length`` bytes and read the answer before sending any of it.

    The server refuses an oversized body from its Content-Length without reading it; a client that sends
    the whole body may see the connection reset mid-send instead of the 413 (a race, not a server bug)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest("POST", "/shacl")
        conn.putheader("Content-Type", "text/turtle")
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_http_compliance(live_server: RunningServer) -> None:
    with urllib.request.urlopen(live_server.url + "/compliance", timeout=60) as r:  # noqa: S310
        findings = json.loads(r.read())
    assert {f["event"].rsplit("/", 1)[-1]: f["verdict"] for f in findings}["arm-2022-request"] == "not honoured"
    with urllib.request.urlopen(live_server.url + "/compliance?format=csv", timeout=60) as r:  # noqa: S310
        assert r.headers["Content-Type"].startswith("text/csv")


def test_validation_time_limit(dataset_file: Path) -> None:
    """A validation over the time limit answers 503 (in-process app, same code as the server; the sandbox
    pool that ends the run itself is tested against a real server in tests/test_safety.py)."""
    config = ServerConfig(queries_dir=PROJECT_DIR / "queries", validation_timeout=0.001)
    client = create_app(config, GraphStore.from_files([dataset_file])).test_client()
    body = (VALIDATE / "good-person.ttl").read_bytes()
    r = client.post("/shacl", data=body, content_type="text/turtle")
    assert r.status_code == 503 and b"longer than" in r.data


def test_endpoint_named_check_gives_the_same_verdicts_as_the_cli(live_server: RunningServer, store: GraphStore) -> None:
    """The endpoint serves queries/checks/obligation-compliance.rq itself: same rows as `cstograph compliance`."""
    from cstograph.compliance import compliance_report

    req = urllib.request.Request(live_server.url + "/queries/checks/obligation-compliance",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback only
        rows = json.loads(r.read())["results"]["bindings"]
    over_http = {(b["event"]["value"], b["verdict"]["value"]) for b in rows}
    assert over_http == {(f.event, f.verdict) for f in compliance_report(store, PROJECT_DIR / "queries")}


def test_build_fails_on_a_violation_naming_shape_focus_and_file(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "data" / "zz-bad.ttl").write_text((VALIDATE / "incomplete-membership.ttl").read_text())
    proc = subprocess.run([*cstograph_command(), "--project", str(project_copy), "--build-dir", str(tmp_path / "b"),
                           "build"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "Violation · shape:MembershipShape-startDate" in proc.stderr
    assert "membership:test-no-start" in proc.stderr and "[data/zz-bad.ttl]" in proc.stderr
    assert not (tmp_path / "b" / "current").exists()  # a failed build publishes nothing
