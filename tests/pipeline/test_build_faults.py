"""A build killed at any moment never loses the last good one, and the next build cleans up after it
(issue 10). Fault injection: ``tests/_kill_build.py`` SIGKILLs a real build at each step of its publish
sequence; the long run (``-m fuzz``) also kills builds at random moments."""

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

from ..conftest import PROJECT_DIR

KILLER = [sys.executable, "-m", "tests._kill_build"]


def _run(project: Path, build_dir: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KILLER, str(project), str(build_dir), str(kill_at)], cwd=PROJECT_DIR,
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


def _edit(project: Path, n: int) -> None:
    """Change the inputs (a comment), so that the next build is a new one."""
    path = project / "data" / "places.ttl"
    path.write_text(path.read_text() + f"\n# edit {n}\n")


def _steps(project: Path, build_dir: Path) -> int:
    done = _run(project, build_dir, 0)
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


def test_forced_rebuild_of_unchanged_inputs_killed_while_it_publishes(good_build: tuple[Path, Path, int]) -> None:
    """The case that lost the last good build: a forced rebuild of the same inputs, killed between putting
    its folder in place and swapping ``build/current`` (the last step but one)."""
    project, build_dir, _ = good_build
    steps = _steps(project, build_dir)  # a forced rebuild reuses the closure and the validation report: fewer steps
    _kill_at_step_and_recover(project, build_dir, steps - 1, edit=False)


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
