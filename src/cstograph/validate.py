"""SHACL validation with pySHACL: the data (with the ontology mixed in, so sh:targetClass sees
subclasses) against the project's shapes. One functional entry point, like pySHACL's own
(:func:`validate_graph`), and :func:`validate_dataset`, which also says for every result which named graph
(source file) holds the offending triples — and, when a user's own files are validated together with the
project, which of the user's triples break which shape.

Reports come out as text for a person (grouped by severity and shape), as a ``sh:ValidationReport`` in
Turtle (SHACL §3.6), or as JSON.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .errors import InputError
from .namespaces import GRAPH, ONTOLOGY_GRAPH, PREFIXES, SH

__all__ = [
    "SHAPE",
    "LocatedResult",
    "ValidationOutcome",
    "ValidationReport",
    "ValidationResult",
    "locate",
    "rdflib_term",
    "user_graph_name",
    "validate_dataset",
    "validate_graph",
]

#: Namespace of the project's named shapes (prefix ``shape:``).
SHAPE = Namespace("https://w3id.org/cstograph/shapes#")
_SEVERITY_ORDER: dict[Node, int] = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True, slots=True)
class ValidationResult:
    focus_node: Node
    source_shape: Node
    severity: URIRef
    message: str  #: the English message (or the only one)
    path: Node | None
    value: Node | None
    messages: tuple[Literal, ...] = ()  #: every sh:resultMessage, all languages
    node: Node | None = None  #: the sh:ValidationResult node in the report graph

    def message_in(self, language: str) -> str | None:
        for m in self.messages:
            if m.language == language:
                return str(m)
        return None


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    conforms: bool  #: no result of severity sh:Violation
    report: Graph
    text: str
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Violation)


def _results(report: Graph) -> tuple[ValidationResult, ...]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        messages = tuple(m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal))
        english = [m for m in messages if m.language in (None, "en")]
        msg = str((english or list(messages) or [Literal("")])[0])
        out.append(
            ValidationResult(
                focus_node=report.value(r, SH.focusNode),  # type: ignore[arg-type]
                source_shape=report.value(r, SH.sourceShape),  # type: ignore[arg-type]
                severity=report.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                message=msg,
                path=report.value(r, SH.resultPath),
                value=report.value(r, SH.value),
                messages=tuple(sorted(messages, key=lambda m: (m.language or "", str(m)))),
                node=r,
            )
        )
    return tuple(sorted(out, key=lambda x: (_SEVERITY_ORDER.get(x.severity, 9), str(x.source_shape),
                                            str(x.focus_node), str(x.value))))


def validate_graph(
    data: Graph, shapes: Graph, *, ontology: Graph | None = None, sparql_engine: str = "oxigraph"
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``; ``ontology`` is mixed in for class hierarchy lookups.

    ``conforms`` is True when there is no sh:Violation (Warnings and Infos are findings, not failures).

    SHACL Core is checked by pySHACL. The SHACL-SPARQL constraints of named node shapes are, by default,
    evaluated by Oxigraph once per constraint over all the shape's focus nodes (the focus nodes are
    bound with VALUES, SHACL §5.3.1 pre-binding of ``$this``) rather than by pySHACL once per focus node
    with rdflib — the same results, two orders of magnitude faster. ``sparql_engine="pyshacl"`` leaves
    everything to pySHACL (the tests check that both agree).
    """
    if ontology is not None:
        # Mix the whole ontology in (pySHACL's own ont_graph mixing copies only class and property axioms,
        # not the SKOS concepts of the code lists that sh:class skos:Concept checks).
        mixed = Graph()
        for t in data:
            mixed.add(t)
        for t in ontology:
            mixed.add(t)
        data = mixed
    sparql_shapes: list[_SparqlShape] = []
    core_shapes = shapes
    if sparql_engine == "oxigraph":
        store = ox.Store()
        store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        core_shapes, sparql_shapes = _split_sparql(shapes, store)
    elif sparql_engine != "pyshacl":
        raise ValueError(f"unknown sparql_engine {sparql_engine!r}")
    _, report, text = shacl_validate(
        data,
        shacl_graph=core_shapes,
        ont_graph=None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
    )
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure for unusable shapes
        raise InputError(f"the shapes cannot be used: {report}")
    if sparql_shapes:
        text += _evaluate_sparql(store, sparql_shapes, report)
    for prefix, ns in PREFIXES.items():
        report.bind(prefix, ns, replace=True)
    report.bind("shape", SHAPE, replace=True)
    results = _results(report)
    conforms = not any(r.severity == SH.Violation for r in results)
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    if report_node is not None:
        report.set((report_node, SH.conforms, Literal(conforms)))
    return ValidationOutcome(conforms=conforms, report=report, text=text, results=results)


