"""A build killed at any moment never loses the last good one, and the next build cleans up after it
(issue 10). Fault injection: ``tests/_kill_build.py`` SIGKILLs a real build at each step of its publish
sequence; the long run (``-m fuzz``) also kills builds at random moments. The same holds for the on-disk
store a build writes with ``--store DIR``: killed at each step of that write (a new version, or the rebuild
of unchanged inputs), ``DIR/current`` is a complete version the store API opens, and the next build leaves
no temporary folder."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cstograph.config import Settings
from cstograph.pipeline import input_hash
from cstograph.store import StoreLocation

from ..conftest import PROJECT_DIR

KILLER = [sys.executable, "-m", "tests._kill_build"]


def _run(project: Path, build_dir: Path, kill_at: int, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KILLER, str(project), str(build_dir), str(kill_at), *options], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=600, check=False)


def _current_is_complete(build_dir: Path) -> str:
    """``build/current`` points at a finished build (its manifest parses); its input hash."""
    current = build_dir / "current"
    assert current.is_symlink() and current.resolve().is_dir(), "build/current points at nothing"
    manifest = json.loads((current.resolve() / "manifest.json").read_text())
    assert (current.resolve() / "dataset.nq").stat().st_size > 0
    return str(manifest["input_hash"])


def _leftovers(build_dir: Path) -> list[str]:
    return sorted(p.name for p in [*build_dir.glob(".*"), *(build_dir / "closure").glob(".*")] if p.name != ".lock")


def _half_builds(build_dir: Path) -> list[str]:
    """Build folders that are not whole (a prune cut short): a later build of their inputs would reuse them.
    Every build of the project holds the same files as the current one."""
    whole = sorted(str(p.relative_to(build_dir / "current")) for p in (build_dir / "current").rglob("*"))
    return sorted(p.name for p in build_dir.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                  and p.name not in ("closure", "validation", "failed")
                  and sorted(str(f.relative_to(p)) for f in p.rglob("*")) != whole)


def _edit(project: Path, n: int) -> None:
    """Change the inputs (a comment), so that the next build is a new one."""
    path = project / "data" / "places.ttl"
    path.write_text(path.read_text() + f"\n# edit {n}\n")


def _steps(project: Path, build_dir: Path, *options: str) -> int:
    done = _run(project, build_dir, 0, *options)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.fixture()
def good_build(project_copy: Path, tmp_path: Path) -> tuple[Path, Path, int]:
    build_dir = tmp_path / "build"
    steps = _steps(project_copy, build_dir)  # a first good build, and how many steps a build makes
    assert steps >= 3
    return project_copy, build_dir, steps


def _new_hash(project: Path, build_dir: Path) -> str:
    return input_hash(Settings.discover(project_dir=project, build_dir=build_dir))


def _kill_at_step_and_recover(project: Path, build_dir: Path, step: int, *, edit: bool = True) -> None:
    before = _current_is_complete(build_dir)
    if edit:
        _edit(project, step)
    new = _new_hash(project, build_dir)
    killed = _run(project, build_dir, step)
    assert killed.returncode == -signal.SIGKILL, (step, killed.returncode, killed.stderr[-500:])
    # the last good build, or the new one if it was published before the kill
    assert _current_is_complete(build_dir) in (before, new)
    rebuilt = _run(project, build_dir, 0)  # the next build cleans up and publishes
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _current_is_complete(build_dir) == new
    assert _leftovers(build_dir) == []
    assert _half_builds(build_dir) == [], step


def test_forced_rebuild_of_unchanged_inputs_killed_while_it_publishes(good_build: tuple[Path, Path, int]) -> None:
    """The case that lost the last good build: a forced rebuild of the same inputs, killed between putting
    its folder in place and swapping ``build/current`` (the last step but one)."""
    project, build_dir, _ = good_build
    steps = _steps(project, build_dir)  # a forced rebuild reuses the closure and the validation report: fewer steps
    _kill_at_step_and_recover(project, build_dir, steps - 1, edit=False)


def test_build_killed_while_it_removes_an_old_build(good_build: tuple[Path, Path, int]) -> None:
    """Killed half way through removing an old build: no half build is left where a later build of the same
    inputs would reuse it (nor one that pruning would keep for good), and the next build clears the remains."""
    project, build_dir, _ = good_build
    for n in range(2):  # the current build and two older ones: the next build removes the oldest
        _edit(project, 1000 + n)
        assert _run(project, build_dir, 0).returncode == 0
    _edit(project, 2000)
    steps = int(_run(project, build_dir, 0, "--in-prune").stdout.split()[-1])
    files = sum(1 for p in (build_dir / "current").rglob("*") if p.is_file())
    assert steps > files, "the build removed no old build"
    _edit(project, 3000)
    killed = _run(project, build_dir, files // 2, "--in-prune")  # some files of the oldest build removed
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-500:]
    _current_is_complete(build_dir)
    assert _run(project, build_dir, 0).returncode == 0
    assert _leftovers(build_dir) == []
    assert _half_builds(build_dir) == []


@pytest.mark.fuzz
def test_build_killed_at_every_step_of_its_publish_sequence(good_build: tuple[Path, Path, int]) -> None:
    project, build_dir, steps = good_build
    for step in range(1, steps + 1):
        _kill_at_step_and_recover(project, build_dir, step, edit=step % 2 == 0)


@pytest.mark.fuzz
def test_build_killed_at_random_moments(good_build: tuple[Path, Path, int]) -> None:
    project, build_dir, _ = good_build
    rng = random.Random(10)
    started = time.monotonic()
    _edit(project, 0)
    assert _run(project, build_dir, 0).returncode == 0
    duration = time.monotonic() - started
    for n in range(8):
        before = _current_is_complete(build_dir)
        _edit(project, 100 + n)
        new = _new_hash(project, build_dir)
        proc = subprocess.Popen([*KILLER, str(project), str(build_dir), "0"], cwd=PROJECT_DIR,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert _current_is_complete(build_dir) in (before, new)
    assert _run(project, build_dir, 0).returncode == 0
    assert _leftovers(build_dir) == []


# --- the on-disk store (build --store DIR) -----------------------------------------------------------------
def _store_is_complete(store_dir: Path) -> str:
    """``DIR/current`` is a complete version (``store.json``, the build's files) that the store API opens and
    queries; the key of the build it holds."""
    current = store_dir / "current"
    assert current.is_symlink() and current.resolve().is_dir(), "DIR/current points at nothing"
    assert (current.resolve() / "store.json").is_file() and (current.resolve() / "manifest.json").is_file()
    opened = StoreLocation.parse(str(store_dir)).open()
    assert len(opened) > 0
    assert int(opened.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value) > 0
    version = getattr(opened, "version", None)
    assert isinstance(version, str)
    return version


def _store_leftovers(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.glob(".*") if p.name != ".lock")


@pytest.fixture()
def good_store(project_copy: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A project with a first good build that wrote the store ``tmp_path/store``."""
    build_dir, store_dir = tmp_path / "build", tmp_path / "store"
    _steps(project_copy, build_dir, "--store", str(store_dir))
    _store_is_complete(store_dir)
    return project_copy, build_dir, store_dir


def _kill_store_write_and_recover(project: Path, build_dir: Path, store_dir: Path, step: int, *options: str,
                                  edit: bool = True) -> None:
    before = _store_is_complete(store_dir)
    if edit:
        _edit(project, step)
    new = _new_hash(project, build_dir)
    killed = _run(project, build_dir, step, "--store", str(store_dir), *options)
    assert killed.returncode == -signal.SIGKILL, (step, killed.returncode, killed.stderr[-500:])
    assert _store_is_complete(store_dir) in (before, new), step
    rebuilt = _run(project, build_dir, 0, "--store", str(store_dir), *options)  # cleans up and publishes
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _store_is_complete(store_dir) == new
    assert _store_leftovers(store_dir) == [], step
    assert _current_is_complete(build_dir) == new


def test_rebuild_of_unchanged_inputs_with_a_store_killed_at_each_step(good_store: tuple[Path, Path, Path]) -> None:
    """The case the audit found: a build that reuses unchanged inputs rewrote the store's version of them in
    place (remove, then rename in), and a kill in between left ``current`` pointing at nothing. Killed at each
    step of that store write (with the remains of an earlier killed write to clear), the store stays whole."""
    project, build_dir, store_dir = good_store
    served = (store_dir / "current").resolve()
    inode = served.stat().st_ino
    (store_dir / f".{served.name}-99999").mkdir()  # what a killed write leaves
    steps = _steps(project, build_dir, "--reuse", "--store", str(store_dir))
    assert steps >= 1
    assert _store_leftovers(store_dir) == []
    for step in range(1, steps + 1):
        (store_dir / f".{served.name}-99999").mkdir()
        _kill_store_write_and_recover(project, build_dir, store_dir, step, "--reuse", edit=False)
    assert (store_dir / "current").resolve() == served and served.stat().st_ino == inode  # never rewritten


def test_store_write_of_new_inputs_killed_before_the_swap(good_store: tuple[Path, Path, Path]) -> None:
    """Killed with the new version complete but not yet current (the last step but one before pruning:
    the symlink to swap in): ``current`` stays on the previous version; the next build writes the new one
    under a fresh name (never over the orphan) and clears the rest."""
    project, build_dir, store_dir = good_store
    _edit(project, 0)
    steps = _steps(project, build_dir, "--store", str(store_dir))  # a new version: no pruning yet (2 versions)
    _edit(project, 1)
    _kill_store_write_and_recover(project, build_dir, store_dir, steps - 1, edit=False)


@pytest.mark.fuzz
def test_store_write_killed_at_every_step(good_store: tuple[Path, Path, Path]) -> None:
    """Every step of the store write of a new build (pruning included, once versions pile up), then of the
    rebuild of unchanged inputs, forced and reused."""
    project, build_dir, store_dir = good_store
    for _ in range(3):  # enough versions that each write prunes one
        _edit(project, 0)
        steps = _steps(project, build_dir, "--store", str(store_dir))
    for step in range(1, steps + 1):
        _kill_store_write_and_recover(project, build_dir, store_dir, step)
    for options in ((), ("--reuse",)):
        steps = _steps(project, build_dir, "--store", str(store_dir), *options)
        for step in range(1, steps + 1):
            _kill_store_write_and_recover(project, build_dir, store_dir, step, *options, edit=False)
