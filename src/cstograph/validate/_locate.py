"""Validation of a dataset: which named graph (source file) holds each result's offending triples, and,
when a user's own files are validated together with the project, which of the user's triples break
which shape."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import GRAPH, ONTOLOGY_GRAPH, RDF, RDFS, SH, bind_prefixes
from ._render import render_text, render_turtle, to_json
from ._results import ValidationOutcome, ValidationResult
from ._validate import validate_graph

__all__ = ["LocatedResult", "SubjectTriples", "ValidationReport", "locate", "locate_outcome", "user_graph_name",
           "validate_dataset"]

Triple = tuple[Node, Node, Node]
#: a subject's triples, (predicate, object, graph), in the data graphs (the ontology graph left out)
SubjectTriples = Callable[[Node], Sequence[tuple[Node, Node, URIRef]]]


@dataclass(frozen=True, slots=True)
class LocatedResult:
    """A result with the label of its focus node and the named graphs (files) of the offending triples."""

    result: ValidationResult
    focus_label: str | None
    graphs: tuple[URIRef, ...]
    triples: tuple[Triple, ...]  #: the offending triples (those in the user's files, when any are)
    yours: bool  #: the result involves a triple of the user's files


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """A validation run over a dataset: the outcome and where each result's triples come from.

    Rendered by ``_render`` (text for a person, JSON, Turtle) through the methods below.
    """

    outcome: ValidationOutcome
    located: tuple[LocatedResult, ...]
    user_graphs: frozenset[URIRef] = frozenset()
    sources: Mapping[URIRef, str] = field(default_factory=dict)  #: graph IRI → file name for display

    @property
    def conforms(self) -> bool:
        return self.outcome.conforms

    def counts(self, results: Iterable[LocatedResult] | None = None) -> dict[str, int]:
        rs = list(self.located if results is None else results)
        return {name: sum(1 for r in rs if r.result.severity == sev)
                for name, sev in (("violations", SH.Violation), ("warnings", SH.Warning), ("infos", SH.Info))}

    def shown(self, *, everything: bool = False) -> tuple[LocatedResult, ...]:
        """With user files: the results that involve them (unless ``everything``); else all results."""
        if self.user_graphs and not everything:
            return tuple(r for r in self.located if r.yours)
        return self.located

    def file_of(self, graph: URIRef) -> str:
        if graph in self.sources:
            return self.sources[graph]
        text = str(graph)
        if text.startswith(str(GRAPH)):
            return f"data/{text[len(str(GRAPH)):]}.ttl"
        return text

    def render_text(self, *, everything: bool = False) -> str:
        return render_text(self, everything=everything)

    def to_json(self, *, everything: bool = False) -> dict[str, object]:
        return to_json(self, everything=everything)

    def render_turtle(self) -> str:
        """The sh:ValidationReport, each result with ``rdfs:seeAlso`` the named graph(s) of its triples."""
        return render_turtle(self)


def _data_graphs(ds: Dataset, *, exclude: Iterable[URIRef]) -> Iterator[Graph]:
    skip = set(exclude)
    return (ctx for ctx in ds.graphs() if ctx.identifier not in skip)


def _by_subject(ds: Dataset, *, exclude: Iterable[URIRef]) -> SubjectTriples:
    """Each subject's triples with their graph, in the data graphs of ``ds``."""
    by_subject: dict[Node, list[tuple[Node, Node, URIRef]]] = defaultdict(list)
    for ctx in _data_graphs(ds, exclude=exclude):
        for s, p, o in ctx:
            by_subject[s].append((p, o, ctx.identifier))  # type: ignore[arg-type]
    return lambda node: by_subject.get(node, ())


def _hits(result: ValidationResult, own: list[tuple[Node, Node, URIRef]]) -> list[tuple[Node, Node, URIRef]]:
    """The focus node's triples a result is about: on its path (with its value), else with its value,
    else its types, else all of them."""
    path, value = result.path, result.value
    hits: list[tuple[Node, Node, URIRef]] = []
    if isinstance(path, URIRef):
        on_path = [h for h in own if h[0] == path]
        hits = [h for h in on_path if value is None or h[1] == value] or on_path
    elif value is not None:
        hits = [h for h in own if h[1] == value]
    return hits or [h for h in own if h[0] == RDF.type] or list(own)