# --- SHACL-SPARQL constraints, evaluated by Oxigraph -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class _SparqlConstraint:
    node: Node
    select: str
    messages: tuple[Literal, ...]


@dataclass(frozen=True, slots=True)
class _SparqlShape:
    shape: URIRef
    severity: URIRef
    focus: tuple[ox.NamedNode, ...]  #: the focus nodes of the shape's targets
    constraints: tuple[_SparqlConstraint, ...]
    messages: tuple[Literal, ...]


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _prefix_header(shapes: Graph, constraint: Node) -> str:
    """PREFIX lines from the sh:declare of the constraint's sh:prefixes (SHACL §5.2.1)."""
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + "\n"


def _split_sparql(shapes: Graph, store: ox.Store) -> tuple[Graph, list[_SparqlShape]]:
    """The shapes graph without the sh:sparql constraints of named, targeted node shapes, and those.

    A shape with a blank focus node stays with pySHACL (a blank node cannot be bound with VALUES)."""
    out: list[_SparqlShape] = []
    moved: set[tuple[Node, Node, Node]] = set()
    for shape in set(shapes.subjects(SH.sparql, None)):
        if not isinstance(shape, URIRef) or (shape, SH.path, None) in shapes:
            continue  # property shapes with SPARQL ($PATH) stay with pySHACL
        targets = tuple((p, o) for p in _TARGETS for o in shapes.objects(shape, p))
        if not targets or shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        focus, blank = _focus_nodes(store, targets)
        if blank:
            continue
        constraints = []
        for c in shapes.objects(shape, SH.sparql):
            select = shapes.value(c, SH.select)
            if select is None or shapes.value(c, SH.deactivated) == Literal(True):
                continue
            constraints.append(_SparqlConstraint(
                c, _prefix_header(shapes, c) + str(select),
                tuple(m for m in shapes.objects(c, SH.message) if isinstance(m, Literal))))
            moved.add((shape, SH.sparql, c))
        out.append(_SparqlShape(
            shape, shapes.value(shape, SH.severity) or SH.Violation, tuple(focus),  # type: ignore[arg-type]
            tuple(constraints), tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))))
    core = Graph()
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns, replace=True)
    for t in shapes:
        if t not in moved:
            core.add(t)
    return core, out


