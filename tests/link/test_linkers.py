"""Each linker on a tiny project (tests/fixtures/link/project): its reference table (data) against the
graph, one finding per difference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cstograph.config import Settings
from cstograph.errors import InputError
from cstograph.link import Code, LinkReport, link, load_reference
from cstograph.namespaces import CST, WD, expand

from ..conftest import FIXTURES

PROJECT = FIXTURES / "link" / "project"


def iri(name: str) -> str:
    return str(expand(name))


@pytest.fixture(scope="module")
def report() -> LinkReport:
    return link(Settings.discover(project_dir=PROJECT, build_dir=Path("/nonexistent")), write=False)


def found(report: LinkReport, dataset: str) -> set[tuple[str, str, str, str, str]]:
    return {(f.kind, f.subject, f.detail, f.ours, f.theirs) for f in report.findings if f.dataset == dataset}


def test_reference_tables_are_read_as_iris() -> None:
    ref = load_reference(Settings.discover(project_dir=PROJECT))
    assert ref.wikidata[iri("state:ARM")] == str(WD.Q399) and len(ref.wikidata) == 4
    assert ref.codes[0] == Code(iri("state:ARM"), str(CST.cowCode), "371", "COW state number")


def test_wikidata_links_against_the_table(report: LinkReport) -> None:
    assert found(report, "wikidata") == {
        ("missing", iri("state:BLR"), "verified link not in data/links/wikidata.ttl", "", str(WD.Q184)),
        ("conflict", iri("state:KAZ"), "our graph links another item", str(WD.Q1), str(WD.Q232)),
        ("conflict", iri("state:KAZ"), "link in our graph is not in the verified table", "", str(WD.Q1)),
        ("unmatched", iri("state:RUS"), "verified QID but no such resource in our graph", "", str(WD.Q159)),
    }
    recorded = {(s, o) for d, s, _, o in report.links if d == "wikidata"}
    assert recorded == {(iri("state:ARM"), str(WD.Q399)), (iri("state:BLR"), str(WD.Q184)),
                        (iri("state:KAZ"), str(WD.Q232))}


def test_cow_atop_codes_against_the_table(report: LinkReport) -> None:
    assert found(report, "cow-atop") == {
        ("confirmed", iri("state:ARM"), "COW state number", "371", "371"),
        ("mismatch", iri("state:BLR"), "COW state number", "999", "370"),
        ("unmatched", iri("state:KAZ"), "COW code not in the verified table", "705", ""),
        ("confirmed", iri("treaty:cst"), "cst:atopId", "4220", "4220"),
        ("missing", iri("treaty:cst"), "no cst:cowAllianceId", "", "350"),
    }
    kinds = [f.kind for f in report.findings if f.dataset == "cow-atop"]
    assert kinds == ["confirmed", "mismatch", "unmatched", "confirmed", "missing"]  # states, unmatched, others


def test_iso_codes_against_pycountry(report: LinkReport) -> None:
    iso = found(report, "iso3166")
    assert ("mismatch", iri("state:BLR"), "alpha-2 code", "BX", "BY") in iso
    assert ("unmatched", iri("state:XXX"), "alpha-3 code not in ISO 3166-1 or -3", "XXX", "") in iso
    assert ("confirmed", iri("state:ARM"), "ISO 3166-1: Armenia", "ARM", "ARM") in iso
    assert not [f for f in iso if f[1] == iri("state:BLR") and f[0] == "confirmed"]


def test_text_report_names_resources_by_prefixed_name(report: LinkReport) -> None:
    text = report.to_text()
    assert "  cow-atop  state:BLR" in text and "COW state number [ours: 999; theirs: 370]" in text
    assert text.splitlines()[-1] == "links recorded: 3 Wikidata, 2 ISO 3166, 2 COW/ATOP"


@pytest.mark.parametrize("table, text, error", [
    ("wikidata.csv", "resource,wikidata\nnope:ARM,Q399\n", "not a prefixed name"),
    ("wikidata.csv", "resource,wikidata\nstate:ARM,\n", "needs resource, wikidata"),
    ("cow-atop.csv", "resource,property\nstate:ARM,cst:cowCode\n", "needs resource, property, value, what"),
])
def test_a_malformed_table_is_an_input_error(tmp_path: Path, table: str, text: str, error: str) -> None:
    shutil.copytree(PROJECT, tmp_path / "p")
    (tmp_path / "p" / "data" / "links" / "reference" / table).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=error):
        load_reference(Settings.discover(project_dir=tmp_path / "p"))
