"""Alignments that hold under the aligned vocabularies' own axioms (issue 12): reasoning over the ontology, the
frozen extracts of ORG, PROV-O, SEM, DC terms and ELI (ontology/imports/) and the data types no instance with
an external class its own cst: class does not imply; and every property is of one kind (annotation, object,
datatype) and is used as that kind says."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cstograph import inferred_triples
from cstograph.load import load_graph
from cstograph.namespaces import CST, ID, turtle_prefixes

from ..conftest import PROJECT_DIR

IMPORTS = PROJECT_DIR / "ontology" / "imports"
ONTOLOGY = PROJECT_DIR / "ontology" / "cstograph.ttl"
#: Vocabularies whose classes an alignment could give our instances.
EXTERNAL = ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://semanticweb.cs.vu.nl/2009/11/sem/",
            "http://purl.org/dc/terms/", "http://data.europa.eu/eli/ontology#", "http://xmlns.com/foaf/0.1/")
KINDS = (OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty)
#: RDF's and OWL's own terms; rdf:subject/predicate/object (the link set's reified records) take any term.
BUILTIN = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
           OWL.propertyChainAxiom, OWL.members, RDF.first, RDF.rest, OWL.versionIRI, OWL.disjointWith,
           RDF.subject, RDF.predicate, RDF.object}


def data_files() -> list:  # type: ignore[type-arg]
    return sorted((PROJECT_DIR / "data").rglob("*.ttl"))  # the generated data/links/linkset.ttl too


@cache
def schema() -> Graph:
    return load_graph([ONTOLOGY, *sorted(IMPORTS.glob("*.ttl"))])


@cache
def data() -> Graph:
    return load_graph(data_files())


def superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in g.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def wrong_types(tbox: Graph, abox: Graph) -> list[str]:
    """Instances (our IRIs, and blank nodes of a cst: class) typed by reasoning with an external class that
    none of their own cst: classes is a subclass of."""
    union = Graph()
    for t in (*tbox, *abox):
        union.add(t)
    full = Graph()
    for t in (*union, *inferred_triples([union])):
        full.add(t)
    bad = []
    for node in set(full.subjects(RDF.type, None)):
        types = set(full.objects(node, RDF.type))
        own = {c for c in types if isinstance(c, URIRef) and str(c).startswith(str(CST))}
        ours = str(node).startswith(str(ID)) if isinstance(node, URIRef) else isinstance(node, BNode) and own
        if not ours:
            continue
        explained = set().union(*(superclasses(tbox, c) for c in own)) if own else set()
        for t in types:
            if isinstance(t, URIRef) and str(t).startswith(EXTERNAL) and t not in explained:
                bad.append(f"{node} a {t} (its classes: {sorted(map(str, own))})")
    return sorted(bad)


def test_imports_are_frozen_extracts_with_their_specification() -> None:
    files = sorted(IMPORTS.glob("*.ttl"))
    assert {p.stem for p in files} >= {"org", "prov", "sem", "dcterms", "eli"}
    for path in files:
        head = path.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# Frozen extract"), path.name
        assert len(load_graph([path])) > 5


def test_reasoning_types_nothing_wrongly() -> None:
    assert wrong_types(schema(), data()) == []


#: The alignments of issue 12 as they were, with data each mis-types once the aligned vocabulary is loaded.
OLD_ALIGNMENTS = [
    ("cst:postIn rdfs:subPropertyOf org:postIn .", "post:p a cst:Post ; cst:postIn state:ARM . state:ARM a cst:State .",
     "state/ARM a http://www.w3.org/ns/org#Organization"),
    # cst:place now has range cst:Place (a state there is a clash); a state's territory is cst:inTerritoryOf,
    # which is not aligned with sem:hasPlace for this reason
    ("cst:inTerritoryOf rdfs:subPropertyOf sem:hasPlace .",
     "event:e a cst:Event ; cst:inTerritoryOf state:KAZ . state:KAZ a cst:State .",
     "state/KAZ a http://semanticweb.cs.vu.nl/2009/11/sem/Place"),
    ("cst:citation rdfs:subPropertyOf prov:qualifiedDerivation .",
     "state:RUS a cst:State ; cst:citation [ a cst:Citation ] .", "state/RUS a http://www.w3.org/ns/prov#Entity"),
    ("cst:headquarters rdfs:subPropertyOf org:hasPrimarySite .",
     "organization:o a cst:Organization ; cst:headquarters place:moscow . place:moscow a cst:Place .",
     "place/moscow a http://www.w3.org/ns/org#Site"),
]


def test_the_old_alignments_would_be_caught() -> None:
    """All at once (one reasoning run with them, one without): each old alignment mis-types its data."""
    prefixes = turtle_prefixes("cst", "org", "sem", "prov", "rdfs", "state", "post", "event", "place", "organization")
    tbox = Graph()
    for t in schema():
        tbox.add(t)
    tbox.parse(data=prefixes + " ".join(axioms for axioms, _, _ in OLD_ALIGNMENTS), format="turtle")
    abox = Graph().parse(data=prefixes + " ".join(facts for _, facts, _ in OLD_ALIGNMENTS), format="turtle")
    assert wrong_types(schema(), abox) == []  # the ontology as it is now
    found = wrong_types(tbox, abox)
    assert [wrong for _, _, wrong in OLD_ALIGNMENTS if not any(wrong in w for w in found)] == []


def kinds(g: Graph) -> dict[URIRef, set[URIRef]]:
    out: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for p in g.subjects(RDF.type, kind):
            if isinstance(p, URIRef):
                out.setdefault(p, set()).add(kind)
    return out


def uses(graphs: Iterable[Graph]) -> dict[URIRef, set[str]]:
    """For each predicate: "literal" and/or "node" by what its objects are."""
    out: dict[URIRef, set[str]] = {}
    for g in graphs:
        for _, p, o in g:
            if isinstance(p, URIRef):
                out.setdefault(p, set()).add("literal" if isinstance(o, Literal) else "node")
    return out


def test_every_property_has_one_kind_and_is_used_as_it() -> None:
    declared = kinds(schema())
    two = sorted(f"{p}: {sorted(map(str, k))}" for p, k in declared.items() if len(k) > 1)
    assert two == []
    problems = []
    for p, what in uses([schema(), data()]).items():
        if p in BUILTIN:
            continue
        kind = next(iter(declared.get(p, {None})))  # type: ignore[arg-type]
        if kind is None:
            problems.append(f"{p}: used, but of no declared kind")
        elif kind == OWL.ObjectProperty and "literal" in what:
            problems.append(f"{p}: an object property with a literal value")
        elif kind == OWL.DatatypeProperty and "node" in what:
            problems.append(f"{p}: a datatype property with a resource value")
    assert problems == []


def test_the_ontology_header_uses_annotation_properties_only() -> None:
    onto = URIRef("https://w3id.org/cstograph/ontology")
    declared = kinds(schema())
    header = {p for p in schema().predicates(onto, None) if p not in BUILTIN}
    assert header and all(declared.get(p) == {OWL.AnnotationProperty} for p in header), sorted(map(str, header))
