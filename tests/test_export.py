"""``cstograph export``: tidy CSV tables with a Frictionless data package. Each table equals what the graph
answers, computed here independently of the export queries (from the built dataset's triples)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from cstograph.cli import main
from cstograph.export import PACKAGE, export, read_tables
from cstograph.namespaces import CST

from .conftest import PROJECT_DIR

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TABLES = {"member_spells", "events", "requests", "obligations", "claims", "disagreements"}


@pytest.fixture(scope="module")
def graph(dataset_file: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(dataset_file), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def exported(graph: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    export(graph, PROJECT_DIR / "queries", out)
    return out


@pytest.fixture(scope="module")
def tables(exported: Path) -> dict[str, list[dict[str, str]]]:
    return read_tables(exported)


def p(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(CST) + name)


def objects(g: ox.Store, s: ox.NamedNode | ox.BlankNode, pred: ox.NamedNode) -> set[str]:
    return {q.object.value for q in g.quads_for_pattern(s, pred, None, None)}  # type: ignore[union-attr]


def one(g: ox.Store, s: ox.NamedNode | ox.BlankNode, pred: ox.NamedNode) -> str:
    values = objects(g, s, pred)
    assert len(values) <= 1, (s, pred, values)
    return next(iter(values), "")


def instances(g: ox.Store, cls: str) -> set[ox.NamedNode]:
    return {q.subject for q in g.quads_for_pattern(None, RDF_TYPE, p(cls), None)  # type: ignore[misc]
            if isinstance(q.subject, ox.NamedNode)}


def sources(g: ox.Store, node: ox.NamedNode) -> set[str]:
    return {s for c in g.quads_for_pattern(node, p("citation"), None, None)
            for s in objects(g, c.object, p("citedSource"))}  # type: ignore[arg-type]


def split(cell: str) -> set[str]:
    return set(cell.split(" ")) if cell else set()


def test_the_data_package_describes_every_table(exported: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    package = json.loads((exported / PACKAGE).read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert {Path(r["path"]).stem for r in package["resources"]} == TABLES
    for resource in package["resources"]:
        rows = tables[Path(resource["path"]).stem]
        header = (exported / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f["description"] for f in fields)
        key = resource["schema"]["primaryKey"]
        assert key and len({tuple(r[k] for k in key) for r in rows}) == len(rows), resource["name"]
        assert all(r[k] for r in rows for k in key[:1])
        for field in fields:  # every cell parses as its declared type
            for row in rows:
                value = row[field["name"]]
                if not value:
                    continue
                if field["type"] == "date":
                    dt.date.fromisoformat(value)
                elif field["type"] == "integer":
                    int(value)
                elif field.get("format") == "uri":
                    assert value.startswith(("http://", "https://")), (field["name"], value)
        # every row keeps its source
        source_columns = [f["name"] for f in fields if f["name"].startswith("sources")]
        assert source_columns and all(any(r[c] for c in source_columns) for r in rows), resource["name"]


def test_member_spells_equal_the_graph(graph: ox.Store, tables: dict[str, list[dict[str, str]]]) -> None:
    expected = {(m.value, one(graph, m, p("member")), one(graph, m, p("memberOf")),
                 one(graph, m, p("status")).rsplit("#", 1)[1], one(graph, m, p("startDate")),
                 one(graph, m, p("endDate")), frozenset(sources(graph, m)))
                for m in instances(graph, "Membership")}
    got = {(r["iri"], r["member"], r["of"], r["status"], r["start"], r["end"], frozenset(split(r["sources"])))
           for r in tables["member_spells"]}
    assert got == expected
    uzb = [r for r in tables["member_spells"] if r["iso3"] == "UZB" and r["status"] == "Suspended"]
    assert {r["end"] for r in uzb} == {""} and len(uzb) == 2  # suspended, not ended (issue 14, error 1)


def test_events_equal_the_graph(graph: ox.Store, tables: dict[str, list[dict[str, str]]]) -> None:
    expected = {(e.value, one(graph, e, p("date")), one(graph, e, p("startDate")), one(graph, e, p("endDate")),
                 one(graph, e, p("earliestStart")), one(graph, e, p("latestEnd")), frozenset(sources(graph, e)))
                for e in instances(graph, "Event")}
    got = {(r["iri"], r["date"], r["start"], r["end"], r["earliest_start"], r["latest_end"],
            frozenset(split(r["sources"]))) for r in tables["events"]}
    assert got == expected
    types = {r["iri"].rsplit("/", 1)[1]: r["type"] for r in tables["events"]}
    assert types["putin-becomes-president-1999"] == "TakingOffice"
    assert types["kaz-2022-deployment"] == "Deployment"


def test_requests_and_responses_equal_the_graph(graph: ox.Store, tables: dict[str, list[dict[str, str]]]) -> None:
    requests = instances(graph, "RequestForAssistance")
    responses = defaultdict(set)
    for q in graph.quads_for_pattern(None, p("respondsTo"), None, None):
        responses[q.object.value].add(q.subject.value)  # type: ignore[union-attr]
    expected = {(r.value, resp) for r in requests for resp in (responses[r.value] or {""})}
    got = {(r["iri"], r["response"]) for r in tables["requests"]}
    assert got == expected
    kaz = next(r for r in tables["requests"] if r["iri"].endswith("kaz-2022-request"))
    assert kaz["requested_by"].endswith("kassym-jomart-tokayev") and kaz["capacity"].endswith("president-of-kazakhstan")
    assert {s.rsplit("/", 1)[1] for s in split(kaz["contributors"])} == {"RUS", "BLR", "ARM", "TJK", "KGZ"}
    syria = next(r for r in tables["requests"] if r["iri"].endswith("rus-syria-request-2017"))
    assert syria["addressee"] == ""  # "its allies": the source names no addressee


def _bounds(g: ox.Store, node: ox.NamedNode, start: str, end: str) -> tuple[str, str]:
    return one(g, node, p(start)), one(g, node, p(end))


def test_obligations_by_member_equal_the_graph(graph: ox.Store, tables: dict[str, list[dict[str, str]]]) -> None:
    """Bound from the later start to the earlier end of the version in force and the membership spell."""
    expected = set()
    for obligation in instances(graph, "Obligation"):
        bearer = ox.NamedNode(one(graph, obligation, p("bearer")))
        version = next(q.subject for q in graph.quads_for_pattern(None, p("imposes"), obligation, None))
        vf, vu = _bounds(graph, version, "validFrom", "validUntil")  # type: ignore[arg-type]
        bodies = {bearer.value} | {q.subject.value
                                   for q in graph.quads_for_pattern(None, p("constitutedBy"), bearer, None)}
        for m in instances(graph, "Membership"):
            if one(graph, m, p("memberOf")) not in bodies:
                continue
            ms, me = _bounds(graph, m, "latestStart", "earliestEnd")
            start = max(ms, vf)
            until = min(e for e in (me, vu) if e) if (me or vu) else ""
            if not until or start < until:
                expected.add((obligation.value, m.value, start, until))
    got = {(r["iri"], r["membership"], r["bound_from"], r["bound_until"]) for r in tables["obligations"]}
    assert got == expected
    defence = {(r["version"].rsplit("/", 1)[1], r["agrees_with_atop"]) for r in tables["obligations"]
               if r["obligation_type"] == "Defense"}
    # ATOP codes the pledge unconditional (conditio = 0): true of Article 4 of 1992, not of its 2010 wording
    assert defence == {("cst-4-1992", "true"), ("cst-4-2010", "false")}
    uzb = {(r["version"].rsplit("/", 1)[1], r["bound_from"], r["bound_until"]) for r in tables["obligations"]
           if r["iso3"] == "UZB" and r["obligation_type"] == "Defense"}
    assert ("cst-4-1992", "1994-04-20", "1999-04-20") in uzb and ("cst-4-2010", "2012-06-28", "") in uzb
    # each row carries its spell's status and a full-member flag, so that suspended spells can be filtered out
    statuses = {m.value: one(graph, m, p("status")).rsplit("#", 1)[1] for m in instances(graph, "Membership")}
    for r in tables["obligations"]:
        assert r["status"] == statuses[r["membership"]], r
        assert r["full_member"] == ("true" if r["status"] == "FullMember" else "false"), r
    suspended = {(r["version"].rsplit("/", 1)[1], r["status"], r["full_member"]) for r in tables["obligations"]
                 if r["iso3"] == "UZB" and r["obligation_type"] == "Defense" and r["bound_from"] == "2012-06-28"}
    assert suspended == {("cst-4-2010", "Suspended", "false")}
    full_2010 = {r["iso3"] for r in tables["obligations"] if r["version"].endswith("cst-4-2010")
                 and r["obligation_type"] == "Defense" and r["full_member"] == "true" and not r["bound_until"]}
    assert "UZB" not in full_2010 and {"RUS", "KAZ", "BLR"} <= full_2010


def test_claims_and_disagreements_equal_the_graph(graph: ox.Store, tables: dict[str, list[dict[str, str]]]) -> None:
    claims = instances(graph, "Claim")
    expected = {(c.value, one(graph, c, p("claimProperty")), frozenset(objects(graph, c, p("claimObject"))),
                 frozenset(objects(graph, c, p("claimDate"))), frozenset(sources(graph, c))) for c in claims}
    got = {(r["iri"], r["property"], frozenset(split(r["objects"])), frozenset(split(r["dates"])),
            frozenset(split(r["sources"]))) for r in tables["claims"]}
    assert got == expected
    pairs = {frozenset((q.subject.value, q.object.value))
             for q in graph.quads_for_pattern(None, p("contradicts"), None, None)}
    assert {frozenset((r["iri_a"], r["iri_b"])) for r in tables["disagreements"]} == pairs
    quit_row = next(r for r in tables["claims"] if r["iri"].endswith("004-uzb-quit-2012"))
    assert quit_row["objects"].endswith("#EndByWithdrawal") and quit_row["dates"] == "2012"


def test_cli_export_writes_the_tables(dataset_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(PROJECT_DIR), "export", "--data", str(dataset_file), "--out", str(tmp_path)])
    assert code == 0
    written = {Path(line).name for line in capsys.readouterr().out.split()}
    assert written == {f"{t}.csv" for t in TABLES} | {PACKAGE}
