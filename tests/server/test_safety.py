"""Safe to expose: hostile requests against a real ``cstograph serve`` (issue 10).

Each test names the invariant it checks. The server (``hostile_server``) serves the built graph plus
attacker-written data, with a 2 s query limit, 3 query sandbox processes of which 1 may run long, and 3 s
for a client to send a whole request. "Hang" below means no answer within the limit + 5 s (the limit + 1 s
goal itself is measured by ``bench/load_bench.py``: these machines are too noisy for timed assertions).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from cstograph.namespaces import turtle_prefixes

from ..conftest import Canary, RunningServer, server_processes, start_server, stop_server
from .conftest import REQUEST_TIMEOUT, TIMEOUT, Reply, query, request

HANG = TIMEOUT + 5.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/cstograph/ontology#State> } LIMIT 3"


# --- helpers ------------------------------------------------------------------------------------------------
def pids_titled(server: RunningServer, title: str) -> list[int]:
    return sorted(pid for pid, t in server_processes(server).items() if t.startswith(title))


def busy_sandbox(server: RunningServer) -> int:
    """The query sandbox process using the most CPU time (the one running a runaway)."""
    def cpu(pid: int) -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    return max(pids_titled(server, "cstograph: query sandbox"), key=cpu)


def healthy(server: RunningServer, *, within: float = 20.0) -> Reply:
    """Wait until /health and a cheap query both answer 200 (after a fault); the last reply."""
    deadline = time.monotonic() + within
    last: Reply | None = None
    while time.monotonic() < deadline:
        try:
            last = request(server, "GET", "/health", timeout=5)
            if last.status == 200:
                answered = query(server, CHEAP, timeout=HANG)
                if answered.status == 200:
                    return answered
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not recover within {within} s (last: {last})")


def in_background(fn: object, *args: object) -> tuple[threading.Thread, list[object]]:
    box: list[object] = []

    def run() -> None:
        try:
            box.append(fn(*args))  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


# --- no request can stop the server from answering others -------------------------------------------------
DEEP = {
    "nested sub-selects": "SELECT * WHERE { " * 3000 + "?s ?p ?o" + " }" * 3000,
    "nested groups": "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000,
    "nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
    "nested FILTER EXISTS": "SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
    "nested expressions": "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}",
    "nested function calls": "SELECT (" + "STR(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}",
    "nested paths": "SELECT * { ?s " + "(" * 5000 + "<http://p>" + ")" * 5000 + " ?o }",
    "nested collections": "SELECT * { ?s <http://p> " + "(" * 3000 + "1" + ")" * 3000 + " }",
    "nested blank nodes": "SELECT * { ?s <http://p> " + "[ <http://p> " * 3000 + "?o" + " ]" * 3000 + " }",
    "a long UNION chain": "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " }",
    "a long || chain": "SELECT * { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 20000) + ") }",
    "a long path sequence": "SELECT * { ?s " + "/".join(["<http://p>"] * 20000) + " ?o }",
    "a long join chain": "SELECT * { " + " ".join(f"?s{i} <http://p> ?s{i + 1} ." for i in range(5000)) + " }",
    "a long BIND chain": "SELECT * { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(5000)) + " }",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_stack_exhausting_queries_are_refused_before_evaluation(hostile_server: RunningServer, name: str) -> None:
    """A query that would exhaust the engine's stack is refused with 400, measured on a real parse."""
    reply = query(hostile_server, DEEP[name], timeout=HANG)
    assert reply.status == 400, reply.text
    assert "query refused" in reply.text and ("levels deep" in reply.text or "nests" in reply.text)


