"""One test per OWL 2 RL rule the engines keep (OWL 2 Profiles §4.3, Tables 5 and 7), on tiny fixtures.

Each fixture ``tests/fixtures/reason/rules/<rule>.ttl`` holds the rule's premises and, in the ``t:``
vocabulary, what it must give: ``t:expect [ t:s … ; t:p … ; t:o … ]`` (an inferred triple) or ``t:clash x``
(an inconsistency about ``x``). Both engines must give it; the fast engine's explanation must name the
rule (``cax-eqc1/2`` and ``prp-eqp1/2`` through the closed hierarchy: ``cax-sco`` and ``prp-spo1``).
Docstrings quote the rule's If/Then row.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from cstograph.errors import InconsistencyError
from cstograph.load import load_graph
from cstograph.namespaces import n3
from cstograph.reason import ENGINES, Engine, explain, reason

from ..conftest import FIXTURES

RULES = FIXTURES / "reason" / "rules"
T = Namespace("https://w3id.org/cstograph/test#")
#: Rules the fast engine applies through the closed schema, and the rule its explanation names.
THROUGH = {"cax-eqc1": "cax-sco", "cax-eqc2": "cax-sco", "prp-eqp1": "prp-spo1", "prp-eqp2": "prp-spo1"}


def case(rule: str) -> tuple[Graph, list[tuple[Node, Node, Node]], list[Node]]:
    """The fixture's premises, expected triples and expected clash subjects."""
    g = load_graph([RULES / f"{rule}.ttl"])
    blocks = set(g.objects(T.case, T.expect))
    expected = [(g.value(b, T.s), g.value(b, T.p), g.value(b, T.o)) for b in blocks]
    clashes = list(g.objects(T.case, T.clash))
    data = Graph()
    for s, p, o in g:
        if s != T.case and s not in blocks:
            data.add((s, p, o))
    return data, expected, clashes  # type: ignore[return-value]


def derives(rule: str, engine: Engine) -> None:
    data, expected, _ = case(rule)
    assert expected, f"{rule}.ttl expects nothing"
    result = reason([data], engine=engine)
    for t in expected:
        assert t in result.inferred, f"{rule} ({engine}): {' '.join(map(n3, t))} not inferred"
        assert t not in data
        if engine == "fast":
            (step,) = explain([data], " ".join(f"<{x}>" for x in t))
            assert step.rule == THROUGH.get(rule, rule)
            assert {p.rule for p in step.premises} <= {"asserted"}


def clashes(rule: str, engine: Engine) -> None:
    data, _, subjects = case(rule)
    assert subjects, f"{rule}.ttl expects no clash"
    with pytest.raises(InconsistencyError) as info:
        reason([data], engine=engine)
    for x in subjects:
        assert isinstance(x, URIRef)
        assert any(m.startswith(f"{n3(x)} is both ") and m.endswith(f"[{rule}]") for m in info.value.messages), \
            info.value.messages


def test_every_fixture_has_a_test() -> None:
    tested = {name[len("test_"):].replace("_", "-") for name in globals() if name.startswith("test_")}
    assert {p.stem for p in RULES.glob("*.ttl")} <= tested


# --- Table 7: class axioms ------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
def test_cax_sco(engine: Engine) -> None:
    """cax-sco — If T(?c1, rdfs:subClassOf, ?c2) T(?x, rdf:type, ?c1) then T(?x, rdf:type, ?c2)."""
    derives("cax-sco", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_cax_eqc1(engine: Engine) -> None:
    """cax-eqc1 — If T(?c1, owl:equivalentClass, ?c2) T(?x, rdf:type, ?c1) then T(?x, rdf:type, ?c2)."""
    derives("cax-eqc1", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_cax_eqc2(engine: Engine) -> None:
    """cax-eqc2 — If T(?c1, owl:equivalentClass, ?c2) T(?x, rdf:type, ?c2) then T(?x, rdf:type, ?c1)."""
    derives("cax-eqc2", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_cax_dw(engine: Engine) -> None:
    """cax-dw — If T(?c1, owl:disjointWith, ?c2) T(?x, rdf:type, ?c1) T(?x, rdf:type, ?c2) then false."""
    clashes("cax-dw", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_cax_adc(engine: Engine) -> None:
    """cax-adc — If T(?x, rdf:type, owl:AllDisjointClasses) T(?x, owl:members, ?y) LIST[?y, ?c1, …, ?cn]
    T(?z, rdf:type, ?ci) T(?z, rdf:type, ?cj) then false (for 1 ≤ i < j ≤ n)."""
    clashes("cax-adc", engine)


# --- Table 5: axioms about properties -------------------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
def test_prp_dom(engine: Engine) -> None:
    """prp-dom — If T(?p, rdfs:domain, ?c) T(?x, ?p, ?y) then T(?x, rdf:type, ?c)."""
    derives("prp-dom", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_rng(engine: Engine) -> None:
    """prp-rng — If T(?p, rdfs:range, ?c) T(?x, ?p, ?y) then T(?y, rdf:type, ?c)."""
    derives("prp-rng", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_symp(engine: Engine) -> None:
    """prp-symp — If T(?p, rdf:type, owl:SymmetricProperty) T(?x, ?p, ?y) then T(?y, ?p, ?x)."""
    derives("prp-symp", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_trp(engine: Engine) -> None:
    """prp-trp — If T(?p, rdf:type, owl:TransitiveProperty) T(?x, ?p, ?y) T(?y, ?p, ?z) then T(?x, ?p, ?z)."""
    derives("prp-trp", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_spo1(engine: Engine) -> None:
    """prp-spo1 — If T(?p1, rdfs:subPropertyOf, ?p2) T(?x, ?p1, ?y) then T(?x, ?p2, ?y)."""
    derives("prp-spo1", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_spo2(engine: Engine) -> None:
    """prp-spo2 — If T(?p, owl:propertyChainAxiom, ?x) LIST[?x, ?p1, …, ?pn] T(?u1, ?p1, ?u2)
    T(?u2, ?p2, ?u3) … T(?un, ?pn, ?un+1) then T(?u1, ?p, ?un+1)."""
    derives("prp-spo2", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_eqp1(engine: Engine) -> None:
    """prp-eqp1 — If T(?p1, owl:equivalentProperty, ?p2) T(?x, ?p1, ?y) then T(?x, ?p2, ?y)."""
    derives("prp-eqp1", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_eqp2(engine: Engine) -> None:
    """prp-eqp2 — If T(?p1, owl:equivalentProperty, ?p2) T(?x, ?p2, ?y) then T(?x, ?p1, ?y)."""
    derives("prp-eqp2", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_inv1(engine: Engine) -> None:
    """prp-inv1 — If T(?p1, owl:inverseOf, ?p2) T(?x, ?p1, ?y) then T(?y, ?p2, ?x)."""
    derives("prp-inv1", engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_prp_inv2(engine: Engine) -> None:
    """prp-inv2 — If T(?p1, owl:inverseOf, ?p2) T(?x, ?p2, ?y) then T(?y, ?p1, ?x)."""
    derives("prp-inv2", engine)
