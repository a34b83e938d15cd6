"""Packaging steps that pyproject.toml cannot say (everything else is there).

* The wheel carries the project's inputs — ``ontology/``, ``data/``, ``shapes/``, ``queries/`` — as
  ``cstograph/project/``, so that an installed ``cstograph`` builds and serves the graph from any folder
  (:func:`cstograph.config.find_project_dir`), and the query page's built assets
  (``cstograph/server/static/dist/``, built from ``frontend/`` by ``npm ci && npm run build`` when missing and
  npm is there).
* setuptools' own output goes to ``.setuptools-build/``, never to ``build/`` (the graph builds live there).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PROJECT_PARTS = ("ontology", "data", "shapes", "queries")
DIST = ROOT / "src" / "cstograph" / "server" / "static" / "dist"


def build_frontend() -> None:
    if (DIST / "query.js").is_file() or not (ROOT / "frontend" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("setup.py: npm not found: the query page's editor is not built (the page falls back to a plain form)",
              file=sys.stderr)
        return
    frontend = ROOT / "frontend"
    if not (frontend / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=frontend, check=True)
    subprocess.run([npm, "run", "build"], cwd=frontend, check=True)


class BuildWithProject(build_py):
    def run(self) -> None:
        build_frontend()
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "cstograph" / "project"
        shutil.rmtree(target, ignore_errors=True)
        for part in PROJECT_PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:  # type: ignore[override]
        outputs = list(super().get_outputs(include_bytecode))
        target = Path(self.build_lib) / "cstograph" / "project"
        if target.is_dir():
            outputs += [str(p) for p in target.rglob("*") if p.is_file()]
        return outputs


(ROOT / ".setuptools-build").mkdir(exist_ok=True)
setup(cmdclass={"build_py": BuildWithProject},
      options={"build": {"build_base": ".setuptools-build"}, "egg_info": {"egg_base": ".setuptools-build"}})