def test_a_loop_of_deep_queries_beside_normal_traffic(hostile_server: RunningServer) -> None:
    """Attackers sending stack-exhausting queries and runaways in a loop never stop the others' answers."""
    stop = threading.Event()
    outcomes: Counter[str] = Counter()
    normal: list[int] = []
    lock = threading.Lock()

    def attack(texts: list[str]) -> None:
        while not stop.is_set():
            for text in texts:
                try:
                    status = str(query(hostile_server, text, timeout=HANG).status)
                except OSError as exc:
                    status = type(exc).__name__
                with lock:
                    outcomes[status] += 1

    def browse() -> None:
        while not stop.is_set():
            for status in (request(hostile_server, "GET", "/health", timeout=HANG).status,
                           query(hostile_server, CHEAP, timeout=HANG).status):
                with lock:
                    normal.append(status)

    threads = [threading.Thread(target=attack, args=(list(DEEP.values())[:6],)),
               threading.Thread(target=attack, args=([DEEP["a long join chain"], RUNAWAY],)),
               threading.Thread(target=browse)]
    for t in threads:
        t.start()
    time.sleep(8)
    stop.set()
    for t in threads:
        t.join(timeout=HANG * 2)
    assert normal and set(normal) == {200}, Counter(normal)
    assert set(outcomes) <= {"400", "503"}, outcomes
    healthy(hostile_server)


def test_a_crashed_sandbox_process_is_survived(hostile_server: RunningServer) -> None:
    """SIGSEGV in the process evaluating a query: that query gets a 503 that says so; the next ones are answered."""
    thread, box = in_background(query, hostile_server, RUNAWAY)
    time.sleep(0.8)
    os.kill(busy_sandbox(hostile_server), signal.SIGSEGV)
    thread.join(HANG)
    (reply,) = box
    assert isinstance(reply, Reply) and reply.status == 503 and "stopped its process" in reply.text, reply
    healthy(hostile_server)
    metrics = json.loads(request(hostile_server, "GET", "/metrics").body)
    assert metrics["crashes"] >= 1


@pytest.mark.parametrize("title, sig", [
    ("gunicorn: worker", signal.SIGKILL),
    ("gunicorn: worker", signal.SIGSEGV),
    ("cstograph: query sandbox", signal.SIGKILL),
    ("cstograph: query pool", signal.SIGKILL),
    ("gunicorn: master", signal.SIGKILL),
])
def test_any_process_death_is_survived(hostile_server: RunningServer, title: str, sig: signal.Signals) -> None:
    """Kill a process of the tree during requests (nothing shared can be left held): the server answers again."""
    thread, _ = in_background(query, hostile_server, RUNAWAY)
    time.sleep(0.5)
    (victim, *_) = pids_titled(hostile_server, title)
    os.kill(victim, sig)
    thread.join(HANG * 2)
    reply = healthy(hostile_server, within=30)
    assert json.loads(reply.body)["results"]["bindings"]
    assert request(hostile_server, "GET", "/metrics", timeout=5).status == 200  # no lock left held


def test_sigterm_to_the_root_alone_stops_the_whole_tree(dataset_file: Path, tmp_path: Path) -> None:
    """What ``docker stop`` or ``kill PID`` does: SIGTERM to the root process only (not its group). The root
    stops its children and exits 0; no process of the tree is left, and the port is free again."""
    server = start_server(["--data", str(dataset_file), "--query-processes", "2"], tmp_path / "server.log")
    try:
        tree = server_processes(server)
        assert len(tree) >= 5  # root, pools, sandboxes, arbiter, workers
        os.kill(server.process.pid, signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in tree if Path(f"/proc/{pid}").exists()] == []
        port = int(server.url.rsplit(":", 1)[1])
        with socket.socket() as again:
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))
    finally:
        stop_server(server)


def test_no_shacl_starts_no_validation_pool(dataset_file: Path, tmp_path: Path) -> None:
    """``serve --no-shacl``: no validation pool (nor its copy of the project) in the process tree; POST /shacl
    is a 404 that says why; queries are answered as always."""
    server = start_server(["--data", str(dataset_file), "--query-processes", "2", "--no-shacl"], tmp_path / "s.log")
    try:
        titles = list(server_processes(server).values())
        assert not [t for t in titles if "validation" in t], titles
        assert [t for t in titles if "query sandbox" in t], titles
        reply = request(server, "POST", "/shacl", body=b"<urn:a> <urn:b> <urn:c> .",
                        headers={"Content-Type": "text/turtle"})
        assert reply.status == 404 and "--no-shacl" in reply.text, reply.text
        assert query(server, CHEAP).status == 200
    finally:
        stop_server(server)


