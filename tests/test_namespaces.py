"""The vocabulary module: the closed ``cst:`` namespace is the ontology's, one prefix table, one
``curie``/``expand``, and pyoxigraph and rdflib terms from the same IRIs."""

from __future__ import annotations

import ast
import doctest
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

import cstograph.namespaces as ns
from cstograph.namespaces import (
    CST,
    ID,
    OWL,
    PREFIXES,
    RDFS,
    SHAPE,
    WD,
    WDT,
    XSD,
    P,
    bind_prefixes,
    curie,
    expand,
    n3,
    rdflib_term,
    sparql_prefixes,
    to_ox,
    turtle_prefixes,
)

from .conftest import PROJECT_DIR


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cst_namespace", PROJECT_DIR / "scripts" / "cst_namespace.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cst_is_exactly_the_ontology() -> None:
    """src/cstograph/_cst.py is what scripts/cst_namespace.py makes of ontology/cstograph.ttl today
    (after changing the ontology's terms: .venv/bin/python scripts/cst_namespace.py)."""
    gen = generator()
    terms = gen.ontology_terms()
    assert len(terms) > 200 and "State" in terms
    written = (PROJECT_DIR / "src" / "cstograph" / "_cst.py").read_text(encoding="utf-8")
    assert written == gen.source(terms), "regenerate: .venv/bin/python scripts/cst_namespace.py"
    assert str(CST) == ns.BASE + "ontology#"


def test_cst_is_closed() -> None:
    assert CST.State == URIRef(ns.BASE + "ontology#State") == CST["State"]
    with pytest.raises(AttributeError):
        CST.Stat  # noqa: B018 - the lookup is the test
    with pytest.raises(AttributeError):
        CST["Stat"]


def test_one_prefix_table_without_clashes() -> None:
    assert len({str(v) for v in PREFIXES.values()}) == len(PREFIXES)
    assert {"cst", "shape", "void", "wd", "wdt", "state", "graph", "sh"} <= set(PREFIXES)
    g = bind_prefixes(Graph())
    bound = dict(g.namespaces())
    assert all(bound[p] == URIRef(str(v)) for p, v in PREFIXES.items())


@pytest.mark.parametrize("iri, name", [
    (str(CST.State), "cst:State"),
    (ns.BASE + "id/state/ARM", "state:ARM"),
    (ns.BASE + "id/article-version/cst-4-1992", "version:cst-4-1992"),
    (ns.BASE + "id/work/000-ref-14", "work:000-ref-14"),
    (str(SHAPE.MembershipOverlapShape), "shape:MembershipOverlapShape"),
    (str(WD.Q399), "wd:Q399"),
    (str(WDT.P298), "wdt:P298"),  # the longest namespace wins over p:
    (str(P.P463), "p:P463"),
    (str(RDFS.label), "rdfs:label"),
])
def test_curie_and_expand_are_inverse(iri: str, name: str) -> None:
    assert curie(iri) == name
    assert expand(name) == URIRef(iri)


@pytest.mark.parametrize("iri", [
    "http://example.org/x",  # no prefix
    ns.BASE + "id/state/ARM/history",  # a '/' in what would be the local part
    ns.BASE + "ontology#a#b",
    ns.BASE + "id/state/AR M",
])
def test_curie_leaves_what_no_prefix_names(iri: str) -> None:
    assert curie(iri) == iri


def test_expand_refuses_unknown_names() -> None:
    assert expand("<urn:x:y>") == URIRef("urn:x:y")
    for bad in ("nope:x", "state", "http://example.org/x"):
        with pytest.raises(ValueError):
            expand(bad)


def test_n3_writes_terms_as_turtle_does() -> None:
    assert n3(CST.State) == "cst:State"
    assert n3(URIRef("urn:x")) == "<urn:x>"
    assert n3(BNode("b0")) == "_:b0"
    assert n3(Literal("2022-01-05", datatype=XSD.date)) == '"2022-01-05"^^xsd:date'
    assert n3(Literal("Армения", lang="ru")) == '"Армения"@ru'
    assert n3(Literal("plain")) == '"plain"'


