"""A user's triples validated together with a project that is read once (``POST /shacl``'s validation
processes; the CLI's ``validate FILE`` builds its dataset each time and calls :func:`validate_dataset`).

:class:`ProjectValidator` keeps the project's graphs in an Oxigraph store of its own and the shapes read and
compiled (``_validate.StoreValidator``). Each :meth:`ProjectValidator.validate` adds the user's triples to that
store as one more named graph, validates the union (SHACL Core by pyshacl-turbo, SHACL-SPARQL in Oxigraph),
locates each result (``_locate``: the graphs of its triples, read from the same store), and removes the graph
again, under a lock: one validation at a time, and the next one sees the project as it was. The report is the
one :func:`validate_dataset` gives for the project's graphs and the same triples in a graph of their own
(``tests/validate/test_posted.py`` compares both).

Why the whole union and not only the user's nodes as focus nodes: a user's triples change the results of
project nodes too, and the report shows those (an added membership that overlaps an existing one is reported
on the existing one, ``MembershipOverlapShape``); the Turtle report holds every result.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import ONTOLOGY_GRAPH, RDFS, rdflib_term, to_ox
from ._core import CoreEngine
from ._locate import ValidationReport, locate_outcome
from ._results import ValidationOutcome
from ._sparql import Focus
from ._validate import StoreValidator

__all__ = ["ProjectValidator"]

#: Anything with RDF terms as ``subject``, ``predicate`` and ``object`` (``ox.Triple``, ``ox.Quad``).
_Statement = ox.Triple | ox.Quad
_SUBCLASS = to_ox(RDFS.subClassOf)


class ProjectValidator:
    """The project's graphs (``quads``, the ontology graph among them) and ``shapes``, read once.

    >>> import pyoxigraph as ox
    >>> from rdflib import Graph, URIRef
    >>> shapes = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ;
    ...         sh:property [ sh:path <http://e/p> ; sh:minCount 1 ] .''')
    >>> project = [ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"),
    ...                    ox.NamedNode("http://e/graph/data"))]
    >>> validator = ProjectValidator(shapes, project)
    >>> added = [ox.Triple(ox.NamedNode("http://e/b"),
    ...                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode("http://e/C"))]
    >>> report = validator.validate(added, graph=URIRef("urn:mine"))
    >>> report.conforms, [str(r.result.focus_node) for r in report.shown()]
    (False, ['http://e/b'])
    >>> validator.validate([], graph=URIRef("urn:mine")).conforms  # the added triples are gone again
    True
    """

    def __init__(self, shapes: Graph, quads: Iterable[ox.Quad], *, ontology_graph: URIRef = ONTOLOGY_GRAPH,
                 engine: CoreEngine = "turbo") -> None:
        self._store = ox.Store()
        self._store.bulk_extend(quads)
        self._graphs = frozenset(g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        self._ontology = ox.NamedNode(str(ontology_graph))
        self._validator = StoreValidator(shapes, engine=engine)
        #: the project as N-Quads, for SHACL Core (which reads a store as that text): written once
        self._nquads = (self._store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
        self._lock = threading.Lock()
        #: the focus nodes of the SHACL-SPARQL shapes in the project
        self._focus = self._validator.plan.focus(self._store)
        with self._lock:
            self._project = self._validator.validate(self._store, nquads=self._nquads, focus=self._focus)

    @property
    def project_outcome(self) -> ValidationOutcome:
        """The outcome of the project alone."""
        return self._project

    def validate(self, triples: Iterable[_Statement], *, graph: URIRef,
                 sources: Mapping[URIRef, str] | None = None) -> ValidationReport:
        """Validate the project with ``triples`` added in the named graph ``graph`` (a quad's own graph name
        is not kept) and locate the results: those that involve ``triples`` are the report's
        :meth:`~ValidationReport.shown` ones. Raises :class:`ValueError` when ``graph`` is a project graph."""
        name = ox.NamedNode(str(graph))
        if name in self._graphs:
            raise ValueError(f"{graph} is a graph of the project")
        added = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        with self._lock:
            self._store.bulk_extend(added)
            try:
                nquads = self._nquads + (ox.serialize(added, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
                outcome = self._validator.validate(self._store, nquads=nquads, focus=self._focus_with(added, name))
                return locate_outcome(outcome, self._triples_of, user_graphs=[graph], sources=sources)
            finally:
                self._store.remove_graph(name)

    def _focus_with(self, added: Sequence[ox.Quad], name: ox.NamedNode) -> Focus | None:
        """The focus nodes of the SHACL-SPARQL shapes with ``added`` in the store: the project's and those that
        ``added`` makes (SHACL §2.1.3: an instance, a subject, an object) — or ``None`` (all found anew) when
        ``added`` changes the class hierarchy, on which the project's own focus nodes depend."""
        if any(q.predicate == _SUBCLASS for q in added):
            return None
        plan = self._validator.plan
        return plan.union(self._focus, plan.focus(self._store, graph=name))

    def _triples_of(self, node: Node) -> Sequence[tuple[Node, Node, URIRef]]:
        """A subject's triples with their graph, the ontology graph left out."""
        if isinstance(node, Literal):
            return ()
        return [(rdflib_term(q.predicate), rdflib_term(q.object), URIRef(q.graph_name.value))
                for q in self._store.quads_for_pattern(to_ox(node), None, None, None)  # type: ignore[arg-type]
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != self._ontology]
