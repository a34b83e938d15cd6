"""The persistent store: ``cstograph build --store DIR`` writes a version, ``cstograph serve --store DIR``
opens it read-only (nothing re-loaded or re-reasoned), and a write killed mid-load leaves the previous
version current and served."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.cli import main
from cstograph.config import Settings
from cstograph.pipeline import BuildResult
from cstograph.store import DiskStore, GraphStore, StoreLocation, write_disk_store
from tests.conftest import start_server, stop_server

QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module")
def disk(built: BuildResult, dataset_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disk") / "store"
    write_disk_store(folder, dataset_file, version=str(built.manifest["input_hash"]), build=built.path)
    return folder


def test_disk_store_holds_the_build(disk: Path, store: GraphStore, built: BuildResult) -> None:
    opened = DiskStore(disk)
    assert len(opened) == len(store)
    assert opened.graph_names() == store.graph_names()
    assert opened.sizes() == store.sizes()
    assert opened.version == built.manifest["input_hash"]
    assert opened.select(QUERY) == store.select(QUERY)
    assert (disk / "current").is_symlink()
    assert (disk / "current" / "snapshot" / "snapshot.json").is_file()  # the build's snapshot came along


def test_a_disk_store_is_read_only(disk: Path) -> None:
    opened = DiskStore(disk)
    with pytest.raises(RuntimeError, match="read-write"):
        opened.oxigraph.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:c")))


def test_build_store_option_writes_a_new_version(session_settings: Settings, built: BuildResult,
                                                 tmp_path: Path) -> None:
    folder = tmp_path / "store"
    assert main(["--build-dir", str(session_settings.build_dir), "build", "--store", str(folder)]) == 0
    assert DiskStore(folder).version == built.manifest["input_hash"]
    meta = json.loads((folder / "current" / "store.json").read_text())
    assert meta["quads"] == built.manifest["triples"]


def test_not_a_store_is_an_input_error(tmp_path: Path) -> None:
    from cstograph.errors import InputError

    with pytest.raises(InputError, match="not a cstograph store"):
        DiskStore(tmp_path)
    assert main(["serve", "--store", str(tmp_path), "--port", "1"]) == 2


def test_a_store_of_another_snapshot_format_is_an_input_error(disk: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A store version written by an older cstograph (another snapshot layout): exit 2 saying to rebuild,
    not a traceback."""
    import json
    import shutil

    version = tmp_path / "old"
    shutil.copytree(DiskStore(disk).path, version)
    meta = version / "snapshot" / "snapshot.json"
    data = json.loads(meta.read_text())
    meta.unlink()  # (hard-linked to the build's: written anew, not in place)
    meta.write_text(json.dumps({**data, "format": 1}))
    assert main(["serve", "--store", str(version), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "snapshot format 1" in err and "rebuild" in err


def _count(url: str) -> int:
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    req = urllib.request.Request(f"{url}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback only
        return int(json.load(r)["results"]["bindings"][0]["n"]["value"])


def test_serve_store_dir_answers_without_loading(disk: Path, store: GraphStore, tmp_path: Path) -> None:
    server = start_server(["--store", str(disk)], tmp_path / "server.log")
    try:
        assert _count(server.url) == len(store)
    finally:
        stop_server(server)


def test_a_killed_store_write_leaves_the_previous_version_serving(disk: Path, tmp_path: Path,
                                                                  dataset_file: Path) -> None:
    """SIGKILL during the bulk load of a new version: ``current`` is untouched, the running server goes on
    answering, and the next write clears the remains."""
    before = (disk / "current").resolve()
    server = start_server(["--store", str(disk)], tmp_path / "server.log")
    big = tmp_path / "big.nq"
    with big.open("wb") as out:  # a load long enough to be interrupted: the dataset many times over
        data = dataset_file.read_bytes()
        for i in range(60):
            out.write(data.replace(b"https://w3id.org/cstograph/", f"https://example.org/copy{i}/".encode()))
    code = ("import sys; from pathlib import Path; from cstograph.store import write_disk_store; "
            "write_disk_store(Path(sys.argv[1]), Path(sys.argv[2]), version='next')")
    writer = subprocess.Popen([sys.executable, "-c", code, str(disk), str(big)], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list(disk.glob(".next-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        assert writer.poll() is None, "the write finished before it could be interrupted"
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        assert (disk / "current").resolve() == before
        assert _count(server.url) == len(DiskStore(disk))
        assert StoreLocation.parse(str(disk)).open().version == DiskStore(disk).version
    finally:
        stop_server(server)
        if writer.poll() is None:
            os.killpg(writer.pid, signal.SIGKILL)
    write_disk_store(disk, dataset_file, version=str(DiskStore(disk).version))
    assert not list(disk.glob(".next-*"))


def test_rebuilding_unchanged_inputs_leaves_the_served_version_in_place(project_copy: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """``build --store DIR`` of the inputs ``DIR/current`` already holds (reused, or forced) writes nothing:
    the version folder a running server has open stays where it is, the same folder (inode), and the build
    says the store version was reused."""
    build_dir, folder = tmp_path / "build", tmp_path / "store"
    common = ["--project", str(project_copy), "--build-dir", str(build_dir)]
    assert main([*common, "build", "--store", str(folder)]) == 0
    served = (folder / "current").resolve()
    inode, files = served.stat().st_ino, sorted(p.name for p in served.rglob("*"))
    server = start_server(["--store", str(folder)], tmp_path / "server.log")
    try:
        answered = _count(server.url)
        capsys.readouterr()
        for again in (["build", "--store", str(folder)], ["build", "--force", "--store", str(folder)]):
            assert main([*common, *again]) == 0
            assert served.is_dir() and served.stat().st_ino == inode
            assert sorted(p.name for p in served.rglob("*")) == files
            assert (folder / "current").resolve() == served
            assert [p.name for p in folder.iterdir() if p.name not in (".lock", "current")] == [served.name]
            assert _count(server.url) == answered
            assert "reused store version" in capsys.readouterr().out
    finally:
        stop_server(server)
