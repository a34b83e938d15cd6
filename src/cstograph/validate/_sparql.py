"""SHACL-SPARQL (SHACL §5): the ``sh:sparql`` constraints of named, targeted node shapes, evaluated by
Oxigraph instead of pySHACL's rdflib engine (the same results, two orders of magnitude faster; the tests
check that both agree).

- §5.2.1 prefixes: the ``PREFIX`` lines come from the ``sh:declare`` of the constraint's ``sh:prefixes``.
- §5.3.1 pre-binding: ``$this`` is bound to each focus node by Oxigraph's ``substitutions`` (the query
  text is never edited), so a constraint whose ``$this`` sits in a sub-select, a ``FILTER NOT EXISTS``, or
  a query without the ``WHERE`` keyword means what SHACL says it means.
- §5.3.2 results: one ``sh:ValidationResult`` per solution, with ``sh:resultPath`` from ``?path``,
  ``sh:value`` from ``?value`` (else the focus node) and messages with ``{?var}`` / ``{$var}`` filled in.

Shapes left to pySHACL: property shapes with SPARQL (``$PATH``), deactivated ones, shapes without a
target, and shapes with a blank focus node (not shared between the two stores).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError
from ..namespaces import RDF, SH, rdflib_term
from ._results import severity_name
from ._targets import TARGETS, focus_nodes

__all__ = ["SparqlConstraint", "SparqlPlan", "SparqlShape", "evaluate", "split_sparql"]

_MSG_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_THIS = ox.Variable("this")


@dataclass(frozen=True, slots=True)
class SparqlConstraint:
    node: Node
    select: str  #: the prefix declarations and the SELECT query
    messages: tuple[Literal, ...]
    #: ``$this`` is bound by the query's top-level group: one evaluation serves every focus node (:func:`_bound_at_top`)
    free: bool = False


@dataclass(frozen=True, slots=True)
class SparqlShape:
    shape: URIRef
    severity: URIRef
    focus: tuple[ox.NamedNode, ...]  #: the focus nodes of the shape's targets
    constraints: tuple[SparqlConstraint, ...]
    messages: tuple[Literal, ...]


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A named, active, targeted node shape with sh:sparql constraints: everything but its focus nodes."""

    shape: URIRef
    targets: tuple[tuple[URIRef, Node], ...]
    severity: URIRef
    constraints: tuple[SparqlConstraint, ...]
    messages: tuple[Literal, ...]


def _prefix_header(shapes: Graph, constraint: Node) -> str:
    """PREFIX lines from the sh:declare of the constraint's sh:prefixes (SHACL §5.2.1)."""
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + "\n"


def _literals(shapes: Graph, node: Node, p: URIRef) -> tuple[Literal, ...]:
    return tuple(m for m in shapes.objects(node, p) if isinstance(m, Literal))