# --- fairness under load ---------------------------------------------------------------------------------------
def test_runaways_are_stopped_and_cheap_queries_keep_answering(hostile_server: RunningServer) -> None:
    """Three runaways at once with one long-job slot: one runs to its limit (503 timeout), the others are
    stopped as soon as they run long (503 busy); cheap queries meanwhile are all answered."""
    runs = [in_background(query, hostile_server, RUNAWAY + f" # {i}", ) for i in range(3)]
    cheap = [query(hostile_server, CHEAP, timeout=HANG) for _ in range(10)]
    replies = []
    for thread, box in runs:
        thread.join(HANG * 2)
        replies.append(box[0])
    assert all(isinstance(r, Reply) and r.status == 503 for r in replies), replies
    kinds = Counter("timeout" if "query timeout" in r.text else "busy" if "long-running" in r.text else r.text
                    for r in replies if isinstance(r, Reply))
    assert kinds["timeout"] >= 1 and kinds["timeout"] + kinds["busy"] == 3, kinds
    assert [r.status for r in cheap] == [200] * 10
    healthy(hostile_server)


def _people(n: int) -> bytes:
    """A Turtle document of ``n`` people (a second or two of validation per thousand)."""
    return (turtle_prefixes("cst", "rdfs") + "".join(
                f'<urn:x:p{i}> a cst:Person ; rdfs:label "P {i}"@en ; '
                f"cst:citizenOf <https://w3id.org/cstograph/id/state/ARM> .\n" for i in range(n))).encode()


def test_a_flood_of_validations_holds_no_worker(hostile_server: RunningServer) -> None:
    """More slow POST /shacl requests at once than the server has request threads: a worker lets only as many
    wait on the validation pool as it has validation processes and answers the rest 503 busy at once, so
    /health and cheap queries keep answering while the validations run."""
    body = _people(500)
    def post() -> Reply:
        return request(hostile_server, "POST", "/shacl", body=body, headers={"Content-Type": "text/turtle"},
                       timeout=120)

    posts = [in_background(post) for _ in range(20)]
    time.sleep(0.5)
    assert request(hostile_server, "GET", "/health", timeout=HANG).status == 200
    assert query(hostile_server, CHEAP, timeout=HANG).status == 200
    assert any(thread.is_alive() for thread, _ in posts), "the validations ended before the server was asked"
    replies = []
    for thread, box in posts:
        thread.join(120)
        replies.append(box[0])
    assert all(isinstance(r, Reply) for r in replies), replies
    statuses = Counter(r.status for r in replies if isinstance(r, Reply))
    assert set(statuses) <= {200, 503} and statuses[200] >= 1 and statuses[503] >= 1, statuses
    busy = [r for r in replies if isinstance(r, Reply) and r.status == 503]
    assert all("busy" in r.text and r.headers.get("retry-after") for r in busy), busy[0].text


def test_a_client_may_lower_the_time_limit_never_raise_it(hostile_server: RunningServer) -> None:
    reply = query(hostile_server, RUNAWAY, timeout=HANG, params={"timeout": "0.5"})
    assert reply.status == 503 and "0.5 s" in reply.text
    assert query(hostile_server, CHEAP, params={"timeout": "600"}).status == 200
    assert "of 2 s" in query(hostile_server, RUNAWAY, timeout=HANG, params={"timeout": "600"}).text


# --- nothing reaches out unless an operator allowed it ----------------------------------------------------------
SERVICE_FORMS = [
    "SELECT * {{ SERVICE <{u}/q> {{ ?s ?p ?o }} }}",
    "select * {{ service<{u}/q>{{?s ?p ?o}} }}",
    "SELECT * {{ SeRvIcE#c\n<{u}/q> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE SILENT <{u}/q> {{ ?s ?p ?o }} }}",
    "PREFIX : <{u}/> SELECT ?v WHERE {{ SERVICE:q {{ ?x ?y ?v }} }}",
    "PREFIX : <{u}/> SELECT ?v WHERE {{ SERVICE :q {{ ?x ?y ?v }} }}",
    "PREFIX e: <{u}/> SELECT * {{ SERVICE e: {{ }} }}",
    "BASE <{u}/> SELECT * {{ SERVICE <q> {{ }} }}",
    "SELECT * {{ BIND(<{u}/q> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <{escaped}/q> {{ ?s ?p ?o }} }}",
    "SELECT * {{ OPTIONAL {{ SERVICE <{u}/q> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ FILTER EXISTS {{ SERVICE <{u}/q> {{ }} }} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{u}/q> {{ }} }} }} }}",
    "ASK {{ MINUS {{ SERVICE <{u}/q> {{ }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}/q> {{ ?s ?p ?o }} }}",
]


