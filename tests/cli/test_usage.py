"""The CLI as a newcomer meets it: every parameter checked with a message that says what is expected, one
wording (``file:line:column: message``) for a bad RDF file whatever the command, ``--version``, a quiet end on
a closed pipe, an access log that works with the production server, and help that names only what exists."""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cstograph.namespaces import sparql_prefixes
from cstograph.pipeline import DATASET_NQ, BuildResult
from cstograph.queries import load_queries

from ..conftest import PROJECT_DIR, cstograph_command, start_server, stop_server

pytestmark = pytest.mark.integration  # every test runs the CLI as a process

BAD_TURTLE = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n'


def cli(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cstograph_command(), *args], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env=_ENV)


# A clean environment, but the code under test: the PYTHONPATH the tests run with (a worktree's src/).
_ENV = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()),
        **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}


@pytest.fixture(scope="module")
def data(built: BuildResult) -> str:
    return str(built.path / DATASET_NQ)


def test_version() -> None:
    from importlib.metadata import version

    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"cstograph {version('cstograph')}"


def test_python_dash_m_is_the_command() -> None:
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "cstograph", "--version"], capture_output=True, text=True,
                          timeout=60, env=os.environ.copy())
    assert proc.returncode == 0 and proc.stdout == cli("--version").stdout


def test_help_names_only_queries_that_exist() -> None:
    known = {f"{g}/{n}" for g in ("examples", "checks") for n in load_queries(PROJECT_DIR / "queries", g)}
    for args in (["--help"], ["query", "--help"]):
        named = set(re.findall(r"\b((?:examples|checks)/[\w-]+)", cli(*args).stdout))  # .rq files too
        assert named <= known, named - known


@pytest.mark.parametrize(("param", "message"), [
    ("date=1995-13-45", "date: '1995-13-45' is not a valid xsd:date: not a calendar date (month must be in 1..12)"),
    ("date=yesterday", "date: 'yesterday' is not a valid xsd:date: expected a date as YYYY-MM-DD (or 'today')"),
    ("dat=1995-01-01", "unknown parameter 'dat' for examples/02-members-on-date: did you mean 'date'? It takes: date"),
    ("date", "-p expects NAME=VALUE, got 'date'"),
])
def test_bad_parameters_are_refused_with_what_is_expected(data: str, param: str, message: str) -> None:
    proc = cli("query", "examples/02-members-on-date", "-p", param, "--data", data)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == f"cstograph: error: {message}"


def test_an_iri_parameter_takes_a_prefixed_name_and_says_what_it_expects(data: str) -> None:
    bare = cli("query", "examples/03-membership-history", "-p", "state=ARM", "--data", data)
    assert bare.returncode == 2
    assert "'ARM' is not an IRI: give a full IRI (https://…) or a prefixed name such as state:ARM" in bare.stderr
    assert "did you mean state:ARM?" in bare.stderr
    short = cli("query", "examples/03-membership-history", "-p", "state=state:ARM", "--data", data)
    full = cli("query", "examples/03-membership-history", "-p", "state=https://w3id.org/cstograph/id/state/ARM",
               "--data", data)
    assert short.returncode == 0 and short.stdout == full.stdout and short.stdout.count("\n") >= 4


def test_unknown_query_names_and_missing_files(data: str) -> None:
    proc = cli("query", "examples/members-on-date", "--data", data)
    assert proc.returncode == 2
    assert "no query named 'examples/members-on-date': did you mean examples/02-members-on-date?" in proc.stderr
    proc = cli("query", "nowhere/mine.rq", "--data", data)
    assert proc.returncode == 2 and proc.stderr.strip() == "cstograph: error: nowhere/mine.rq: no such query file"


@pytest.mark.parametrize(("name", "meant"), [("examples/members-on-dat", "examples/02-members-on-date"),
                                           ("examples/02-member-on-date", "examples/02-members-on-date"),
                                           ("check/obligation-compliance", "checks/obligation-compliance"),
                                           ("examples/nosuch", None), ("examples/zzzzzzzz", None)])
def test_did_you_mean_names_only_a_close_query(data: str, name: str, meant: str | None) -> None:
    proc = cli("query", name, "--data", data)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"cstograph: error: no query named {name!r}: ")
    if meant:
        assert f"did you mean {meant}? known: " in proc.stderr
    else:
        assert "did you mean" not in proc.stderr
        assert "known: checks/" in proc.stderr


def test_a_plain_rq_file_runs_without_headers(data: str, tmp_path: Path) -> None:
    """A ``.rq`` file of one's own needs no ``#+ summary:`` (the project's named queries do)."""
    mine = tmp_path / "my.rq"
    mine.write_text(sparql_prefixes("rdfs") +
                    "SELECT ?label WHERE { <https://w3id.org/cstograph/id/state/ARM> rdfs:label ?label "
                    'FILTER(lang(?label) = "en") }\n', encoding="utf-8")
    proc = cli("query", str(mine), "--data", data, "--format", "csv")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines() == ["label", "Armenia"]
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ param: x\nSELECT * WHERE {}\n", encoding="utf-8")
    proc = cli("query", str(bad), "--data", data)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"cstograph: error: {bad}: '#+ param:' needs a name and a datatype"