def _deactivated(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _candidates(shapes: Graph) -> Iterator[_Candidate]:
    """Named, active node shapes with sh:sparql and a target, with their targets and active constraints."""
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        if not isinstance(shape, URIRef) or (shape, SH.path, None) in shapes:
            continue  # property shapes with SPARQL ($PATH) stay with pySHACL
        targets = tuple((p, o) for p in TARGETS for o in shapes.objects(shape, p))
        if not targets or _deactivated(shapes, shape):
            continue
        constraints = []
        for c in shapes.objects(shape, SH.sparql):
            select = shapes.value(c, SH.select)
            if select is None or _deactivated(shapes, c):
                continue
            text = _prefix_header(shapes, c) + str(select)
            constraints.append(SparqlConstraint(c, text, _literals(shapes, c, SH.message), free=_bound_at_top(text)))
        severity = shapes.value(shape, SH.severity) or SH.Violation
        yield _Candidate(shape, targets, severity, tuple(constraints),  # type: ignore[arg-type]
                         _literals(shapes, shape, SH.message))


#: The focus nodes of each shape of a :class:`SparqlPlan`, in its order: (IRI focus nodes, whether any is blank).
Focus = tuple[tuple[frozenset[ox.NamedNode], bool], ...]


class SparqlPlan:
    """The SHACL-SPARQL constraints of a shapes graph that Oxigraph evaluates, read once: everything about them
    that does not depend on the data (their text, prefixes, messages, how ``$this`` is bound). :meth:`focus`
    then finds their focus nodes in a store, :meth:`split` the shapes this module evaluates, and
    :meth:`core_shapes` is the shapes graph left to SHACL Core."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._candidates = tuple(_candidates(shapes))
        self._core: dict[frozenset[URIRef], Graph] = {}

    def focus(self, store: ox.Store, *, graph: ox.NamedNode | None = None) -> Focus:
        """The focus nodes of each shape in ``store`` (with ``graph``: only those that graph's triples make, see
        :func:`~._targets.focus_nodes`)."""
        found = []
        for c in self._candidates:
            nodes, blank = focus_nodes(store, c.targets, graph=graph)
            found.append((frozenset(nodes), blank))
        return tuple(found)

    @staticmethod
    def union(a: Focus, b: Focus) -> Focus:
        return tuple((fa | fb, ba or bb) for (fa, ba), (fb, bb) in zip(a, b, strict=True))

    def split(self, store: ox.Store, *, focus: Focus | None = None) -> tuple[frozenset[URIRef], list[SparqlShape]]:
        """The shapes whose constraints are evaluated here (those without a blank focus node: blank nodes are
        not shared between the two engines), and those shapes with their focus nodes in ``store`` (or
        ``focus``, when the caller knows them)."""
        out: list[SparqlShape] = []
        for c, (nodes, blank) in zip(self._candidates, self.focus(store) if focus is None else focus, strict=True):
            if not blank:
                out.append(SparqlShape(c.shape, c.severity, tuple(sorted(nodes, key=lambda n: n.value)),
                                       c.constraints, c.messages))
        return frozenset(s.shape for s in out), out

    def core_shapes(self, moved: frozenset[URIRef]) -> Graph:
        """The shapes graph without the sh:sparql constraints of the ``moved`` shapes (kept per set of shapes)."""
        if moved not in self._core:
            drop = {(c.shape, SH.sparql, k.node) for c in self._candidates if c.shape in moved for k in c.constraints}
            core = Graph()
            for prefix, ns in self.shapes.namespaces():
                core.bind(prefix, ns, replace=True)
            for t in self.shapes:
                if t not in drop:
                    core.add(t)
            self._core[moved] = core
        return self._core[moved]


def split_sparql(shapes: Graph, store: ox.Store) -> tuple[Graph, list[SparqlShape]]:
    """The shapes graph without the sh:sparql constraints evaluated here, and those constraints by shape."""
    plan = SparqlPlan(shapes)
    moved, out = plan.split(store)
    return plan.core_shapes(moved), out


def _substitute(message: Literal, row: Mapping[str, Node]) -> Literal:
    text = _MSG_VAR.sub(lambda m: str(row[m.group(1)]) if m.group(1) in row else m.group(0), str(message))
    return Literal(text, lang=message.language)


def _solutions(store: ox.Store, shape: SparqlShape, c: SparqlConstraint,
               focus: ox.NamedNode) -> Iterator[dict[str, Node]]:
    """The solutions of ``c`` with ``$this`` pre-bound to ``focus`` (SHACL §5.3.1), as rdflib rows."""
    try:
        solutions = store.query(c.select, use_default_graph_as_union=True, substitutions={_THIS: focus})
    except SyntaxError as exc:
        raise InputError(f"{shape.shape}: SPARQL constraint does not parse: {exc}") from exc
    except RuntimeError as exc:  # Oxigraph binds only projected variables: SHACL §5.1 asks for $this there
        raise InputError(f"{shape.shape}: a SPARQL constraint must project $this: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(f"{shape.shape}: a SPARQL constraint must be a SELECT query")
    names = [v.value for v in solutions.variables]
    for sol in solutions:
        row = {n: rdflib_term(sol[n]) for n in names if sol[n] is not None}
        row["this"] = rdflib_term(focus)
        yield row


def _add_result(report: Graph, shape: SparqlShape, c: SparqlConstraint, row: Mapping[str, Node]) -> None:
    this = row["this"]
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
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    if report_node is not None:
        report.add((report_node, SH.result, r))


def _text(shape: SparqlShape, c: SparqlConstraint, this: Node) -> str:
    """pySHACL's text form of one result."""
    return (f"Constraint {severity_name(shape.severity)} in SPARQLConstraintComponent: {shape.shape}\n"
            f"\tFocus Node: {this}\n\tMessage: {(c.messages or shape.messages or [''])[0]}\n")


def _bound_at_top(select: str) -> bool:
    """Whether every solution binds ``$this`` through the query's own top-level group: ``$this`` stands in a
    triple pattern (or ``GRAPH``/``VALUES``) directly in it — outside parentheses (FILTER, BIND), nested
    groups (OPTIONAL, UNION, MINUS, EXISTS) — and no sub-select gives it a scope of its own. Then the
    solutions of the query run once with ``$this`` free, kept for the focus nodes, are those of pre-binding
    each focus node (§5.3.1); Oxigraph plans a pre-bound or VALUES-bound ``$this`` as a scan per node
    (quadratic), the free query as one join."""
    from ..sparql import SparqlSyntaxError, tokens

    try:
        found = tokens(select)
    except SparqlSyntaxError:
        return False  # Oxigraph reports the query's error when it runs it
    if sum(1 for t in found if t.is_word("SELECT")) != 1:
        return False
    braces = parens = 0
    for t in found:
        if t.is_punct("{"):
            braces += 1
        elif t.is_punct("}"):
            braces -= 1
        elif t.is_punct("("):
            parens += 1
        elif t.is_punct(")"):
            parens -= 1
        elif braces == 1 and parens == 0 and t.kind.name == "VAR" and t.value == "this":
            return True
    return False


def _free(store: ox.Store, shape: SparqlShape, c: SparqlConstraint) -> Iterator[dict[str, Node]]:
    """One evaluation for all focus nodes (see :func:`_bound_at_top`), kept for the shape's focus nodes."""
    try:
        solutions = store.query(c.select, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise InputError(f"{shape.shape}: SPARQL constraint does not parse: {exc}") from exc
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(f"{shape.shape}: a SPARQL constraint must be a SELECT query")
    names = [v.value for v in solutions.variables]
    if "this" not in names:
        raise InputError(f"{shape.shape}: a SPARQL constraint must project $this")
    focus = set(shape.focus)
    for sol in solutions:
        if sol["this"] in focus:
            yield {n: rdflib_term(sol[n]) for n in names if sol[n] is not None}


def _rows(store: ox.Store, shape: SparqlShape, c: SparqlConstraint) -> Iterator[dict[str, Node]]:
    if shape.focus and c.free:
        yield from _free(store, shape, c)
        return
    for focus in shape.focus:
        yield from _solutions(store, shape, c, focus)


def evaluate(store: ox.Store, sparql_shapes: list[SparqlShape], report: Graph) -> str:
    """Run each constraint for the focus nodes of its shape; add the results to ``report``; return them as
    text (one result per focus node, path and value)."""
    lines: list[str] = []
    for shape in sparql_shapes:
        for c in shape.constraints:
            seen: set[tuple[Node | None, ...]] = set()
            for row in sorted(_rows(store, shape, c), key=lambda r: str(r["this"])):
                key = (row["this"], row.get("path"), row.get("value"))
                if key not in seen:
                    seen.add(key)
                    _add_result(report, shape, c, row)
                    lines.append(_text(shape, c, row["this"]))
    return "".join(lines)
