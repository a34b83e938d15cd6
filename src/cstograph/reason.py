"""OWL 2 RL reasoning with owlrl: the closure of ontology + data, kept apart from the asserted triples.

Only the *inferred* triples are returned, minus trivial ones (see :func:`is_trivial`); the asserted
graphs are never modified. owlrl reports clashes as ``err:error`` triples; they are turned into an
:class:`InconsistencyError`.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .errors import InconsistencyError
from .namespaces import PREFIXES

__all__ = ["ERROR_PREDICATE", "closure", "inferred_triples", "is_trivial"]

#: owlrl's predicate for reported clashes (owlrl.Namespaces.ERRNS.error).
ERROR_PREDICATE = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_REFLEXIVE = frozenset({OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty})


def _builtin(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN)


def is_trivial(s: Node, p: Node, o: Node) -> bool:
    """Inferences dropped from the published graph because they only add noise:

    - reflexive ``x owl:sameAs x``, ``x rdfs:subClassOf x``, ``x rdfs:subPropertyOf x``,
      ``x owl:equivalentClass x``, ``x owl:equivalentProperty x``;
    - ``x rdf:type owl:Thing`` / ``rdfs:Resource`` / ``owl:NamedIndividual``;
    - axiomatic triples about RDF, RDFS, OWL and XSD's own vocabulary (subject in those namespaces);
    - typing of properties and classes as ``rdf:Property`` / ``owl:Class`` / ``rdfs:Class``…, which
      restates declarations (object is a built-in term and predicate is rdf:type on a non-instance);
    - anything whose subject is a literal (not RDF) or that involves owlrl's clash vocabulary.
    """
    if isinstance(s, Literal) or p == ERROR_PREDICATE:
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return True
    if _builtin(s):
        return True
    if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty) and _builtin(o):
        return True
    if p == RDF.type and _builtin(o) and o not in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        # rdf:Property, rdfs:Class, rdfs:Datatype, owl:Ontology… restated about schema terms
        return True
    if p == RDF.type and o in (OWL.Class,) and isinstance(s, BNode):
        return True
    return False


def closure(graph: Graph) -> Graph:
    """The full OWL 2 RL closure of ``graph`` (a copy; ``graph`` is untouched)."""
    work = Graph()
    for t in graph:
        work.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return work


def _errors(graph: Graph) -> list[str]:
    return sorted(str(o) for o in graph.objects(None, ERROR_PREDICATE))


def inferred_triples(asserted: Iterable[Graph]) -> Graph:
    """The published inferred graph: closure(asserted) − asserted − trivial triples.

    Raises :class:`InconsistencyError` when owlrl reports a clash.
    """
    union = Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns, replace=True)
    for g in asserted:
        for t in g:
            union.add(t)
    full = closure(union)
    errors = _errors(full)
    if errors:
        raise InconsistencyError(errors)
    inferred = Graph()
    for prefix, ns in PREFIXES.items():
        inferred.bind(prefix, ns, replace=True)
    for s, p, o in full:
        if (s, p, o) in union or is_trivial(s, p, o):
            continue
        inferred.add((s, p, o))
    return inferred
