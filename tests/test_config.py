"""Where a project is found and where its builds go (``cstograph.config``), on folders made in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from cstograph.config import PACKAGED_PROJECT, Settings, find_project_dir, user_cache_dir


def make_project(root: Path) -> Path:
    """A folder that is a project: it holds ``ontology/cstograph.ttl``."""
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "cstograph.ttl").write_text("")
    return root


def test_the_project_is_found_from_a_nested_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSTOGRAPH_HOME", raising=False)
    project = make_project(tmp_path / "project")
    deep = project / "data" / "links" / "deeper"
    deep.mkdir(parents=True)
    assert find_project_dir(deep) == project.resolve()
    assert find_project_dir(project) == project.resolve()
    monkeypatch.chdir(deep)
    assert find_project_dir() == project.resolve()  # the working directory by default


def test_the_nearest_project_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSTOGRAPH_HOME", raising=False)
    outer = make_project(tmp_path / "outer")
    inner = make_project(outer / "sub" / "inner")
    assert find_project_dir(inner / "ontology") == inner.resolve()
    assert find_project_dir(outer / "sub") == outer.resolve()


def test_cstograph_home_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = make_project(tmp_path / "here")
    elsewhere = tmp_path / "elsewhere"  # not even a project: the variable is taken as given
    elsewhere.mkdir()
    monkeypatch.setenv("CSTOGRAPH_HOME", str(elsewhere))
    assert find_project_dir(here) == elsewhere.resolve()
    assert Settings.discover().project_dir == elsewhere.resolve()
    monkeypatch.setenv("CSTOGRAPH_HOME", "")  # empty: as if unset
    assert find_project_dir(here) == here.resolve()


def test_discover_resolves_paths_and_puts_the_build_in_the_project(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    settings = Settings.discover(project_dir=Path("p"))
    assert settings.project_dir == project.resolve()
    assert settings.build_dir == project.resolve() / "build"
    assert settings.current_build == project.resolve() / "build" / "current"
    other = Settings.discover(project_dir=project, build_dir=Path("elsewhere"))
    assert other.build_dir == (tmp_path / "elsewhere").resolve()
    assert Settings(project_dir=project).build_dir == project / "build"  # the dataclass's own default


def test_the_wheels_copy_builds_into_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert user_cache_dir() == tmp_path / "cache" / "cstograph"
    settings = Settings.discover(project_dir=PACKAGED_PROJECT)  # read-only: never <wheel>/project/build
    assert settings.build_dir == (tmp_path / "cache" / "cstograph" / "build").resolve()
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_cache_dir() == Path.home() / ".cache" / "cstograph"


def test_the_inputs_are_listed_sorted_data_then_links(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    for name in ("data/b.ttl", "data/a.ttl", "data/notes.txt", "data/links/z.ttl", "data/links/c.ttl",
                 "shapes/s2.ttl", "shapes/s1.ttl"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("")
    settings = Settings.discover(project_dir=project)
    data = project.resolve() / "data"
    assert settings.data_files() == [data / "a.ttl", data / "b.ttl", data / "links" / "c.ttl",
                                     data / "links" / "z.ttl"]
    assert settings.shape_files() == [project.resolve() / "shapes" / f"s{i}.ttl" for i in (1, 2)]
    assert settings.ontology_file == project.resolve() / "ontology" / "cstograph.ttl"
    assert settings.queries_dir == project.resolve() / "queries"


def test_settings_are_immutable(tmp_path: Path) -> None:
    settings = Settings(project_dir=tmp_path)
    with pytest.raises(AttributeError):
        settings.project_dir = tmp_path / "other"  # type: ignore[misc]