def test_service_is_refused_in_every_lexical_form(hostile_server: RunningServer, canary: Canary) -> None:
    """SERVICE is found on a real parse: every form the grammar (or the engine) accepts is refused, and the
    canary on loopback is never called."""
    escaped = "".join(f"\\u{ord(c):04X}" for c in canary.url)
    canary.take()
    for form in SERVICE_FORMS:
        text = form.format(u=canary.url, escaped=escaped)
        reply = query(hostile_server, text, timeout=HANG)
        assert reply.status == 400, (text, reply.text)
        assert "SERVICE" in reply.text and "CANARY" not in reply.text
    assert canary.take() == []


def test_dataset_clauses_never_fetch(hostile_server: RunningServer, canary: Canary) -> None:
    canary.take()
    reply = query(hostile_server, f"SELECT * FROM <{canary.url}/g> FROM NAMED <{canary.url}/n> {{ ?s ?p ?o }}")
    assert reply.status == 200 and b"CANARY" not in reply.body
    reply = query(hostile_server, "SELECT * { ?s ?p ?o } LIMIT 1", params={"default-graph-uri": canary.url + "/g",
                                                                          "named-graph-uri": "file:///etc/passwd"})
    assert reply.status == 200 and b"CANARY" not in reply.body and b"root:" not in reply.body
    assert canary.take() == []


POSTED = [
    ("application/ld+json", '{{"@context": "{u}/ctx.jsonld", "@id": "http://a", "x": "1"}}'),
    ("application/ld+json", '{{"@context": {{"@import": "{u}/import.jsonld"}}, "@id": "http://a"}}'),
    ("application/json", '[{{"@context": ["{u}/a.jsonld"], "@id": "http://a"}}]'),
    ("application/rdf+xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{u}/ent">]>'
                            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                            '<rdf:Description rdf:about="http://a"><rdf:value>&e;</rdf:value></rdf:Description>'
                            '</rdf:RDF>'),
    ("text/turtle", turtle_prefixes("owl") + "<{u}/o> owl:imports <{u}/imported.ttl> ."),
]


def test_posted_data_is_parsed_with_document_loading_off(hostile_server: RunningServer, canary: Canary) -> None:
    """JSON-LD contexts, XML entities and owl:imports in POST /shacl are never fetched; the canary sees nothing."""
    canary.take()
    for media_type, template in POSTED:
        body = template.format(u=canary.url).encode()
        reply = request(hostile_server, "POST", "/shacl?with-project=false", body=body,
                        headers={"Content-Type": media_type, "Accept": "application/json"}, timeout=120)
        assert reply.status in (200, 400), (media_type, reply.status, reply.text)
        assert "CANARY" not in reply.text
    assert canary.take() == []


def test_posted_data_does_not_tell_whether_a_local_file_exists(hostile_server: RunningServer) -> None:
    answers = []
    for path in ("/etc/passwd", "/no/such/file"):
        body = json.dumps({"@context": f"file://{path}", "@id": "http://a", "x": "1"}).encode()
        reply = request(hostile_server, "POST", "/shacl", body=body, timeout=120,
                        headers={"Content-Type": "application/ld+json", "Accept": "application/json"})
        assert reply.status == 400 and "root:" not in reply.text
        answers.append(reply.text.replace(path, "PATH"))
    assert answers[0] == answers[1]


