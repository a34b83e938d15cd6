"""The code checks are part of the test run, so CI enforces them: ruff (lint) and mypy (strict types).

Both run with this interpreter (``sys.executable -m ruff`` / ``-m mypy``), i.e. the versions pinned in the
``test`` extra, and the configuration under ``[tool.ruff]`` / ``[tool.mypy]`` in pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import PROJECT_DIR


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.mark.parametrize("args", [("ruff", "check", "src", "tests", "bench", "scripts"), ("mypy", "src")],
                         ids=["ruff", "mypy"])
def test_check_is_clean(args: tuple[str, ...]) -> None:
    run = _run(*args)
    assert run.returncode == 0, f"{' '.join(args)} exited with {run.returncode}:\n{run.stdout}{run.stderr}"