@pytest.mark.parametrize("term", [
    CST.State, Literal("x"), Literal("x", lang="en"), Literal("5", datatype=XSD.integer), BNode("b1"),
])
def test_oxigraph_and_rdflib_terms_round_trip(term: URIRef | Literal | BNode) -> None:
    assert rdflib_term(to_ox(term)) == term


def test_to_ox_gives_the_same_iri() -> None:
    assert to_ox(RDFS.label) == ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert to_ox(Literal("2022", datatype=XSD.gYear)) == ox.Literal("2022", datatype=ox.NamedNode(str(XSD.gYear)))


def test_sparql_prefixes_declare_the_table() -> None:
    query = sparql_prefixes("cst", "owl") + "ASK { cst:State a owl:Class }"
    store = ox.Store()
    store.add(ox.Quad(to_ox(CST.State), to_ox(ns.RDF.type), to_ox(OWL.Class)))
    assert bool(store.query(query))
    everything = sparql_prefixes()
    assert everything.count("PREFIX ") == len(PREFIXES)


def test_turtle_prefixes_declare_the_table() -> None:
    text = turtle_prefixes("cst", "state") + "state:ARM a cst:State .\n"
    assert [(t.subject, t.object) for t in ox.parse(text, format=ox.RdfFormat.TURTLE)] == [
        (to_ox(ID["state/ARM"]), to_ox(CST.State))]
    everything = turtle_prefixes()
    assert everything.count("@prefix ") == len(PREFIXES)
    assert len(list(ox.parse(everything + "cst:a cst:b cst:c .", format=ox.RdfFormat.TURTLE))) == 1
    with pytest.raises(KeyError):
        turtle_prefixes("nope")
    # the example in its docstring
    examples = doctest.testmod(ns, report=False)
    assert examples.attempted >= 1 and examples.failed == 0


def test_all_is_the_public_surface() -> None:
    assert sorted(ns.__all__) == sorted([
        "BASE", "CST", "DCTERMS", "ELI", "ERR", "FOAF", "GRAPH", "ID", "INFERRED_GRAPH", "INSTANCE_TYPES",
        "ONTOLOGY_GRAPH", "ONTOLOGY_IRI", "ORG", "OWL", "P", "PQ", "PREFIXES", "PROV", "PS", "RDF", "RDFS", "RDF_TYPE",
        "SD", "SEM", "SH", "SHAPE", "SKOS", "VOID", "VOID_BASE", "WD", "WDT", "XSD", "bind_prefixes", "curie", "expand",
        "instance_namespace", "n3", "rdflib_term", "sparql_prefixes", "to_ox", "turtle_prefixes",
    ])
    for name in ns.__all__:
        assert hasattr(ns, name), name


# --- one vocabulary module: no namespace IRI written anywhere else ---------------------------------------------
SRC = PROJECT_DIR / "src" / "cstograph"
VOCABULARY_FILES = frozenset({SRC / "namespaces.py", SRC / "_cst.py"})
W3C = "http://www.w3.org/"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings (of the module, a class or a function)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def hard_coded_iris(path: Path, root: Path = PROJECT_DIR) -> list[str]:
    """``file:line: namespace`` for every string or bytes constant of ``path`` (f-string parts included,
    docstrings aside) that holds a namespace IRI of :data:`PREFIXES` or starts with a W3C IRI (a regular
    expression's escapes read through)."""
    namespaces = sorted({str(v) for v in PREFIXES.values()}, key=len, reverse=True)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in skip or not isinstance(node.value, str | bytes):
            continue
        text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
        text = text.replace("\\", "")  # rb"http://www\.w3\.org/…" in a pattern
        hit = next((ns for ns in namespaces if ns in text), W3C if text.lstrip().startswith(W3C) else None)
        if hit is not None:
            out.append((node.lineno, hit))
    return [f"{path.relative_to(root)}:{line}: {hit}" for line, hit in sorted(out)]