def _to_ox(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    return ox.NamedNode(str(term))


def rdflib_term(term: object) -> Node:
    """The rdflib term for an Oxigraph term (an ``xsd:string`` literal becomes a plain literal)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(getattr(term, "value", str(term)))


def _focus_nodes(store: ox.Store, targets: Iterable[tuple[URIRef, Node]]) -> tuple[list[ox.NamedNode], bool]:
    """SHACL §2.1.3: the IRI focus nodes of a shape's targets, and whether there are blank ones too."""
    found: set[str] = set()
    blank = False
    for kind, value in targets:
        if kind == SH.targetNode:
            if isinstance(value, URIRef):
                found.add(str(value))
            else:
                blank = True
            continue
        query = {
            SH.targetClass: "SELECT DISTINCT ?x ?v WHERE "
                            "{ ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?v }",
            SH.targetSubjectsOf: "SELECT DISTINCT ?x ?v WHERE { ?x ?v ?o }",
            SH.targetObjectsOf: "SELECT DISTINCT ?x ?v WHERE { ?s ?v ?x }",
        }[kind]
        for row in store.query(query, substitutions={ox.Variable("v"): _to_ox(value)}):  # type: ignore[union-attr]
            if isinstance(row["x"], ox.NamedNode):
                found.add(row["x"].value)
            elif isinstance(row["x"], ox.BlankNode):
                blank = True
    return [ox.NamedNode(f) for f in sorted(found)], blank


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_MSG_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _substitute(message: Literal, row: Mapping[str, Node]) -> Literal:
    text = _MSG_VAR.sub(lambda m: str(row[m.group(1)]) if m.group(1) in row else m.group(0), str(message))
    return Literal(text, lang=message.language)


def _evaluate_sparql(store: ox.Store, sparql_shapes: list[_SparqlShape], report: Graph) -> str:
    """Run each constraint once over all its focus nodes; add the results to ``report``; return text."""
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    lines: list[str] = []
    for shape in sparql_shapes:
        focus = shape.focus
        if not focus:
            continue
        values = "VALUES ?this { " + " ".join(str(f) for f in focus) + " }\n"
        for c in shape.constraints:
            m = _WHERE.search(c.select)
            if m is None:
                raise InputError(f"{shape.shape}: SPARQL constraint without WHERE {{")
            query = c.select[: m.end()] + "\n" + values + c.select[m.end():]
            try:
                solutions = store.query(query, use_default_graph_as_union=True)
            except SyntaxError as exc:
                raise InputError(f"{shape.shape}: SPARQL constraint does not parse: {exc}") from exc
            names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            seen: set[tuple[Node, ...]] = set()
            for sol in solutions:  # type: ignore[union-attr]
                row = {n: rdflib_term(sol[n]) for n in names if sol[n] is not None}
                this = row.get("this")
                if this is None:
                    continue
                key = (this, row.get("path"), row.get("value"))
                if key in seen:
                    continue
                seen.add(key)  # type: ignore[arg-type]
                r = BNode()
                report.add((r, RDF.type, SH.ValidationResult))
                report.add((r, SH.focusNode, this))
                report.add((r, SH.resultSeverity, shape.severity))
                report.add((r, SH.sourceShape, shape.shape))
                report.add((r, SH.sourceConstraint, c.node))
                report.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                report.add((r, SH.value, row.get("value", this)))
                if "path" in row:
                    report.add((r, SH.resultPath, row["path"]))
                for msg in c.messages or shape.messages:
                    report.add((r, SH.resultMessage, _substitute(msg, row)))
                if report_node is not None:
                    report.add((report_node, SH.result, r))
                sev = str(shape.severity).rsplit("#", 1)[-1]
                lines.append(f"Constraint {sev} in SPARQLConstraintComponent: {shape.shape}\n"
                             f"\tFocus Node: {this}\n\tMessage: {(c.messages or shape.messages or [''])[0]}\n")
    return "".join(lines)


# --- where the offending triples are --------------------------------------------------------------------
Triple = tuple[Node, Node, Node]


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
    """A validation run over a dataset: the outcome and where each result's triples come from."""

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

    # --- renderers ------------------------------------------------------------------------------------
    def render_text(self, *, everything: bool = False) -> str:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, replace=True)
        g.bind("shape", SHAPE, replace=True)

        def name(n: Node | None) -> str:
            if n is None:
                return "-"
            if isinstance(n, URIRef):
                try:
                    return g.namespace_manager.normalizeUri(n)
                except Exception:  # noqa: BLE001 - fall back to the full IRI
                    return f"<{n}>"
            return n.n3(g.namespace_manager) if isinstance(n, Literal) else f"_:{n}" if isinstance(n, BNode) else str(n)

        shown = self.shown(everything=everything)
        c, all_c = self.counts(shown), self.counts()
        lines = [f"SHACL validation: {c['violations']} violation(s), {c['warnings']} warning(s), "
                 f"{c['infos']} info(s) — {'conforms' if self.conforms else 'DOES NOT CONFORM'}"]
        if self.user_graphs and not everything:
            files = ", ".join(sorted(self.file_of(u) for u in self.user_graphs))
            hidden = len(self.located) - len(shown)
            lines.append(f"validated together with the project; showing the results that involve {files}"
                         + (f" ({hidden} other result(s) of the project not shown: --all)" if hidden else ""))
            if all_c["violations"] != c["violations"]:
                lines.append(f"the project itself has {all_c['violations'] - c['violations']} violation(s)")
        groups: dict[tuple[Node, Node], list[LocatedResult]] = defaultdict(list)
        for r in shown:
            groups[(r.result.severity, r.result.source_shape)].append(r)
        for (severity, shape), rs in sorted(groups.items(), key=lambda kv: (
                _SEVERITY_ORDER.get(kv[0][0], 9), str(kv[0][1]))):
            sev = str(severity).rsplit("#", 1)[-1]
            lines.append("")
            lines.append(f"{sev} · {name(shape)} ({len(rs)})")
            for r in rs:
                label = f' "{r.focus_label}"' if r.focus_label else ""
                files = ", ".join(self.file_of(gr) for gr in r.graphs) or "(no source triple)"
                yours = "  ← yours" if r.yours and self.user_graphs else ""
                lines.append(f"  - {name(r.result.focus_node)}{label}  [{files}]{yours}")
                lines.append(f"      {r.result.message}")
                ru = r.result.message_in("ru")
                if ru:
                    lines.append(f"      {ru}")
                if r.result.path is not None or r.result.value is not None:
                    lines.append(f"      path {name(r.result.path)}  value {name(r.result.value)}")
                if self.user_graphs and r.yours:
                    for s, p, o in r.triples:
                        lines.append(f"      your triple: {name(s)} {name(p)} {name(o)} .")
        return "\n".join(lines) + "\n"

    def to_json(self, *, everything: bool = False) -> dict[str, object]:
        shown = self.shown(everything=everything)
        return {
            "conforms": self.conforms,
            "counts": self.counts(shown),
            "results": [
                {
                    "focusNode": str(r.result.focus_node),
                    "focusLabel": r.focus_label,
                    "sourceShape": str(r.result.source_shape),
                    "severity": str(r.result.severity),
                    "message": r.result.message,
                    "messages": {m.language or "": str(m) for m in r.result.messages},
                    "path": None if r.result.path is None else str(r.result.path),
                    "value": None if r.result.value is None else str(r.result.value),
                    "files": [self.file_of(g) for g in r.graphs],
                    "graphs": [str(g) for g in r.graphs],
                    "yours": r.yours,
                    "triples": [[t.n3() for t in triple] for triple in r.triples] if r.yours else [],
                }
                for r in shown
            ],
        }

    def render_turtle(self) -> str:
        """The sh:ValidationReport, each result with ``rdfs:seeAlso`` the named graph(s) of its triples."""
        g = Graph()
        for prefix, ns in self.outcome.report.namespaces():
            g.bind(prefix, ns, replace=True)
        for t in self.outcome.report:
            g.add(t)
        for r in self.located:
            if r.result.node is not None:
                for gr in r.graphs:
                    g.add((r.result.node, RDFS.seeAlso, gr))
        return g.serialize(format="turtle")


