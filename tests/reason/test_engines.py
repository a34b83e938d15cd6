"""The reasoning step: both engines agree, clashes fail clearly, the closure is cached, axioms outside
OWL 2 RL are reported, and ``cstograph reason --explain`` shows derivations."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph

from cstograph.cli import main
from cstograph.config import Settings
from cstograph.errors import InconsistencyError
from cstograph.load import load_graph
from cstograph.namespaces import INFERRED_GRAPH, OWL, RDF, turtle_prefixes
from cstograph.pipeline import DATASET_NQ, MANIFEST, asserted_sources, build
from cstograph.reason import explain, fast_path_obstacles, profile_warnings, read_nquads, reason

from ..conftest import FIXTURES, PROJECT_DIR

HERE = FIXTURES / "reason"
ONTOLOGY = PROJECT_DIR / "ontology" / "cstograph.ttl"


def synth(n: int) -> Graph:
    spec = importlib.util.spec_from_file_location("synth", PROJECT_DIR / "bench" / "synth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n)  # type: ignore[no-any-return]


# --- fast engine == owlrl --------------------------------------------------------------------------------
@pytest.mark.integration  # the whole project's data, reasoned twice
@pytest.mark.slow  # owlrl on the real data takes ≈ 20 s; the synthetic data below proves the same by default
def test_fast_engine_equals_owlrl_on_real_data(session_settings: Settings) -> None:
    graphs = list(asserted_sources(session_settings).graphs())
    fast, ref = reason(graphs, engine="fast"), reason(graphs, engine="owlrl")
    assert fast.engine == "fast" and not fast.fallback
    assert set(fast.inferred) == set(ref.inferred)
    assert len(fast.inferred) > 1000


def test_fast_engine_equals_owlrl_on_synthetic_data() -> None:
    graphs = [load_graph([ONTOLOGY]), synth(400)]
    fast, ref = reason(graphs, engine="fast"), reason(graphs, engine="owlrl")
    assert fast.engine == "fast"
    assert set(fast.inferred) == set(ref.inferred)


def test_fast_engine_falls_back_to_owlrl_for_functional_properties() -> None:
    g = load_graph([HERE / "functional-violation.ttl"])
    assert str(OWL.sameAs) not in fast_path_obstacles(g)  # type: ignore[arg-type]
    assert any("FunctionalProperty" in o for o in fast_path_obstacles(g))  # type: ignore[arg-type]


def test_inferred_graph_drops_trivial_triples(session_settings: Settings) -> None:
    inferred = reason(list(asserted_sources(session_settings).graphs())).inferred
    assert not [t for t in inferred if str(t[1]) == str(OWL.sameAs)]
    assert not [t for t in inferred if str(t[1]) == str(RDF.type) and str(t[2]) == str(OWL.Thing)]
    assert not [t for t in inferred if str(t[0]).startswith(str(OWL))]


# --- clashes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["fast", pytest.param("owlrl", marks=pytest.mark.slow)])  # owlrl: ≈ 5 s
def test_cax_adc_clash_names_resources_and_axiom(engine: str) -> None:
    """cax-adc — If T(?x, rdf:type, owl:AllDisjointClasses) T(?x, owl:members, ?y) LIST[?y, ?c1, …, ?cn]
    T(?z, rdf:type, ?ci) T(?z, rdf:type, ?cj) then false (for 1 ≤ i < j ≤ n)."""
    with pytest.raises(InconsistencyError) as info:
        reason([load_graph([ONTOLOGY, HERE / "disjoint-violation.ttl"])], engine=engine)  # type: ignore[arg-type]
    text = str(info.value)
    assert "state:ARM is both cst:State and cst:LegalDocument (as cst:Treaty)" in text
    assert "declared disjoint by owl:AllDisjointClasses (cst:State cst:Organization" in text
    assert "[cax-adc]" in text


@pytest.mark.parametrize("engine", ["fast", pytest.param("owlrl", marks=pytest.mark.slow)])  # owlrl: ≈ 5 s
def test_cax_dw_clash(engine: str) -> None:
    """cax-dw — If T(?c1, owl:disjointWith, ?c2) T(?x, rdf:type, ?c1) T(?x, rdf:type, ?c2) then false."""
    with pytest.raises(InconsistencyError) as info:
        reason([load_graph([ONTOLOGY, HERE / "disjointwith-violation.ttl"])], engine=engine)  # type: ignore[arg-type]
    assert ("event:kaz-2022-deployment is both cst:Deployment and cst:Refusal, declared disjoint by "
            "cst:Deployment owl:disjointWith cst:Refusal [cax-dw]") in str(info.value)


def test_prp_fp_eq_diff1_clash() -> None:
    """prp-fp — If T(?p, rdf:type, owl:FunctionalProperty) T(?x, ?p, ?y1) T(?x, ?p, ?y2)
    then T(?y1, owl:sameAs, ?y2); eq-diff1 — If T(?x, owl:sameAs, ?y) T(?x, owl:differentFrom, ?y)
    then false."""
    with pytest.raises(InconsistencyError) as info:
        reason([load_graph([ONTOLOGY, HERE / "functional-violation.ttl"])])
    text = str(info.value)
    assert "owl:differentFrom but inferred owl:sameAs" in text
    assert "cst:capital is an owl:FunctionalProperty and state:ARM cst:capital both" in text
    assert "place:yerevan" in text and "place:gyumri" in text


def test_build_stops_with_exit_1_on_a_clash(project_copy: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(HERE / "disjoint-violation.ttl", project_copy / "data" / "zz-clash.ttl")
    settings = Settings.discover(project_dir=project_copy, build_dir=tmp_path / "build")
    empty = tmp_path / "no-shapes"
    empty.mkdir()
    with pytest.raises(InconsistencyError, match="state:ARM is both cst:State"):
        build(settings, shapes_dir=empty)
    assert not settings.current_build.exists()
    code = main(["--project", str(project_copy), "--build-dir", str(tmp_path / "b2"), "reason"])
    assert code == 1
    assert "state:ARM is both cst:State and cst:LegalDocument" in capsys.readouterr().err


# --- axioms outside OWL 2 RL -----------------------------------------------------------------------------
def test_profile_warnings_name_each_axiom() -> None:
    warnings = profile_warnings(load_graph([ONTOLOGY, HERE / "outside-rl.ttl"]))
    text = "\n".join(warnings)
    assert len(warnings) == 4, text
    assert "cst:Treaty rdfs:subClassOf [ a owl:Restriction ; owl:onProperty cst:signatory ; owl:someValuesFrom " \
           "cst:State ] — an existential (owl:someValuesFrom) in a superclass position" in text
    assert "cst:Membership rdfs:subClassOf [ a owl:Restriction ; owl:minCardinality 1 ; owl:onProperty " \
           "cst:member ] — owl:minCardinality is not in OWL 2 RL" in text
    assert "owl:unionOf (cst:State cst:Organization cst:Person)" in text and "a union (owl:unionOf)" in text
    assert "owl:minCardinality is not in OWL 2 RL" in text
    assert "cst:sameWorkAs a owl:ReflexiveProperty" in text


def test_real_ontology_is_in_owl2_rl() -> None:
    assert profile_warnings(load_graph([ONTOLOGY])) == []


def test_reason_command_prints_profile_warnings(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for f in (project_copy / "data").glob("*.ttl"):  # ontology + fixture only: the fallback is owlrl, slow
        f.unlink()
    shutil.copy(HERE / "outside-rl.ttl", project_copy / "data" / "outside-rl.ttl")
    out = project_copy / "inferred.ttl"
    assert main(["--project", str(project_copy), "reason", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "cstograph: warning: axiom outside OWL 2 RL, ignored by the reasoner: cst:sameWorkAs a " \
           "owl:ReflexiveProperty" in err
    assert "fell back to owlrl" in err  # restrictions are beyond the fast engine


# --- the closure cache -----------------------------------------------------------------------------------
def test_closure_is_reused_when_only_shapes_change(project_copy: Path, tmp_path: Path) -> None:
    shapes = project_copy / "shapes"
    shutil.rmtree(shapes)
    shapes.mkdir()
    shape = shapes / "tiny.ttl"
    shape.write_text(turtle_prefixes("sh") +
                     "<urn:x:Shape> a sh:NodeShape ; sh:targetNode <urn:x:nothing> .\n")
    settings = Settings.discover(project_dir=project_copy, build_dir=tmp_path / "build")
    first = build(settings)
    assert not first.reused and first.manifest["reasoning"]["closure_reused"] is False  # type: ignore[index]
    again = build(settings)
    assert again.reused  # unchanged inputs: the whole build is reused
    shape.write_text(shape.read_text() + "# a comment changes the input hash\n")
    second = build(settings)
    assert not second.reused
    reasoning = second.manifest["reasoning"]
    assert reasoning["closure_reused"] is True  # type: ignore[index]
    assert reasoning["closure_key"] == first.manifest["reasoning"]["closure_key"]  # type: ignore[index]
    assert second.manifest["inferred_triples"] == first.manifest["inferred_triples"]
    assert json.loads((second.path / MANIFEST).read_text())["reasoning"]["closure_reused"] is True
    # the cached inferred triples share their blank nodes with the asserted graphs they come from
    ds = read_nquads(second.path / DATASET_NQ)
    asserted_bnodes = {n for g in ds.graphs() if g.identifier != INFERRED_GRAPH for t in g for n in t
                       if isinstance(n, BNode)}
    inferred_bnodes = {n for t in ds.graph(INFERRED_GRAPH) for n in t if isinstance(n, BNode)}
    assert inferred_bnodes and inferred_bnodes <= asserted_bnodes


# --- explanations ----------------------------------------------------------------------------------------
def test_explain_transitive_part(session_settings: Settings) -> None:
    (step,) = explain(asserted_sources(session_settings).graphs(),
                      "article:csto-charter-8-1 cst:isPartOf treaty:csto-charter")
    assert step.rule == "prp-trp"
    assert [p.rule for p in step.premises] == ["asserted", "asserted"]


def test_explain_command_shows_rules_and_asserted_premises(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(PROJECT_DIR), "reason", "--explain",
                 "state:ARM cst:isMemberOf organization:csto"]) == 0
    out = capsys.readouterr().out
    assert "⇐ prp-spo2: cst:isMemberOf owl:propertyChainAxiom (cst:hasMembership cst:memberOf)" in out
    assert "⇐ prp-inv2: cst:hasMembership owl:inverseOf cst:member" in out
    assert re.search(r"membership:csto-ARM-\S+ cst:member state:ARM   \[asserted\]", out)


def test_explain_subject_lists_every_inferred_triple(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(PROJECT_DIR), "reason", "--explain", "post:csto-secretary-general"]) == 0
    out = capsys.readouterr().out
    assert "post:csto-secretary-general a org:Post\n  ⇐ cax-sco: cst:Post rdfs:subClassOf org:Post" in out
    assert "⇐ prp-spo1:" in out


def test_explain_unknown_triple_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(PROJECT_DIR), "reason", "--explain", "state:ARM cst:borders state:USA"]) == 2
    assert "neither asserted nor inferred" in capsys.readouterr().err
