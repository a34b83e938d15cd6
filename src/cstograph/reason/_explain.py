"""Explanations: how an inferred triple follows from asserted ones, rule by rule (``cstograph reason
--explain``). Each step names the OWL 2 RL rule id and the schema axiom it used; premises have a lower
derivation rank than their conclusion, so every explanation ends in asserted triples."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from ..namespaces import OWL, RDF, RDFS, expand, n3
from ._cax import cax_sco_back
from ._engine import union
from ._facts import Derivation, Triple
from ._fixpoint import fast_closure
from ._prp import BACKWARD, BACKWARD_TYPE
from ._trivial import is_trivial

__all__ = ["Explainer", "Step", "explain", "triple_text"]

#: Rules tried for an ``rdf:type`` triple, in order (the first found is the one shown).
_BACKWARD_TYPE = (cax_sco_back, *BACKWARD_TYPE)


def triple_text(t: Triple) -> str:
    s, p, o = t
    return f"{n3(s)} {'a' if p == RDF.type else n3(p)} {n3(o)}"


@dataclass(frozen=True, slots=True)
class Step:
    """How one triple holds: asserted, from the schema closure, or by ``rule`` from ``premises``."""

    triple: Triple
    rule: str  # "asserted", "schema", or an OWL 2 RL rule id
    axiom: str = ""
    premises: tuple[Step, ...] = ()

    def render(self, indent: int = 0) -> str:
        pad = "  " * indent
        head = f"{pad}{triple_text(self.triple)}"
        if self.rule == "asserted":
            return head + "   [asserted]"
        if self.rule == "schema":
            return head + f"   [schema closure: {self.axiom}]"
        lines = [head, f"{pad}  ⇐ {self.rule}: {self.axiom}"]
        lines += [p.render(indent + 2) for p in self.premises]
        return "\n".join(lines)


class Explainer:
    """The fast engine's closure of ``union`` with each triple's rank, and the rules run backwards."""

    def __init__(self, union: Graph) -> None:
        self.union = union
        self.schema, self.facts = fast_closure(union)

    def _schema_why(self, s: Node, p: Node, o: Node) -> str:
        """The axiom ``s p o`` as text, with the asserted path that entails it when it is not asserted."""
        text = triple_text((s, p, o))
        if (s, p, o) in self.union:
            return text
        if p in (RDFS.subClassOf, RDFS.subPropertyOf):  # show the asserted path (scm-sco / scm-spo)
            path = self._path(s, o, p)
            if path:
                return text + " (entailed: " + " ⊑ ".join(n3(n) for n in path) + ")"
        if p in (RDFS.domain, RDFS.range):  # scm-dom1/scm-rng1 (superclass), scm-dom2/scm-rng2 (subproperty)
            for q in (s, *sorted(self.schema.superproperties.get(s, ()), key=str)):
                for d0 in self.union.objects(q, p):
                    hierarchy = " ⊑ ".join(n3(n) for n in self._path(d0, o, RDFS.subClassOf))
                    if hierarchy:
                        via = "" if q == s else f"{n3(s)} ⊑ {n3(q)}, "
                        return text + f" (entailed: {via}{n3(q)} {n3(p)} {hierarchy})"
        return text + " (entailed by the schema closure, scm-* rules)"

    def _path(self, a: Node, b: Node, p: Node) -> list[Node]:
        """The asserted ``p`` path (through equivalences too) from ``a`` to ``b``, breadth first."""
        prev: dict[Node, Node | None] = {a: None}
        todo = deque([a])
        while todo:
            x = todo.popleft()
            if x == b:
                path = [x]
                while (before := prev[path[-1]]) is not None:
                    path.append(before)
                return path[::-1]
            for y in (*self.union.objects(x, p), *self.union.objects(x, OWL.equivalentClass),
                      *self.union.subjects(OWL.equivalentClass, x)):
                if y not in prev:
                    prev[y] = x
                    todo.append(y)
        return []

    def one_step(self, t: Triple) -> Derivation | None:
        """A rule instance deriving ``t`` from premises of lower rank (so the recursion terminates)."""
        return next(self.derivations(t), None)

    def derivations(self, t: Triple) -> Iterator[Derivation]:
        """Every one-step rule instance (rule id, axiom, premises) deriving ``t`` from lower-rank premises."""
        r = self.facts.rank.get(t)
        if r is None:
            return
        ok = self.facts.below(r)
        for rule in _BACKWARD_TYPE if t[1] == RDF.type else BACKWARD:
            yield from rule(self.schema, self.facts, t, ok, self._schema_why)

    def step(self, t: Triple) -> Step:
        if t in self.union:
            return Step(t, "asserted")
        found = self.one_step(t)
        if found is None:
            return Step(t, "schema", "owlrl scm-* rules over the ontology")
        rule, axiom, premises = found
        return Step(t, rule, axiom, tuple(self.step(u) for u in premises))


def _parse_term(token: str) -> Node:
    token = token.strip()
    if token == "a":
        return RDF.type
    if token.startswith(("http://", "https://", "urn:")):
        return expand(f"<{token}>")
    try:
        return expand(token)
    except ValueError:
        raise ValueError(f"cannot read {token!r} as an IRI (use <…>, a full IRI, or a known prefix: "
                         "cst:, state:…)") from None


def explain(asserted: Iterable[Graph], query: str) -> list[Step]:
    """Derivations of inferred triples: ``query`` is ``"S P O"`` (one triple) or ``"S"`` (every inferred
    triple about S). Terms are prefixed names (``state:ARM``, ``cst:isMemberOf``), ``<IRI>``s or ``a``.

    Raises :class:`ValueError` for an unreadable query or a triple that is neither asserted nor inferred.
    """
    whole = union(asserted)
    ex = Explainer(whole)
    tokens = query.split()
    if len(tokens) == 3:
        t = (_parse_term(tokens[0]), _parse_term(tokens[1]), _parse_term(tokens[2]))
        if t not in ex.facts.rank:
            raise ValueError(f"{triple_text(t)} is neither asserted nor inferred")
        return [ex.step(t)]
    if len(tokens) != 1:
        raise ValueError("give one IRI, or a triple as three terms: \"S P O\"")
    subject = _parse_term(tokens[0])
    triples = sorted((t for t in ex.facts.rank if t[0] == subject and t not in whole and not is_trivial(*t)),
                     key=lambda t: (str(t[1]), str(t[2])))
    return [ex.step(t) for t in triples]
