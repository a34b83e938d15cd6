"""Shared fixtures. The real project is built once per test session into a temporary build folder;
servers are real processes on 127.0.0.1, started and stopped by PID."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cstograph.config import Settings
from cstograph.pipeline import DATASET_NQ, BuildResult, build
from cstograph.store import GraphStore

from . import _netguard

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_DIR.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


# --- the integration marker -------------------------------------------------------------------------------
#: Fixtures that make a test an integration test: a full build of the real project (``built`` and all that
#: stands on it: ``dataset_file``, ``store``, ``live_server``, ``hostile_server``…), a copy of the project that the
#: test builds, real server processes (ours, Oxigraph's, Virtuoso's, a balancer's), a browser, a built wheel.
#: A fixture counts wherever it is in the test's closure, so ``client`` on the session's ``store`` is integration
#: and ``client`` on a ``tmp_path`` store is not.
INTEGRATION_FIXTURES = frozenset({
    "built", "project_copy",  # a full build (of the project, of a copy of it)
    "live_server", "hostile_server", "fixture_server", "replicas", "federated", "remote", "oxigraph_server",
    "published", "front", "server",  # real server processes (tests/conftest.py, tests/server/, tests/store/)
    "pool",  # the query sandbox's real process pool (tests/server/test_sandbox.py)
    "chromium", "page", "site", "browser", "other_origin",  # a browser, and the sites it visits
    "wheel",  # a wheel built by pip and installed in a new venv (tests/test_packaging.py)
})
#: Folders whose every test is an integration test.
INTEGRATION_FOLDERS = ("browser", "clients")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``integration`` every test that uses a fixture of INTEGRATION_FIXTURES or lives in an integration
    folder (tests that start a server or the CLI themselves carry ``@pytest.mark.integration``)."""
    here = Path(__file__).parent
    folders = [here / name for name in INTEGRATION_FOLDERS]
    for item in items:
        if INTEGRATION_FIXTURES.intersection(getattr(item, "fixturenames", ())) or any(
                item.path.is_relative_to(folder) for folder in folders):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT_DIR


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"../shared not found beside the project ({SHARED_DIR})")
    return SHARED_DIR


@pytest.fixture(scope="session")
def session_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.discover(project_dir=PROJECT_DIR, build_dir=tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def built(session_settings: Settings) -> BuildResult:
    """The real project, built once (validate + reason) for the whole session."""
    return build(session_settings)


@pytest.fixture(scope="session")
def dataset_file(built: BuildResult) -> Path:
    return built.path / DATASET_NQ


@pytest.fixture(scope="session")
def store(dataset_file: Path) -> GraphStore:
    """The built dataset in the serving store (asserted named graphs + inferred graph)."""
    return GraphStore.from_files([dataset_file])


def free_port() -> int:
    """A free loopback port, which the network guard then lets this test process connect to."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return _netguard.allow(int(s.getsockname()[1]))


_netguard.install()


@pytest.fixture(autouse=True)
def _network_guard() -> Iterator[None]:
    """Fail a test in which this process tried to reach anything but its own loopback ports."""
    _netguard.GUARD.take_violations()
    yield
    violations = _netguard.GUARD.take_violations()
    assert not violations, "the test tried to reach the network: " + "; ".join(violations)


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def cstograph_command() -> list[str]:
    exe = shutil.which("cstograph", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "cstograph.cli"]


def start_server(args: list[str], log: Path, *, ready_path: str = "/health", timeout: float = 60,
                 global_args: list[str] | None = None) -> RunningServer:
    """Start ``cstograph [GLOBAL_ARGS] serve ARGS --port P`` as a real process and wait until it answers."""
    port = free_port()
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [*cstograph_command(), *(global_args or []), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=handle, stderr=subprocess.STDOUT, cwd=PROJECT_DIR, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + ready_path, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return RunningServer(url, proc, log)
        except OSError:
            time.sleep(0.2)
    stop_server(RunningServer(url, proc, log))
    raise RuntimeError(f"server did not start in {timeout}s:\n{log.read_text(errors='replace')}")


def stop_process(proc: subprocess.Popen[bytes], *, timeout: float = 15) -> None:
    """Stop a process started with ``start_new_session=True``: its whole process group, by PID
    (SIGTERM, then SIGKILL if it is still running after ``timeout`` seconds)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def server_processes(server: RunningServer) -> dict[int, str]:
    """pid → title of the server's processes (its session: started with ``start_new_session``)."""
    sid = server.process.pid
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != sid:
                continue
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except (OSError, ProcessLookupError):
            continue
        found[int(entry.name)] = title
    return found


def stop_server(server: RunningServer) -> None:
    """Stop the server's whole process group by PID."""
    stop_process(server.process)


@contextmanager
def serve_project(root: Path, data: Path) -> Iterator[RunningServer]:
    """``cstograph serve --data DATA`` with ``CSTOGRAPH_HOME=root`` (the server's queries/ folder) while it
    starts; the environment is restored at once and the server stopped on exit."""
    old = os.environ.get("CSTOGRAPH_HOME")
    os.environ["CSTOGRAPH_HOME"] = str(root)
    try:
        running = start_server(["--data", str(data)], root / "server.log")
    finally:
        if old is None:
            del os.environ["CSTOGRAPH_HOME"]
        else:
            os.environ["CSTOGRAPH_HOME"] = old
    try:
        yield running
    finally:
        stop_server(running)


@pytest.fixture(scope="session")
def live_server(dataset_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """``cstograph serve`` (production server) on the built dataset, on 127.0.0.1."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    server = start_server(["--data", str(dataset_file)], log)
    try:
        yield server
    finally:
        stop_server(server)


def require_tool(name: str) -> str:
    """Path of a system tool a test needs. CI (.ci/run) installs them: there, a missing tool fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (.ci/run should install it)")
        pytest.skip(f"{name} not installed (apt-get install it, or run scripts/test)")
    return path


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the project's inputs, for tests that break them."""
    root = tmp_path / "project"
    for sub in ("ontology", "data", "shapes", "queries"):
        if (PROJECT_DIR / sub).is_dir():
            shutil.copytree(PROJECT_DIR / sub, root / sub)
    return root


# --- the loopback canary ---------------------------------------------------------------------------------
@dataclass
class Canary:
    """A loopback HTTP server that answers anything plausibly and records every request it gets. Its port is
    never given to the test process (the network guard would refuse it): only a server under test can reach it."""

    port: int = 0
    hits: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take(self) -> list[str]:
        with self.lock:
            found, self.hits = self.hits, []
        return found


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    found = Canary()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            with found.lock:
                found.hits.append(f"{self.command} {self.path}")
            body = json.dumps({"@context": {"x": "http://canary/"}, "head": {"vars": ["v"]},
                               "results": {"bindings": [{"v": {"type": "literal", "value": "CANARY-LEAK"}}]}})
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = do_HEAD = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
