"""The reference engine: owlrl's full OWL 2 RL closure, and its clashes (``err:error`` triples) explained
where we can (``cax-dw``/``cax-adc`` by :func:`~._cax.clashes`, ``eq-diff1`` after ``prp-fp``)."""

from __future__ import annotations

from rdflib import Graph

from ..namespaces import OWL, RDF, n3
from ._cax import clashes
from ._scm import Schema, is_schema_triple, owlrl_closure
from ._trivial import ERROR_PREDICATE

__all__ = ["closure", "owlrl_clash_messages"]


def closure(graph: Graph) -> Graph:
    """The full OWL 2 RL closure of ``graph`` by owlrl (a copy; ``graph`` is untouched)."""
    work = Graph()
    for t in graph:
        work.add(t)
    owlrl_closure(work)
    return work


def _same_and_different(full: Graph) -> list[str]:
    """eq-diff1: T(?x, owl:sameAs, ?y) T(?x, owl:differentFrom, ?y) → false, with the prp-fp instances
    (T(?p, rdf:type, owl:FunctionalProperty) T(?x, ?p, ?y1) T(?x, ?p, ?y2) → T(?y1, owl:sameAs, ?y2))."""
    messages = []
    for x, y in full.subject_objects(OWL.differentFrom):
        if (x, OWL.sameAs, y) in full or (y, OWL.sameAs, x) in full:
            why = [f"{n3(fp)} is an owl:FunctionalProperty and {n3(z)} {n3(fp)} both"
                   for fp in full.subjects(RDF.type, OWL.FunctionalProperty)
                   for z in full.subjects(fp, x) if (z, fp, y) in full]
            messages.append(f"{n3(x)} and {n3(y)} are declared owl:differentFrom but inferred "
                            f"owl:sameAs{' (prp-fp: ' + '; '.join(why) + ')' if why else ''} [eq-diff1]")
    return messages


def owlrl_clash_messages(full: Graph, asserted: Graph | None = None) -> list[str]:
    """owlrl's err:error triples, explained where we can (disjointness, sameAs/differentFrom)."""
    raw = sorted(str(o) for o in full.objects(None, ERROR_PREDICATE))
    if not raw:
        return []
    schema = Schema.from_triples(t for t in full if is_schema_triple(t))
    messages = clashes(schema, full.triples((None, RDF.type, None)), asserted)
    messages += _same_and_different(full)
    explained = bool(messages)
    for m in raw:
        if not (explained and ("Disjoint" in m or "differentFrom" in m)):
            messages.append(f"owlrl: {m}")
    return messages