def test_every_command_words_a_bad_rdf_file_the_same(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TURTLE, encoding="utf-8")
    expected = f"cstograph: error: {bad}:3:11: Unexpected end of file"
    commands = [["validate", str(bad)], ["compliance", "--data", str(bad)],
                ["query", "examples/01-treaty-signatories", "--data", str(bad)],
                ["export", "--data", str(bad), "--out", str(tmp_path / "out")],
                ["link", "--dry-run", "--wikidata-export", str(bad)],
                ["serve", "--data", str(bad), "--port", "1"]]
    for command in commands:
        proc = cli(*command)
        assert (proc.returncode, proc.stderr.strip()) == (2, expected), command


def test_a_busy_port_is_one_clear_error(tmp_path: Path) -> None:
    """Another program listens on the port: one line saying so, exit 2, nothing announced, no gunicorn noise."""
    data = tmp_path / "tiny.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        proc = subprocess.run([*cstograph_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--data", str(data)], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                              env=_ENV)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.strip() == f"cstograph: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert proc.stdout == ""  # no "serving … on :port" before the failure
    for noise in ("gunicorn", "Traceback", "[ERROR]", "[INFO]"):
        assert noise not in proc.stdout + proc.stderr, noise


def _in_a_terminal(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its stdin, stdout and stderr (as in an interactive shell); the
    exit status and everything it wrote to the terminal, control sequences included."""
    main, child_end = os.openpty()
    proc = subprocess.Popen([*cstograph_command(), *args], stdin=child_end, stdout=child_end, stderr=child_end,
                            cwd=PROJECT_DIR, env=env, close_fds=True)
    os.close(child_end)
    out = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: every holder of the terminal's other end has closed it
                break
            if not chunk:
                break
            out += chunk
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    return code, out.decode("utf-8", "replace")


def test_progress_in_a_terminal_and_its_off_switch(built: BuildResult, session_settings) -> None:  # type: ignore[no-untyped-def]
    """In a terminal, a step shows a spinner with its name and the elapsed time (rich, on stderr, erased when it
    ends); ``CSTOGRAPH_PROGRESS=0`` turns it off. (A pipe never gets it: the other tests read clean stderr.)"""
    args = ["--build-dir", str(session_settings.build_dir), "build"]
    env = {**_ENV, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    code, shown = _in_a_terminal(args, env)
    assert code == 0, shown
    assert "cstograph build" in shown and re.search(r"\d:\d\d:\d\d", shown), shown  # the step and its time
    assert "\x1b[" in shown and "reused " in shown  # drawn with control sequences, then the command's answer
    code, quiet = _in_a_terminal(args, {**env, "CSTOGRAPH_PROGRESS": "0"})
    assert code == 0, quiet
    assert "cstograph build" not in quiet and not re.search(r"\d:\d\d:\d\d", quiet), quiet
    assert quiet.strip().startswith("reused ") and "\x1b[" not in quiet


def test_a_closed_pipe_ends_quietly(built: BuildResult, session_settings) -> None:  # type: ignore[no-untyped-def]
    """`cstograph stats | head -1`: the reader has gone; no traceback, the shell's exit status for SIGPIPE."""
    proc = subprocess.Popen([*cstograph_command(), "--build-dir", str(session_settings.build_dir), "stats"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_DIR)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before it writes anything
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141 and err == b""


def test_access_log_writes_common_log_format_lines(data: str, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    server = start_server(["--data", data, "--access-log", str(log), "--workers", "2"], tmp_path / "server.log")
    try:
        with urllib.request.urlopen(server.url + "/health", timeout=10) as reply:  # noqa: S310 - loopback
            size = len(reply.read())
        with urllib.request.urlopen(server.sparql + "?query=ASK%7B%7D", timeout=10):  # noqa: S310 - loopback
            pass
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "/no/such/page", timeout=10)  # noqa: S310 - loopback
    finally:
        stop_server(server)
    clf = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "(GET \S+ HTTP/1\.1)" (\d{3}) '
                     r'(\d+|-)$')
    lines = [clf.match(line) for line in log.read_text().splitlines()]
    assert all(lines), log.read_text()
    found = [(m.group(1), m.group(2), m.group(3)) for m in lines if m]
    assert ("GET /health HTTP/1.1", "200", str(size)) in found
    assert ("GET /sparql?query=ASK%7B%7D HTTP/1.1", "200") in [f[:2] for f in found]
    assert ("GET /no/such/page HTTP/1.1", "404") in [f[:2] for f in found]


def test_named_query_over_http_takes_prefixed_names_and_refuses_bare_words(live_server) -> None:  # type: ignore[no-untyped-def]
    url = live_server.url + "/queries/examples/03-membership-history?format=csv&state="
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "ARM", timeout=30)  # noqa: S310 - loopback
    assert refused.value.code == 400 and b"prefixed name such as state:ARM" in refused.value.read()
    with urllib.request.urlopen(url + "state:ARM", timeout=30) as reply:  # noqa: S310 - loopback
        assert reply.read().count(b"\n") >= 4
