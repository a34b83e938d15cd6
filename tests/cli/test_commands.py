"""The CLI's exit codes and outputs on good and bad input; the build output's named graphs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from cstograph.cli import main
from cstograph.namespaces import GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from cstograph.pipeline import DATASET_TRIG, MANIFEST, BuildResult
from cstograph.store import GraphStore

from ..conftest import PROJECT_DIR, cstograph_command


def run_cli(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cstograph_command(), *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_build_writes_one_named_graph_per_source_plus_inferred(built: BuildResult, store: GraphStore) -> None:
    expected = {str(GRAPH[p.stem]) for p in (PROJECT_DIR / "data").glob("*.ttl")}
    expected |= {str(GRAPH["links/" + p.stem]) for p in (PROJECT_DIR / "data" / "links").glob("*.ttl")}
    assert set(store.graph_names()) == expected | {str(ONTOLOGY_GRAPH), str(INFERRED_GRAPH)}
    assert (built.path / DATASET_TRIG).stat().st_size > 0
    assert (built.path / MANIFEST).is_file()
    # the inferred graph holds only triples that no asserted graph holds
    overlap = store.query(
        "ASK { GRAPH <https://w3id.org/cstograph/graph/inferred> { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } "
        "FILTER(?g != <https://w3id.org/cstograph/graph/inferred>) }"
    )
    assert bool(overlap) is False
    assert len(list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))))) == \
        built.manifest["inferred_triples"]


def test_cli_build_then_reuse(project_copy: Path, tmp_path: Path) -> None:
    build_dir = tmp_path / "b"
    first = run_cli("--project", str(project_copy), "--build-dir", str(build_dir), "build")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("built ")
    second = run_cli("--project", str(project_copy), "--build-dir", str(build_dir), "build")
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("reused ")
    assert (build_dir / "current").resolve() == (build_dir / first.stdout.split()[1].split("/")[-1]).resolve()


def test_turtle_syntax_error_names_file_line_column_and_keeps_last_good_build(
        project_copy: Path, tmp_path: Path) -> None:
    build_dir = tmp_path / "b"
    assert run_cli("--project", str(project_copy), "--build-dir", str(build_dir), "build").returncode == 0
    good = (build_dir / "current").resolve()
    bad = project_copy / "data" / "zz-broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n')
    proc = run_cli("--project", str(project_copy), "--build-dir", str(build_dir), "build")
    assert proc.returncode == 2
    assert f"{bad}:3:" in proc.stderr
    assert f"{bad}:3:11: Unexpected end of file" in proc.stderr  # Oxigraph's parser: the string never ends
    assert (build_dir / "current").resolve() == good
    assert sorted(p.name for p in build_dir.iterdir()
                  if not p.name.startswith(("failed", "closure", "validation"))) == sorted(
        [".lock", "current", good.name])  # closure/, validation/: caches keyed by their inputs; .lock: the build lock


@pytest.mark.integration  # the CLI as a process
def test_unknown_command_gets_usage_and_exit_2() -> None:
    proc = run_cli("frobnicate")
    assert proc.returncode == 2
    assert "usage: cstograph" in proc.stderr
    assert "invalid choice" in proc.stderr


@pytest.mark.integration  # the CLI as a process
def test_unknown_option_gets_usage_and_exit_2() -> None:
    proc = run_cli("build", "--no-such-option")
    assert proc.returncode == 2
    assert "usage: cstograph" in proc.stderr


def test_missing_project_is_an_input_error(tmp_path: Path) -> None:
    env_free = {k: v for k, v in os.environ.items() if k != "CSTOGRAPH_HOME"}
    assert env_free is not None
    code = main(["--project", str(tmp_path), "build"])
    assert code == 2


def test_stats_lists_graphs_and_classes(built: BuildResult, session_settings) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("--build-dir", str(session_settings.build_dir), "stats", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    import json

    stats = json.loads(proc.stdout)
    assert stats["graphs"][str(INFERRED_GRAPH)] == built.manifest["inferred_triples"]
    assert stats["classes"]["https://w3id.org/cstograph/ontology#SourceDocument"] >= 4
    assert URIRef(str(ONTOLOGY_GRAPH)) and stats["graphs"][str(ONTOLOGY_GRAPH)] > 1000


def test_old_builds_are_pruned_and_current_is_kept(tmp_path: Path) -> None:
    """Only the newest few builds and closures are kept, and never the one build/current points at — even
    when it is the oldest (a reused build)."""
    import os
    import time

    from cstograph.config import Settings
    from cstograph.pipeline import KEEP_BUILDS, prune

    settings = Settings(project_dir=tmp_path, build_dir=tmp_path / "b")
    (settings.build_dir / "closure").mkdir(parents=True)
    names = [f"{i:016x}" for i in range(KEEP_BUILDS + 3)]
    for age, name in enumerate(names):
        folder = settings.build_dir / name
        folder.mkdir()
        (folder / MANIFEST).write_text("{}")
        (settings.build_dir / "closure" / f"{name}.nq").write_text("")
        stamp = time.time() - 1000 + age
        for path in (folder, settings.build_dir / "closure" / f"{name}.nq"):
            os.utime(path, (stamp, stamp))
    settings.current_build.symlink_to(names[0])  # build/current (README) points at the oldest
    removed = prune(settings, keep=KEEP_BUILDS)
    kept = sorted(p.name for p in settings.build_dir.iterdir()
                  if p.is_dir() and not p.is_symlink() and (p / MANIFEST).is_file())
    assert kept == sorted([names[0], *names[-(KEEP_BUILDS - 1):]])
    assert (settings.build_dir / "current").resolve().name == names[0]
    assert sorted(p.stem for p in (settings.build_dir / "closure").glob("*.nq")) == names[-KEEP_BUILDS:]
    assert len(removed) == (len(names) - KEEP_BUILDS) * 2
