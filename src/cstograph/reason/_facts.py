"""The fact base of the fast engine: triples with their derivation rank, indexed for the rules' joins."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence

from rdflib.term import Node

from ..namespaces import RDF_TYPE

__all__ = ["Derivation", "Facts", "Triple", "Why", "chain_paths", "chain_paths_back"]

Triple = tuple[Node, Node, Node]
#: One rule instance: (rule id, the schema axiom it used, as text; the premises).
Derivation = tuple[str, str, list[Triple]]
#: How an explanation names a schema axiom (``s p o``), with the asserted path that entails it.
Why = Callable[[Node, Node, Node], str]


class Facts:
    """Triples with their derivation rank (0 = given) and the indexes the rules join on.

    ``out[p][s]`` holds the objects of ``s p ?``; ``inn[p][o]`` the subjects of ``? p o``; ``queue`` the
    triples not yet given to the rules (each is processed once: a semi-naive fixpoint).
    """

    def __init__(self) -> None:
        self.rank: dict[Triple, int] = {}
        self.out: defaultdict[Node, defaultdict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.inn: defaultdict[Node, defaultdict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.queue: deque[Triple] = deque()

    def add(self, t: Triple, rank: int) -> None:
        if t in self.rank:
            return
        s, p, o = t
        self.rank[t] = rank
        self.out[p][s].add(o)
        self.inn[p][o].add(s)
        self.queue.append(t)

    def below(self, rank: int) -> Callable[[Triple], bool]:
        """A test: is a triple known with a rank lower than ``rank`` (a premise that ends recursion)?"""
        return lambda u: self.rank.get(u, rank) < rank

    def types(self) -> Iterator[tuple[Node, Node]]:
        """Every ``(x, C)`` with ``x rdf:type C`` known."""
        for o, subjects in self.inn[RDF_TYPE].items():
            for s in subjects:
                yield s, o


def chain_paths(facts: Facts, steps: Sequence[Node], start: Node) -> Iterator[tuple[Node, list[Triple]]]:
    """Every ``z`` reachable from ``start`` along ``steps``, with the triples of the path."""
    frontier: list[tuple[Node, list[Triple]]] = [(start, [])]
    for p in steps:
        frontier = [(z, [*path, (node, p, z)]) for node, path in frontier for z in facts.out[p].get(node, ())]
    yield from frontier


def chain_paths_back(facts: Facts, steps: Sequence[Node], end: Node) -> Iterator[tuple[Node, list[Triple]]]:
    """Every ``x`` from which ``end`` is reached along ``steps``, with the triples of the path."""
    frontier: list[tuple[Node, list[Triple]]] = [(end, [])]
    for p in reversed(steps):
        frontier = [(x, [(x, p, node), *path]) for node, path in frontier for x in facts.inn[p].get(node, ())]
    yield from frontier
