"""What the published inferred graph leaves out: trivial inferences and owlrl's clash vocabulary.

Dropped (:func:`is_trivial`):

- reflexive ``x owl:sameAs x``, ``x rdfs:subClassOf x``, ``x rdfs:subPropertyOf x``,
  ``x owl:equivalentClass x``, ``x owl:equivalentProperty x`` (owlrl adds one per term);
- ``x rdf:type owl:Thing`` / ``rdfs:Resource`` / ``owl:NamedIndividual``;
- triples whose subject is a term of RDF, RDFS, OWL or XSD (axiomatic triples about their own vocabulary,
  e.g. ``owl:Nothing rdfs:subClassOf cst:State``);
- ``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` / equivalences *to* a built-in term
  (``cst:State rdfs:subClassOf owl:Thing``);
- ``rdf:type`` to built-in classes other than ``owl:Class``, ``owl:ObjectProperty``,
  ``owl:DatatypeProperty`` (``rdfs:label a owl:AnnotationProperty``, ``xsd:date a rdfs:Datatype``), and
  ``owl:Class`` typing of blank nodes;
- triples with a literal subject (``"2022-01-05"^^xsd:date a xsd:date``), which RDF cannot publish;
- owlrl's clash vocabulary (``err:error``), which becomes an :class:`~cstograph.errors.InconsistencyError`.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..namespaces import ERR, OWL, RDF, RDF_TYPE, RDFS, XSD

__all__ = ["ERROR_PREDICATE", "is_trivial"]

#: owlrl's predicate for reported clashes (owlrl.Namespaces.ERRNS.error).
ERROR_PREDICATE = ERR.error
_ERROR_CLASS = ERR.ErrorMessage

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_REFLEXIVE = frozenset({OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty})
_HIERARCHY = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
_KEPT_BUILTIN_TYPES = frozenset({OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty})
# One-element sets: ``x in _TYPE`` is ``x == rdf:type`` without rdflib's Python-level ``__eq__`` for every
# other term (a set lookup compares hashes first).
_TYPE = frozenset({RDF_TYPE})
_CLASS = frozenset({OWL.Class})
_ERROR_P = frozenset({ERROR_PREDICATE})
_ERROR_O = frozenset({_ERROR_CLASS})
_HIERARCHY_SET = frozenset(_HIERARCHY)


def _builtin(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN)


def _trivial_type(s: Node, o: Node) -> bool:
    if o in _TRIVIAL_TYPES:
        return True
    if _builtin(o) and o not in _KEPT_BUILTIN_TYPES:
        return True
    return o in _CLASS and isinstance(s, BNode)


def is_trivial(s: Node, p: Node, o: Node) -> bool:
    """True for an inference dropped from the published graph (the list is in the module docstring)."""
    if isinstance(s, Literal) or p in _ERROR_P or o in _ERROR_O or _builtin(s):
        return True
    if p in _TYPE:
        return _trivial_type(s, o)
    if p in _REFLEXIVE and s == o:
        return True
    return p in _HIERARCHY_SET and _builtin(o)