def test_the_guard_finds_iris_in_strings_not_in_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Docstrings may cite http://www.w3.org/2002/07/owl#Class."""\n'
                      'A = "http://www.w3.org/2000/01/rdf-schema#label"\n'
                      'B = f"PREFIX x: <http://rdfs.org/ns/void#>\\n{A}"\n'
                      'C = "x <https://w3id.org/cstograph/ontology#State> y"\n'
                      'D = rb"http://www\\.w3\\.org/2001/XMLSchema#boolean"\n'
                      'E = "http://www.w3.org/ns/anything-else"\n'
                      'F = ("http://example.org/", "https://w3id.org/cstograph/", "see http://www.w3.org/TR/")\n'
                      'def f() -> None:\n'
                      '    """http://www.w3.org/2000/01/rdf-schema#comment"""\n', encoding="utf-8")
    assert hard_coded_iris(module, tmp_path) == [
        "m.py:2: http://www.w3.org/2000/01/rdf-schema#", "m.py:3: http://rdfs.org/ns/void#",
        f"m.py:4: {CST}", "m.py:5: http://www.w3.org/2001/XMLSchema#", "m.py:6: http://www.w3.org/"]


def test_no_vocabulary_iri_outside_the_vocabulary_module() -> None:
    """Every namespace IRI lives in namespaces.py (and the generated _cst.py); the rest of the package takes
    its IRIs, terms and PREFIX lines from there (``RDFS.label``, ``sparql_prefixes("cst")``)."""
    found = [hit for path in sorted(SRC.rglob("*.py")) if path not in VOCABULARY_FILES
             for hit in hard_coded_iris(path)]
    assert not found, "vocabulary IRIs written outside namespaces.py:\n" + "\n".join(found)


# --- one prefix table in the tests too: no PREFIX / @prefix line written by hand for a namespace of PREFIXES ------
TESTS = PROJECT_DIR / "tests"
_DECLARATION = re.compile(r"(@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
#: Where the hand-written declaration is the point: ``(file, prefix)``.
HAND_WRITTEN_PREFIXES = frozenset({
    # what the query page's completion inserts into the editor, checked character for character
    ("tests/browser/test_workbench.py", "state"), ("tests/browser/test_workbench.py", "cst"),
    # the IRI guard's own sample: an IRI inside an f-string's PREFIX line must be found
    ("tests/test_namespaces.py", "x"),
})


def hand_written_prefixes(path: Path, root: Path = PROJECT_DIR) -> list[str]:
    """``file:line: declaration`` for every ``PREFIX name: <iri>`` or ``@prefix name: <iri>`` in ``path`` whose
    IRI is a namespace of :data:`PREFIXES` (``sparql_prefixes``/``turtle_prefixes`` write those)."""
    namespaces = {str(v) for v in PREFIXES.values()}
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    return [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in _DECLARATION.finditer(text)
            if m.group(3) in namespaces and (name, m.group(2) or "") not in HAND_WRITTEN_PREFIXES]


def test_the_prefix_guard_finds_declarations(tmp_path: Path) -> None:
    rdfs, owl = str(RDFS), str(OWL)
    (tmp_path / "m.py").write_text(f'Q = """prefix rdfs: <{rdfs}>\nSELECT * {{}}"""\n'
                                   f'T = """@prefix ex: <http://example.org/> . @prefix o:\n  <{owl}> ."""\n'
                                   f'U = "PREFIX : <{CST}>"  # the empty prefix too\n'
                                   f'V = "PREFIX wd: <{WD}Q1>"  # not a namespace of the table\n', encoding="utf-8")
    assert hand_written_prefixes(tmp_path / "m.py", tmp_path) == [
        f"m.py:1: prefix rdfs: <{rdfs}>", f"m.py:3: @prefix o:\n  <{owl}>", f"m.py:5: PREFIX : <{CST}>"]


def test_tests_take_prefix_declarations_from_the_table() -> None:
    """Tests declare the table's prefixes with ``sparql_prefixes``/``turtle_prefixes`` (or name terms with the
    namespaces, ``expand``), never by hand: one table for queries, tests, pages and serializers (issue 12)."""
    found = [hit for path in sorted(TESTS.rglob("*.py")) if "node_modules" not in path.parts
             for hit in hand_written_prefixes(path)]
    assert not found, "PREFIX/@prefix written by hand for a namespace of PREFIXES:\n" + "\n".join(found)
