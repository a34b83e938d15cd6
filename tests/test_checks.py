"""The ODK-style violation checks (queries/checks/*-violation.rq, cstograph.checks): each catches its
fixture (tests/fixtures/checks/<check>.ttl, loaded into a named graph), none returns a row on the shipped
build, and a build whose data breaks one fails with exit 1, naming the check and the rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.checks import run_checks, violation_checks
from cstograph.cli import main
from cstograph.config import Settings
from cstograph.errors import ValidationFailed
from cstograph.pipeline import DATASET_NQ, BuildResult, build

from .conftest import FIXTURES, PROJECT_DIR

QUERIES = PROJECT_DIR / "queries"
CHECK_FIXTURES = FIXTURES / "checks"
NAMES = sorted(q.name for q in violation_checks(QUERIES))


def test_every_check_has_a_fixture_and_a_summary() -> None:
    assert len(NAMES) >= 8
    assert sorted(p.stem for p in CHECK_FIXTURES.glob("*.ttl")) == NAMES
    for check in violation_checks(QUERIES):
        assert check.summary and check.description, check.name
    # reports that are not checks are not run as checks
    assert "obligation-compliance" not in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_check_catches_its_fixture(name: str) -> None:
    store = ox.Store()
    store.load(path=str(CHECK_FIXTURES / f"{name}.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("https://w3id.org/cstograph/graph/fixture"))
    result = next(r for r in run_checks(store, QUERIES) if r.check.name == name)
    assert result.rows, f"{name} returned nothing on its fixture"
    assert all(any(v.startswith("http://example.org/") for v in row.values()) for row in result.rows), result.rows


def test_no_check_fails_on_the_shipped_build(built: BuildResult) -> None:
    store = ox.Store()
    store.bulk_load(path=str(built.path / DATASET_NQ), format=ox.RdfFormat.N_QUADS)
    failed = {r.check.name: r.rows for r in run_checks(store, QUERIES) if not r.passed}
    assert failed == {}
    assert sorted(built.manifest["checks"]) == NAMES  # type: ignore[arg-type]


def test_a_status_gap_fails_the_build_naming_the_membership(project_copy: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Error 1 of issue 14 as it was: a suspension that ends on 2012-12-19 with nothing after it."""
    memberships = project_copy / "data" / "memberships.ttl"
    text = memberships.read_text(encoding="utf-8")
    suspended = ('cst:status cst:Suspended ;\n    cst:startDate "2012-06-28"^^xsd:date ;\n'
                 '    cst:startedBy event:uzb-suspension-note-2012 ;\n    cst:basis treaty:csto-charter')
    assert suspended in text
    text = text.replace(suspended, suspended.replace(
        'cst:startedBy', 'cst:endDate "2012-12-19"^^xsd:date ; cst:endCause cst:EndBySuspension ;\n'
        '    cst:earliestEnd "2012-12-19"^^xsd:date ; cst:latestEnd "2012-12-19"^^xsd:date ;\n    cst:startedBy'))
    memberships.write_text(text, encoding="utf-8")
    shutil.copytree(PROJECT_DIR / "queries", project_copy / "queries", dirs_exist_ok=True)
    settings = Settings.discover(project_dir=project_copy, build_dir=tmp_path / "build")
    with pytest.raises(ValidationFailed) as failure:
        build(settings)
    assert "membership-status-gap-violation" in str(failure.value)
    assert "membership/csto-UZB-2012-suspended" in str(failure.value)
    assert not (settings.build_dir / "current").exists()  # nothing published
    code = main(["--project", str(project_copy), "--build-dir", str(tmp_path / "build2"), "build"])
    assert code == 1
    assert "membership-status-gap-violation" in capsys.readouterr().err