# --- every response has a clear status -------------------------------------------------------------------------
BAD_REQUESTS = [
    ("GET", "/timeline?today=garbage", 400, "today"),
    ("GET", "/timeline?today=2020-13-45", 400, "today"),
    ("GET", "/timeline?of=javascript:alert(1)", 400, "'of'"),
    ("GET", "/timeline?of=http://a%20b", 400, "IRI"),
    ("GET", "/id/state/ARM%00.ttl", 400, "not a valid IRI"),
    ("GET", "/id/state/%ff%fe.html", 400, "not a valid IRI"),
    ("GET", "/id/state/a%20b", 400, "not a valid IRI"),
    ("GET", "/ontology/State%0d%0aX-Injected:%201", 400, "not a valid IRI"),
    ("GET", "/ontology/%3Cx%3E", 400, "not a valid IRI"),
    ("GET", "/id/state/NOPE.html", 404, "no resource"),
    ("GET", "/no/such/page", 404, "Not Found"),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D&timeout=nan", 400, "timeout"),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D&timeout=-1", 400, "timeout"),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D&default-graph-uri=a%20b", 400, "default-graph-uri"),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D&named-graph-uri=%00", 400, "named-graph-uri"),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D&format=nonsense", 406, "acceptable"),
    ("GET", "/sparql?query=%00", 400, "NUL"),
    ("GET", "/sparql?query=SELECT%20%E2%80%A8*%20%7B%7D", 400, "malformed"),
    ("GET", "/queries/examples/02-members-on-date?bogus=1", 400, "unknown parameter"),
    ("GET", "/queries/nope/nope", 404, "no named query"),
    ("GET", "/compliance?format=pdf", 400, "format"),
    ("DELETE", "/sparql", 405, "Method Not Allowed"),
    ("POST", "/shacl?with-project=perhaps", 400, "with-project"),
]


@pytest.mark.parametrize("method, path, status, says", BAD_REQUESTS, ids=[f"{m} {p}" for m, p, _, _ in BAD_REQUESTS])
def test_bad_input_gets_a_4xx_that_says_what_was_wrong(hostile_server: RunningServer, method: str, path: str,
                                                        status: int, says: str) -> None:
    body = b"<a> <b> <c> ." if method == "POST" else None
    headers = {"Content-Type": "text/turtle"} if method == "POST" else {}
    reply = request(hostile_server, method, path, body=body, headers=headers, timeout=HANG)
    assert reply.status == status, reply.text
    assert says.lower() in reply.text.lower()


@pytest.mark.parametrize("day", ["0001-01-01", "0002-06-30", "9998-12-31", "9999-12-31"])
@pytest.mark.parametrize("of", ["", "&of=https://w3id.org/cstograph/id/state/ARM"])
def test_the_first_and_last_days_of_the_calendar_are_drawn(hostile_server: RunningServer, day: str, of: str) -> None:
    """Every date Python can hold draws a timeline (its axis ends on 1 January after 'today': past 9999 once)."""
    reply = request(hostile_server, "GET", f"/timeline?today={day}{of}", headers={"Accept": "image/svg+xml"})
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"].startswith("image/svg+xml") and b"<svg" in reply.body


def test_bad_encodings_and_bodies_get_4xx(hostile_server: RunningServer) -> None:
    cases = [
        (b"query=\xff\xfe", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"\xff\xfeSELECT", {"Content-Type": "application/sparql-query"}),
        (b"SELECT * {}", {"Content-Type": "application/sparql-query; charset=latin-1"}),
        (b"SELECT * {}", {"Content-Type": "text/csv"}),
    ]
    for body, headers in cases:
        reply = request(hostile_server, "POST", "/sparql", body=body, headers=headers, timeout=HANG)
        assert 400 <= reply.status < 500, (headers, reply.status, reply.text)
    # a body over the limit is refused from its declared length, before it is read (the client may not finish)
    host, port = hostile_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=HANG) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 2000000\r\n\r\n" + b"x" * 1000)
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")
    for body, media_type in ((b"\xff\xfe\x00", "text/turtle"), (b"{", "application/ld+json"),
                             (b"<rdf:RDF", "application/rdf+xml"), (b"<a> <b> .", "application/n-quads"),
                             (b"{ <a> <b> <c> ", "application/trig")):
        reply = request(hostile_server, "POST", "/shacl", body=body, headers={"Content-Type": media_type}, timeout=120)
        assert reply.status == 400 and reply.text, (media_type, reply.status, reply.text)


