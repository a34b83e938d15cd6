"""Where the project's inputs and outputs are: one immutable Settings value, no module globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PACKAGED_PROJECT", "Settings", "find_project_dir", "user_cache_dir"]

_MARKER = Path("ontology") / "cstograph.ttl"
#: The project's inputs as the wheel carries them (``setup.py`` copies them in; absent in a source checkout).
PACKAGED_PROJECT = Path(__file__).resolve().parent / "project"


def find_project_dir(start: Path | None = None) -> Path:
    """The folder holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``.

    Looked for in order: ``$CSTOGRAPH_HOME``; ``start`` (default: the working directory) and its parents;
    the source checkout this package was installed from (editable install); the copy an installed wheel
    carries (:data:`PACKAGED_PROJECT`).
    """
    env = os.environ.get("CSTOGRAPH_HOME")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / _MARKER).is_file():
        return checkout
    if (PACKAGED_PROJECT / _MARKER).is_file():
        return PACKAGED_PROJECT
    raise FileNotFoundError(
        "cannot find the cstograph project folder (with ontology/cstograph.ttl); "
        "run from the checkout or set CSTOGRAPH_HOME"
    )


def user_cache_dir() -> Path:
    """Where builds of the installed project go: ``$XDG_CACHE_HOME/cstograph`` (default ``~/.cache/cstograph``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cstograph"


def _default_build_dir(project: Path) -> Path:
    """``<project>/build``, except for the wheel's read-only copy, whose builds go to the user cache."""
    if project == PACKAGED_PROJECT.resolve():
        return user_cache_dir() / "build"
    return project / "build"


@dataclass(frozen=True, slots=True)
class Settings:
    """Paths of one project checkout. Build one with :meth:`Settings.discover`."""

    project_dir: Path
    build_dir: Path = field(default=Path())

    def __post_init__(self) -> None:
        if self.build_dir == Path():
            object.__setattr__(self, "build_dir", self.project_dir / "build")

    @classmethod
    def discover(cls, *, project_dir: Path | None = None, build_dir: Path | None = None) -> Settings:
        root = (project_dir or find_project_dir()).resolve()
        return cls(project_dir=root, build_dir=(build_dir or _default_build_dir(root)).resolve())

    @property
    def ontology_file(self) -> Path:
        return self.project_dir / "ontology" / "cstograph.ttl"

    @property
    def data_dir(self) -> Path:
        return self.project_dir / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.project_dir / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.project_dir / "queries"

    def data_files(self) -> list[Path]:
        """The data files, one named graph each: ``data/*.ttl`` and ``data/links/*.ttl``, sorted."""
        files = sorted(self.data_dir.glob("*.ttl")) + sorted((self.data_dir / "links").glob("*.ttl"))
        return files

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))

    @property
    def current_build(self) -> Path:
        """The last good build (a symlink swapped atomically by the pipeline)."""
        return self.build_dir / "current"