def _index(ds: Dataset, *, exclude: Iterable[URIRef]) -> tuple[Graph, dict[Node, list[tuple[Node, Node, URIRef]]]]:
    """The union of the data graphs, and each subject's triples with their graph."""
    skip = set(exclude)
    union = Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns, replace=True)
    by_subject: dict[Node, list[tuple[Node, Node, URIRef]]] = defaultdict(list)
    for ctx in ds.graphs():
        if ctx.identifier in skip:
            continue
        for s, p, o in ctx:
            union.add((s, p, o))
            by_subject[s].append((p, o, ctx.identifier))  # type: ignore[arg-type]
    return union, by_subject


def _locate(result: ValidationResult, by_subject: Mapping[Node, list[tuple[Node, Node, URIRef]]],
            user_graphs: frozenset[URIRef]) -> tuple[tuple[URIRef, ...], tuple[Triple, ...], bool]:
    focus, path, value = result.focus_node, result.path, result.value
    own = by_subject.get(focus, [])
    hits: list[tuple[Node, Node, URIRef]] = []
    if isinstance(path, URIRef):
        on_path = [h for h in own if h[0] == path]
        hits = [h for h in on_path if value is None or h[1] == value] or on_path
    elif value is not None:
        hits = [h for h in own if h[1] == value]
    if not hits:
        hits = [h for h in own if h[0] == RDF.type] or list(own)
    located = [((focus, p, o), g) for p, o, g in hits]
    # a result about a relation with another node (an overlapping membership, a request) also involves
    # that node's own triples when they are the user's
    if isinstance(value, URIRef | BNode) and value != focus:
        located += [((value, p, o), g) for p, o, g in by_subject.get(value, []) if g in user_graphs]
    graphs = tuple(sorted({g for _, g in located}, key=str))
    yours = any(g in user_graphs for _, g in located)
    triples = tuple(t for t, g in located if g in user_graphs) if yours else tuple(t for t, _ in located)
    return graphs, triples, yours


def _label(union: Graph, node: Node) -> str | None:
    labels = list(union.objects(node, RDFS.label))
    for lang in ("en", None, "ru"):
        for lab in labels:
            if isinstance(lab, Literal) and lab.language == lang:
                return str(lab)
    return str(labels[0]) if labels else None


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
    union, by_subject = _index(ds, exclude=(ontology_graph,))
    outcome = validate_graph(union, shapes, ontology=ontology if len(ontology) else None)
    return _located(outcome, union, by_subject, frozenset(user_graphs), sources)


def locate(outcome: ValidationOutcome, ds: Dataset, *, ontology_graph: URIRef = ONTOLOGY_GRAPH,
           user_graphs: Iterable[URIRef] = (), sources: Mapping[URIRef, str] | None = None) -> ValidationReport:
    """The report of an outcome already computed over the union of ``ds`` (e.g. by the build), with the
    named graph (file) of each result's triples."""
    union, by_subject = _index(ds, exclude=(ontology_graph,))
    return _located(outcome, union, by_subject, frozenset(user_graphs), sources)


def _located(outcome: ValidationOutcome, union: Graph, by_subject: Mapping[Node, list[tuple[Node, Node, URIRef]]],
             users: frozenset[URIRef], sources: Mapping[URIRef, str] | None) -> ValidationReport:
    located = []
    for r in outcome.results:
        graphs, triples, yours = _locate(r, by_subject, users)
        located.append(LocatedResult(r, _label(union, r.focus_node), graphs, triples, yours))
    return ValidationReport(outcome=outcome, located=tuple(located), user_graphs=users,
                            sources=dict(sources or {}))


def user_graph_name(path: Path) -> URIRef:
    """The named graph a user's file is validated in: its file: URI, never a project graph's name."""
    return URIRef(path.resolve().as_uri())