# --- pages are safe to open --------------------------------------------------------------------------------------
_LINK = re.compile(rb"""(?:xlink:)?href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/id/state/ZZZ.html", "/id/organization/csto.html", "/timeline",
                                  "/timeline?of=https://w3id.org/cstograph/id/organization/csto",
                                  "/id/event/zzz-hostile.html", "/id/membership/zzz-hostile.html"])
def test_only_http_https_and_mailto_iris_become_links(hostile_server: RunningServer, path: str) -> None:
    reply = request(hostile_server, "GET", path, headers={"Accept": "text/html"})
    assert reply.status == 200
    for href in _LINK.findall(reply.body):
        target = href.decode().strip().lower()
        assert target.startswith(("/", "#", "http://", "https://", "mailto:")) and not target.startswith("//"), href
    assert b"<script>alert" not in reply.body and b"<img src=x" not in reply.body


@pytest.mark.parametrize(("path", "target"), [("/id/state", "/id/state/"), ("/id//state/ARM", "/id/state/ARM"),
                                             ("/id/state//", "/id/state/")])
def test_redirects_stay_on_this_server_whatever_the_host_header(hostile_server: RunningServer, path: str,
                                                                target: str) -> None:
    """The router's slash redirects name a path, not a URL built from the client's Host header (which a
    cache in front would then serve to everyone)."""
    reply = request(hostile_server, "GET", path, headers={"Host": "evil.example"})
    assert (reply.status, reply.headers.get("location")) == (308, target)
    assert b"evil.example" not in reply.body


def test_pages_carry_the_security_headers(hostile_server: RunningServer) -> None:
    seen: set[str] = set()
    for path in ("/", "/id/state/ZZZ.html", "/sparql", "/ontology", "/timeline", "/no/such/page"):
        reply = request(hostile_server, "GET", path, headers={"Accept": "text/html"})
        csp = reply.headers["content-security-policy"]
        assert reply.headers["content-type"].startswith("text/html"), path
        assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        nonce = re.search(r"'nonce-([A-Za-z0-9_-]{16,})'", csp)
        assert nonce and nonce.group(1) not in seen, csp  # a fresh style nonce per response
        seen.add(nonce.group(1))
        assert reply.headers["x-content-type-options"] == "nosniff" and "referrer-policy" in reply.headers
        assert b"<script>" not in reply.body and b" style=" not in reply.body, path  # no inline script or style
    for path in ("/timeline", "/health", "/id/state/ARM.ttl"):
        reply = request(hostile_server, "GET", path)
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in reply.headers["content-security-policy"]


# --- slow clients time out without holding the workers --------------------------------------------------------
def test_slow_and_stalled_clients_hold_no_worker(hostile_server: RunningServer) -> None:
    """40 clients trickling their headers a byte at a time and 20 that send nothing: /health keeps answering,
    and the trickling ones are disconnected once their request is late."""
    host, port = hostile_server.url.removeprefix("http://").split(":")
    trickling = [socket.create_connection((host, int(port)), timeout=10) for _ in range(40)]
    stalled = [socket.create_connection((host, int(port)), timeout=10) for _ in range(20)]
    line = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    started = time.monotonic()
    try:
        answered = 0
        for i in range(12):  # about REQUEST_TIMEOUT + 3 s of trickling
            for sock in trickling:
                with contextlib.suppress(OSError):
                    sock.send(line[i:i + 1])
            assert request(hostile_server, "GET", "/health", timeout=HANG).status == 200
            answered += 1
            time.sleep(0.5)
        assert answered == 12
        assert time.monotonic() - started > REQUEST_TIMEOUT + 1
        closed = 0
        for sock in trickling:
            try:
                sock.settimeout(2)
                closed += sock.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == len(trickling), f"{closed} of {len(trickling)} slow clients were disconnected"
    finally:
        for sock in trickling + stalled:
            sock.close()
