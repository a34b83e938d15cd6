"""The tests' own layout: ``integration`` marks what needs a build, a server process, a browser or the CLI as a
process (tests/conftest.py sets it from the fixtures and the folder; a test that starts a server or the CLI itself
carries it), so that ``-m "not integration"`` is the quick unit run. Read from what pytest collects (pytest in a
child process, collecting only)."""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

from .conftest import PROJECT_DIR

#: Calls that start a server or the CLI as a process: a test that makes one (itself, or through a helper or
#: fixture of its own module) is an integration test.
STARTS = frozenset({"start_server", "serve_project", "cstograph_command"})


def collected(*args: str) -> set[str]:
    """Node ids that ``pytest --collect-only`` selects with ``args``."""
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-q",
                          "--collect-only", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return {line for line in run.stdout.splitlines() if "::" in line}


def test_a_sample_is_marked_as_it_should_be() -> None:
    files = ["tests/sparql/test_parser.py", "tests/test_config.py", "tests/server/test_query_page.py",
             "tests/server/test_api.py", "tests/server/test_safety.py", "tests/server/test_pages.py",
             "tests/cli/test_usage.py", "tests/browser/test_query_form.py"]
    integration = collected("-m", "integration", *files)
    unit = collected("-m", "not integration", *files)
    assert integration and unit and not integration & unit
    assert not {i for i in integration if i.startswith(("tests/sparql/test_parser.py", "tests/test_config.py"))}
    # a Flask client on a store made in tmp_path
    assert "tests/server/test_query_page.py::test_an_explicit_format_wins_over_a_browser_accept" in unit
    # the session's build, through the fixtures it stands on: store → dataset_file → built; hostile_server
    assert "tests/server/test_api.py::test_labels_of_iris" in integration
    assert "tests/server/test_safety.py::test_a_crashed_sandbox_process_is_survived" in integration
    assert "tests/server/test_api.py::test_normalise_folds_case_accents_and_yo" in unit  # no fixture at all
    assert "tests/server/test_pages.py::test_public_url_and_iri_base_flags" in integration  # marked by hand
    assert {i for i in unit | integration if i.startswith("tests/cli/test_usage.py")} <= integration  # pytestmark
    assert {i for i in unit | integration if i.startswith("tests/browser/")} <= integration  # the folder


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _starters(module: ast.Module) -> set[str]:
    """The module's functions (tests, helpers, fixtures) that start a server or the CLI, directly or through
    another function of the module."""
    functions = {f.name: f for f in module.body if isinstance(f, ast.FunctionDef)}
    calls = {name: {n.id for n in ast.walk(f) if isinstance(n, ast.Name)} for name, f in functions.items()}
    found = {name for name, names in calls.items() if names & STARTS}
    while True:
        more = {name for name, names in calls.items() if names & found or set(
            a.arg for a in functions[name].args.args) & found} - found
        if not more:
            return found
        found |= more


def test_tests_that_start_a_server_or_the_cli_are_marked() -> None:
    unmarked = []
    for node_id in sorted(collected("-m", "not integration")):
        path, _, name = node_id.partition("::")
        name = name.split("::")[-1].split("[")[0]
        if name in _starters(_tree(PROJECT_DIR / path)):
            unmarked.append(node_id)
    assert unmarked == [], "mark these @pytest.mark.integration (or use a fixture of INTEGRATION_FIXTURES)"
