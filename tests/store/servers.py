"""Real SPARQL servers for the store tests, started on 127.0.0.1 and stopped by PID: ``oxigraph serve``
(PyPI ``oxigraph``) and Virtuoso Open Source (Debian ``virtuoso-opensource``, installed by scripts/test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port, require_tool, stop_process


@dataclass(frozen=True)
class Server:
    name: str
    query_url: str
    graph_store_url: str
    process: subprocess.Popen[bytes]


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"server did not answer in {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its process group, by PID); Virtuoso may take up to 20 s to checkpoint."""
    stop_process(proc, timeout=20)


def oxigraph_cli() -> str:
    exe = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the oxigraph server (PyPI 'oxigraph', in the test extras) is not installed")
    return exe


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve`` (read-write, so the Graph Store Protocol can load it) on a fresh store."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([oxigraph_cli(), "serve", "--location", str(folder / "db"), "--bind",
                                 f"127.0.0.1:{port}"], stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/query", proc, log)
        yield Server("oxigraph", base + "/query", base + "/store", proc)
    finally:
        stop(proc)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    """Virtuoso Open Source on a fresh database, its anonymous SPARQL user allowed to write through the
    Graph Store Protocol (``/sparql-graph-crud``), as an institution would allow its loader account."""
    exe = require_tool("virtuoso-t")
    isql = require_tool("isql-vt")
    folder.mkdir(parents=True, exist_ok=True)
    http, sql = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    log = folder / "out.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=folder,
                                stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{http}"
    try:
        _wait(base + "/sparql", proc, log)
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                        "exec=GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"],
                       check=True, capture_output=True, timeout=60)
        yield Server("virtuoso", base + "/sparql", base + "/sparql-graph-crud", proc)
    finally:
        stop(proc)
