"""``pip install`` that works: the wheel carries the project's inputs and the query page's built assets; installed
into a new virtual environment and run from an empty folder (no checkout, no ``CSTOGRAPH_HOME``), ``cstograph``
serves a graph, runs the named queries, and builds into the user cache; packaging output stays out of ``build/``.

The default test installs the wheel without its dependencies (they are borrowed, read-only, from this
environment: installing them takes minutes); ``-m slow`` runs the full ``pip install`` of the wheel into a fresh
environment, then ``cstograph serve`` with no arguments (a build into the user cache first)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cstograph.pipeline import DATASET_NQ, BuildResult

from .conftest import PROJECT_DIR, free_port, stop_process


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    before = set((PROJECT_DIR / "build").iterdir()) if (PROJECT_DIR / "build").is_dir() else set()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(PROJECT_DIR)], check=True, capture_output=True, timeout=600)
    after = set((PROJECT_DIR / "build").iterdir()) if (PROJECT_DIR / "build").is_dir() else set()
    assert not {p.name for p in after - before} & {"lib", "bdist.linux-x86_64"}, "setuptools wrote into build/"
    (found,) = out.glob("cstograph-*.whl")
    return found


def test_wheel_carries_the_project_and_the_built_page(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("ontology/cstograph.ttl", "queries/examples/02-members-on-date.rq", "shapes/core.ttl",
                 "data/links/wikidata.ttl"):
        assert f"cstograph/project/{part}" in names, part
    data = {n for n in names if n.startswith("cstograph/project/data/") and n.endswith(".ttl")}
    assert len(data) == len(list((PROJECT_DIR / "data").rglob("*.ttl")))
    assert {"cstograph/server/static/dist/query.js", "cstograph/server/static/dist/query.css"} <= names
    assert "cstograph/server/templates/query.html" in names


def _venv(root: Path, wheel: Path, *, borrow: bool) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    pip = [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install", "-q",
           "--disable-pip-version-check"]
    if borrow:
        subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True, timeout=300)
        # The dependencies, read from this environment's site-packages (its .pth files, among them the editable
        # install of the checkout, are not processed: the installed wheel is what runs).
        purelib = Path(sysconfig.get_paths(vars={"base": str(root), "platbase": str(root)})["purelib"])
        (purelib / "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    else:
        subprocess.run([*pip, str(wheel)], check=True, capture_output=True, timeout=1200)
    return root / "bin" / "cstograph"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTOGRAPH_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), CSTOGRAPH_PROGRESS="0")
    return env


def _serve(exe: Path, args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Iterator[str]:
    port = free_port()
    log = cwd.parent / "serve.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), *args], cwd=cwd,
                                env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text(errors="replace")) from None
                time.sleep(0.3)
        yield url
    finally:
        stop_process(proc)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as reply:  # noqa: S310 - loopback
        return bytes(reply.read())


@pytest.fixture()
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_installed_wheel_serves_data_from_an_empty_folder(wheel: Path, built: BuildResult, empty: Path,
                                                          tmp_path: Path) -> None:
    exe = _venv(tmp_path / "venv", wheel, borrow=True)
    env = _env(tmp_path / "home")
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, cwd=empty)
    assert version.returncode == 0 and version.stdout.startswith("cstograph ")
    where = subprocess.run([str(tmp_path / "venv" / "bin" / "python"), "-c",
                            "import cstograph.config as c; print(c.__file__); print(c.find_project_dir())"],
                           capture_output=True, text=True, env=env, cwd=empty, check=True).stdout.split()
    assert where[0].startswith(str(tmp_path / "venv")) and where[1].endswith("site-packages/cstograph/project")
    query = subprocess.run([str(exe), "query", "examples/02-members-on-date", "-p", "date=1995-01-01",
                            "--data", str(built.path / DATASET_NQ)], capture_output=True, text=True, env=env,
                           cwd=empty, timeout=300)
    assert query.returncode == 0, query.stderr
    assert query.stdout.count("\n") == 10  # a header and the nine members of 1995
    for url in _serve(exe, ["--data", str(built.path / DATASET_NQ)], empty, env, timeout=120):
        assert json.loads(_get(url + "/health"))["triples"] == built.manifest["triples"]
        assert b"state/ARM" in _get(url + "/queries/examples/02-members-on-date?date=1995-01-01&format=csv")
        assert len(_get(url + "/static/dist/query.js")) > 100_000  # the page's editor, served from the wheel
    assert list(empty.iterdir()) == []  # nothing written where it ran


@pytest.mark.slow
def test_fresh_install_then_serve_builds_into_the_user_cache(wheel: Path, empty: Path, tmp_path: Path) -> None:
    """The newcomer's path with a real ``pip install`` (dependencies from the package index or pip's cache)."""
    exe = _venv(tmp_path / "venv", wheel, borrow=False)
    env = _env(tmp_path / "home")
    for url in _serve(exe, [], empty, env, timeout=600):
        triples = json.loads(_get(url + "/health"))["triples"]
        assert triples > 10_000
        page = _get(url + "/sparql?query=ASK%7B%7D&format=json")
        assert json.loads(page)["boolean"] is True
    assert (tmp_path / "home" / ".cache" / "cstograph" / "build" / "current" / DATASET_NQ).is_file()
    assert list(empty.iterdir()) == []
    custom = tmp_path / "my-build"
    built = subprocess.run([str(exe), "--build-dir", str(custom), "build"], capture_output=True, text=True, env=env,
                           cwd=empty, timeout=600)
    assert built.returncode == 0 and (custom / "current" / DATASET_NQ).is_file(), built.stderr