def _locate(result: ValidationResult, triples_of: SubjectTriples,
            user_graphs: frozenset[URIRef]) -> tuple[tuple[URIRef, ...], tuple[Triple, ...], bool]:
    focus, value = result.focus_node, result.value
    located = [((focus, p, o), g) for p, o, g in _hits(result, list(triples_of(focus)))]
    # a result about a relation with another node (an overlapping membership, a request) also involves
    # that node's own triples when they are the user's
    if isinstance(value, URIRef | BNode) and value != focus:
        located += [((value, p, o), g) for p, o, g in triples_of(value) if g in user_graphs]
    located.sort(key=lambda tg: (tg[0][0] != focus, *(term.n3() for term in tg[0]), str(tg[1])))  # a stable order
    graphs = tuple(sorted({g for _, g in located}, key=str))
    yours = any(g in user_graphs for _, g in located)
    triples = tuple(t for t, g in located if g in user_graphs) if yours else tuple(t for t, _ in located)
    return graphs, triples, yours


def _label(own: Sequence[tuple[Node, Node, URIRef]]) -> str | None:
    """The node's label in English, else without a language, else in Russian, else any (the least, if many)."""
    labels = sorted({o for p, o, _ in own if p == RDFS.label}, key=lambda lab: (str(lab), lab.n3()))
    for lang in ("en", None, "ru"):
        for lab in labels:
            if isinstance(lab, Literal) and lab.language == lang:
                return str(lab)
    return str(labels[0]) if labels else None


def locate_outcome(outcome: ValidationOutcome, triples_of: SubjectTriples, *, user_graphs: Iterable[URIRef] = (),
                   sources: Mapping[URIRef, str] | None = None) -> ValidationReport:
    """The report of ``outcome``, each result located through ``triples_of`` (a subject's triples with their
    graphs, the ontology graph left out)."""
    users = frozenset(user_graphs)
    located = []
    for r in outcome.results:
        graphs, triples, yours = _locate(r, triples_of, users)
        located.append(LocatedResult(r, _label(triples_of(r.focus_node)), graphs, triples, yours))
    return ValidationReport(outcome=outcome, located=tuple(located), user_graphs=users,
                            sources=dict(sources or {}))


def validate_dataset(
    ds: Dataset,
    shapes: Graph,
    *,
    ontology_graph: URIRef = ONTOLOGY_GRAPH,
    user_graphs: Iterable[URIRef] = (),
    sources: Mapping[URIRef, str] | None = None,
) -> ValidationReport:
    """Validate the union of the named graphs of ``ds`` (the ontology graph mixed in for subclasses).

    ``user_graphs`` names the graphs holding a user's own additions: the report marks each result that
    involves one of their triples (``LocatedResult.yours``) and lists those triples. ``sources`` maps graph
    IRIs to file names for display.
    """
    ontology = ds.graph(ontology_graph)
    union = bind_prefixes(Graph())
    for ctx in _data_graphs(ds, exclude=(ontology_graph,)):
        for t in ctx:
            union.add(t)
    outcome = validate_graph(union, shapes, ontology=ontology if len(ontology) else None)
    return locate_outcome(outcome, _by_subject(ds, exclude=(ontology_graph,)), user_graphs=user_graphs,
                          sources=sources)


def locate(outcome: ValidationOutcome, ds: Dataset, *, ontology_graph: URIRef = ONTOLOGY_GRAPH,
           user_graphs: Iterable[URIRef] = (), sources: Mapping[URIRef, str] | None = None) -> ValidationReport:
    """The report of an outcome already computed over the union of ``ds`` (e.g. by the build), with the
    named graph (file) of each result's triples."""
    return locate_outcome(outcome, _by_subject(ds, exclude=(ontology_graph,)), user_graphs=user_graphs,
                          sources=sources)


def user_graph_name(path: Path) -> URIRef:
    """The named graph a user's file is validated in: its file: URI, never a project graph's name."""
    return URIRef(path.resolve().as_uri())
