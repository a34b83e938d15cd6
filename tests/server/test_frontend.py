"""The query page's pure functions (terms, SPARQL reading, snippets), tested by node's own test runner
(``frontend/test/*.test.js``); the page itself is tested in a browser (tests/browser)."""

from __future__ import annotations

import subprocess

from ..conftest import PROJECT_DIR, require_tool


def test_frontend_unit_tests() -> None:
    node = require_tool("node")
    frontend = PROJECT_DIR / "frontend"
    assert (frontend / "node_modules" / "sparqljs").is_dir(), "run scripts/_venv.sh (npm ci in frontend/) first"
    proc = subprocess.run([node, "--test", "test/"], cwd=frontend, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout
