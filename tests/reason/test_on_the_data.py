"""One test per OWL 2 RL rule the ontology relies on, on the REAL data.

Each test asks the built store's inferred graph (``…/graph/inferred``, by name) for a triple that the
rule produces from the project's data, and checks with the derivation tracer that the rule does
produce it. Docstrings quote the rule's If/Then row from OWL 2 Profiles §4.3 (Tables 4–9).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from cstograph.config import Settings
from cstograph.namespaces import CST, INFERRED_GRAPH, PREFIXES
from cstograph.pipeline import BuildResult, asserted_sources
from cstograph.reason import Explainer
from cstograph.reason import union as union_of
from cstograph.store import GraphStore

ASK = "ASK { ?s ?p ?o }"


def term(name: str) -> URIRef:
    if name == "a":
        return RDF.type
    prefix, _, local = name.partition(":")
    return URIRef(str(PREFIXES[prefix]) + local)


def triple(text: str) -> tuple[URIRef, URIRef, URIRef]:
    s, p, o = text.split()
    return term(s), term(p), term(o)


@pytest.fixture(scope="module")
def explainer(session_settings: Settings) -> Explainer:
    return Explainer(union_of(asserted_sources(session_settings).graphs()))


def in_graph(store: GraphStore, t: tuple[URIRef, URIRef, URIRef], graph: str) -> bool:
    subs = {"s": ox.NamedNode(str(t[0])), "p": ox.NamedNode(str(t[1])), "o": ox.NamedNode(str(t[2]))}
    return bool(store.query(ASK, default_graph=[graph], substitutions=subs))


def check(store: GraphStore, explainer: Explainer, text: str, rule: str) -> None:
    """``text`` is in the inferred graph, not in any asserted graph, and ``rule`` derives it."""
    t = triple(text)
    assert in_graph(store, t, str(INFERRED_GRAPH)), f"{text} not in the inferred graph"
    asserted = [g for g in store.graph_names() if g != str(INFERRED_GRAPH)]
    assert not any(in_graph(store, t, g) for g in asserted), f"{text} is asserted"
    rules = {r for r, _, _ in explainer.derivations(t)}
    assert rule in rules, f"{text}: derived by {rules}, not {rule}"


def test_built_with_inferred_graph(built: BuildResult) -> None:
    assert str(INFERRED_GRAPH) in built.manifest["graphs"]  # type: ignore[operator]


def test_cax_sco_deployment_is_an_event(store: GraphStore, explainer: Explainer) -> None:
    """cax-sco — If T(?c1, rdfs:subClassOf, ?c2) T(?x, rdf:type, ?c1) then T(?x, rdf:type, ?c2).

    Asking for every cst:Event returns deployments, requests and armed conflicts too.
    """
    check(store, explainer, "event:kaz-2022-deployment a cst:Event", "cax-sco")
    check(store, explainer, "operation:illegal a cst:Operation", "cax-sco")  # RecurringOperation ⊑ Operation
    check(store, explainer, "post:csto-secretary-general a org:Post", "cax-sco")  # alignment to ORG


def test_prp_spo1_speaker_is_participant(store: GraphStore, explainer: Explainer) -> None:
    """prp-spo1 — If T(?p1, rdfs:subPropertyOf, ?p2) T(?x, ?p1, ?y) then T(?x, ?p2, ?y)."""
    check(store, explainer, "event:zas-call-for-peace-kgz-tjk cst:participant person:stanislav-zas", "prp-spo1")
    check(store, explainer, "article:csto-charter-8 dcterms:hasPart article:csto-charter-8-1", "prp-spo1")


def test_prp_inv2_has_membership_from_member(store: GraphStore, explainer: Explainer) -> None:
    """prp-inv2 — If T(?p1, owl:inverseOf, ?p2) T(?x, ?p2, ?y) then T(?y, ?p1, ?x).

    ``cst:hasMembership owl:inverseOf cst:member``: a membership's member has it, from the state's side.
    """
    check(store, explainer, "state:ARM cst:hasMembership membership:csto-ARM-2002", "prp-inv2")
    check(store, explainer, "organization:csto cst:membership membership:csto-ARM-2002", "prp-inv2")


def test_prp_inv2_has_part_from_is_part_of(store: GraphStore, explainer: Explainer) -> None:
    """prp-inv2 — If T(?p1, owl:inverseOf, ?p2) T(?x, ?p2, ?y) then T(?y, ?p1, ?x).

    ``cst:hasPart owl:inverseOf cst:isPartOf``: the treaty has its articles as parts.
    """
    check(store, explainer, "article:csto-charter-8 cst:hasPart article:csto-charter-8-1", "prp-inv2")


def test_prp_inv1_imposes_from_imposed_by(session_settings: Settings) -> None:
    """prp-inv1 — If T(?p1, owl:inverseOf, ?p2) T(?x, ?p1, ?y) then T(?y, ?p2, ?x).

    ``cst:imposedBy owl:inverseOf cst:imposes``. The real data states both directions of every
    obligation link (and asserts only the *second* property of the other pairs, e.g. ``cst:member`` of
    ``cst:hasMembership owl:inverseOf cst:member``: prp-inv2, tested above), so nothing reaches the
    inferred graph by prp-inv1 alone. Here the real data without its ``cst:imposes`` triples must get
    every one of them back by prp-inv1.
    """
    union = union_of(asserted_sources(session_settings).graphs())
    imposes = set(union.triples((None, CST.imposes, None)))
    assert imposes
    for t in imposes:
        union.remove(t)
    ex = Explainer(union)
    for t in imposes:
        assert t in ex.facts.rank
        assert "prp-inv1" in {r for r, _, _ in ex.derivations(t)}  # type: ignore[arg-type]
    assert triple("version:cst-1-1992 cst:imposes obligation:cst-1-1992-nonaggression") in imposes


def test_prp_spo2_source_chain(store: GraphStore, explainer: Explainer) -> None:
    """prp-spo2 — If T(?p, owl:propertyChainAxiom, ?x) LIST[?x, ?p1, …, ?pn] T(?u1, ?p1, ?u2) …
    T(?un, ?pn, ?un+1) then T(?u1, ?p, ?un+1).

    ``cst:source`` = ``cst:citation`` ∘ ``cst:citedSource``: the documents behind a fact, directly.
    """
    check(store, explainer, "event:cst-signing-1992 cst:source source:seed-003", "prp-spo2")


def test_prp_spo2_is_member_of_chain(store: GraphStore, explainer: Explainer) -> None:
    """prp-spo2 — as above, with ``cst:isMemberOf`` = ``cst:hasMembership`` ∘ ``cst:memberOf``
    (the first link itself inferred by prp-inv2 from ``cst:member``)."""
    check(store, explainer, "state:ARM cst:isMemberOf organization:csto", "prp-spo2")
    check(store, explainer, "organization:csto cst:hasMember state:ARM", "prp-inv2")


def test_prp_trp_is_part_of(store: GraphStore, explainer: Explainer) -> None:
    """prp-trp — If T(?p, rdf:type, owl:TransitiveProperty) T(?x, ?p, ?y) T(?y, ?p, ?z)
    then T(?x, ?p, ?z).

    A paragraph is part of the treaty through its article, at any depth.
    """
    check(store, explainer, "article:csto-charter-8-1 cst:isPartOf treaty:csto-charter", "prp-trp")


def test_prp_symp_borders(store: GraphStore, explainer: Explainer) -> None:
    """prp-symp — If T(?p, rdf:type, owl:SymmetricProperty) T(?x, ?p, ?y) then T(?y, ?p, ?x)."""
    check(store, explainer, "state:AFG cst:borders state:TJK", "prp-symp")
    check(store, explainer, "claim:record-uzb-2012-end cst:contradicts claim:atop-uzb-cst-2006-end", "prp-symp")


def test_prp_dom_post_in(store: GraphStore, explainer: Explainer) -> None:
    """prp-dom — If T(?p, rdfs:domain, ?c) T(?x, ?p, ?y) then T(?x, rdf:type, ?c).

    ``cst:postIn rdfs:domain cst:Post`` (⊑ org:Post, scm-dom1).
    """
    check(store, explainer, "post:csto-secretary-general a org:Post", "prp-dom")


def test_prp_rng_post(store: GraphStore, explainer: Explainer) -> None:
    """prp-rng — If T(?p, rdfs:range, ?c) T(?x, ?p, ?y) then T(?y, rdf:type, ?c).

    ``cst:post rdfs:range cst:Post``: whatever a term of office is a term of, is a post.
    """
    check(store, explainer, "post:csto-secretary-general a org:Post", "prp-rng")


def test_cax_adc_no_clash_on_real_data(explainer: Explainer) -> None:
    """cax-adc — If T(?x, rdf:type, owl:AllDisjointClasses) T(?x, owl:members, ?y) LIST[?y, ?c1, …, ?cn]
    T(?z, rdf:type, ?ci) T(?z, rdf:type, ?cj) then false (for 1 ≤ i < j ≤ n).

    The real data builds (no clash) and the axiom is there to catch one: see
    ``test_reason_engines.py::test_cax_adc_clash_names_resources_and_axiom`` for the failing fixture.
    """
    (classes, _, rule), = [d for d in explainer.schema.disjoint if d[2] == "cax-adc"]
    assert CST.State in classes and CST.LegalDocument in classes and rule == "cax-adc"


def test_graph_names_select_asserted_or_inferred(store: GraphStore) -> None:
    """The default graph is asserted ∪ inferred; each side can be asked alone by graph name (README)."""
    subs = {"s": ox.NamedNode(str(term("event:kaz-2022-deployment"))), "p": ox.NamedNode(str(RDF.type)),
            "o": ox.NamedNode(str(CST.Event))}
    asserted = [g for g in store.graph_names() if g != str(INFERRED_GRAPH)]
    assert bool(store.query(ASK, substitutions=subs))
    assert bool(store.query(ASK, default_graph=[str(INFERRED_GRAPH)], substitutions=subs))
    assert not bool(store.query(ASK, default_graph=asserted, substitutions=subs))
    readme = "SELECT ?e ?type FROM <https://w3id.org/cstograph/graph/inferred> WHERE { ?e a ?type } LIMIT 10"
    assert len(store.select(readme)) == 10
