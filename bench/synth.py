"""Synthetic data of the cstograph ontology's shape that passes the project's own shapes and checks, for
the scale benchmarks (and, with ``--violations N``, exactly N seeded SHACL violations).

The generator mimics the real data's patterns, scaled up: states (ISO-like codes, borders) and
organizations, memberships linking them (``cst:member`` / ``cst:memberOf``, so that inverses and the
``cst:isMemberOf`` chain fire; one spell per state and organization, so they never overlap), events of
several subclasses with participants (subproperties of ``cst:participant``, domains and ranges), treaties
with articles and paragraphs (``cst:isPartOf``, transitive), article versions, claims that contradict each
other (symmetric), and on every fact a ``cst:citation`` blank node with ``cst:citedSource`` (the
``cst:source`` chain). Every named resource has one English and one Russian label; every dated node its
``xsd:date`` bounds.

    python bench/synth.py 100000 -o /tmp/synth-100k.nt
    python bench/synth.py 10000 --violations 25 -o /tmp/synth-10k-bad.nt   # 25 sh:Violation results

The output is N-Triples; the size is approximate (within a few percent). Seeded violations: each of the
first N states loses its Russian label (``shape:LabelledShape-labelRu``), one result each.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://w3id.org/cstograph/"
CST = BASE + "ontology#"

__all__ = ["generate", "triples", "write_ntriples"]

#: Event classes with no requirement beyond a date, a label and a citation (no responses, requests, conflicts).
_EVENT_CLASSES = ("Exercise", "Meeting", "Statement", "Signing", "Accession", "Operation")
#: (no cst:contributor, which needs a cst:Contribution; an agent is never listed again as participant)
_PARTICIPANT_PROPS = ("participant", "agent", "conductedBy")
Triple = tuple[object, object, object]


def _cst(name: str) -> URIRef:
    return URIRef(CST + name)


def _id(kind: str, slug: str) -> URIRef:
    return URIRef(f"{BASE}id/{kind}/{slug}")


def _code(i: int) -> str:
    """A three-letter code (never a real one: it starts with Q, X or Z, ISO's user-assigned ranges)."""
    first = "QXZ"[i // 676 % 3]
    return first + chr(65 + i // 26 % 26) + chr(65 + i % 26)


def _date(y: int, m: int, d: int) -> Literal:
    return Literal(f"{y:04d}-{m:02d}-{d:02d}", datatype=XSD.date)


class _World:
    """The fixed resources of one run and the helpers every unit uses."""

    def __init__(self, units: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        n_states = min(max(4, units), 3 * 676)
        self.states = [_id("state", _code(i)) for i in range(n_states)]
        self.orgs = [_id("organization", f"synth-org-{i}") for i in range(max(2, units // 4))]
        self.sources = [_id("source", f"synth-src-{i}") for i in range(max(2, units // 2))]
        self.agents = self.states + self.orgs
        self.spell = 0

    def labels(self, node: URIRef, text: str, *, ru: bool = True) -> Iterator[Triple]:
        yield node, RDFS.label, Literal(text, lang="en")
        if ru:
            yield node, RDFS.label, Literal(f"{text} (ru)", lang="ru")

    def cite(self, subject: URIRef) -> Iterator[Triple]:
        c = BNode()
        yield subject, _cst("citation"), c
        yield c, RDF.type, _cst("Citation")
        yield c, _cst("citedSource"), self.rnd.choice(self.sources)
        yield c, _cst("locator"), Literal(f"p. {self.rnd.randint(1, 300)}")

    @staticmethod
    def dated(node: URIRef, prop: str, day: Literal, *, point: bool) -> Iterator[Triple]:
        yield node, _cst(prop), day
        yield node, _cst("earliestStart"), day
        yield node, _cst("latestStart"), day
        if point:
            yield node, _cst("earliestEnd"), day
            yield node, _cst("latestEnd"), day


def _fixed(w: _World, violations: int) -> Iterator[Triple]:
    for s in w.sources:
        yield s, RDF.type, _cst("SourceDocument")
        yield from w.labels(s, f"source {s.rsplit('/', 1)[1]}")
    for i, s in enumerate(w.states):
        yield s, RDF.type, _cst("State")
        yield from w.labels(s, f"state {i}", ru=i >= violations)
        yield s, _cst("iso3166Alpha3"), Literal(_code(i))
        yield s, _cst("borders"), w.states[(i + 1) % len(w.states)]
    for i, o in enumerate(w.orgs):
        yield o, RDF.type, _cst("InternationalOrganization")
        yield from w.labels(o, f"organization {i}")


def _memberships(w: _World, u: int) -> Iterator[Triple]:
    """Two per unit, one per (state, organization): member / memberOf → inverses, the isMemberOf chain."""
    for k in range(2):
        m = _id("membership", f"synth-{u}-{k}")
        n = len(w.states)
        state, org = w.states[w.spell % n], w.orgs[(w.spell // n + w.spell) % len(w.orgs)]
        w.spell += 1
        yield m, RDF.type, _cst("Membership")
        yield from w.labels(m, f"membership {u}-{k}")
        yield m, _cst("member"), state
        yield m, _cst("memberOf"), org
        yield from w.dated(m, "startDate", _date(1992 + w.rnd.randint(0, 30), 1, 1), point=False)
        yield from w.cite(m)


def _events(w: _World, u: int) -> Iterator[Triple]:
    """Three per unit, with participants (subproperties of cst:participant)."""
    for k in range(3):
        e = _id("event", f"synth-{u}-{k}")
        yield e, RDF.type, _cst(w.rnd.choice(_EVENT_CLASSES))
        yield from w.labels(e, f"event {u}-{k}")
        yield from w.dated(e, "date", _date(2000 + w.rnd.randint(0, 24), w.rnd.randint(1, 9), 10 + k), point=True)
        for who in w.rnd.sample(w.agents, w.rnd.randint(1, 3)):
            yield e, _cst(w.rnd.choice(_PARTICIPANT_PROPS)), who
        if k:
            yield e, _cst("subEventOf"), _id("event", f"synth-{u}-0")
        yield from w.cite(e)


def _treaty(w: _World, u: int) -> Iterator[Triple]:
    """A treaty, two articles of two paragraphs each (transitive isPartOf), one version each."""
    t = _id("treaty", f"synth-{u}")
    yield t, RDF.type, _cst("Treaty")
    yield from w.labels(t, f"treaty {u}")
    yield from w.cite(t)
    for a in range(2):
        art = _id("article", f"synth-{u}-{a}")
        yield art, RDF.type, _cst("Article")
        yield from w.labels(art, f"treaty {u} article {a + 1}")
        yield art, _cst("isPartOf"), t
        yield art, _cst("articleNumber"), Literal(str(a + 1))
        for p in range(2):
            par = _id("article", f"synth-{u}-{a}-{p}")
            yield par, RDF.type, _cst("Paragraph")
            yield from w.labels(par, f"treaty {u} article {a + 1} paragraph {p + 1}")
            yield par, _cst("isPartOf"), art
        v = _id("article-version", f"synth-{u}-{a}-v1")
        yield v, RDF.type, _cst("ArticleVersion")
        yield from w.labels(v, f"treaty {u} article {a + 1}, version 1")
        yield v, _cst("versionOf"), art
        yield v, _cst("validFrom"), _date(2002, 10, 7)
        yield from w.cite(v)
    # two claims about it that contradict each other (symmetric)
    c1, c2 = _id("claim", f"synth-{u}-a"), _id("claim", f"synth-{u}-b")
    for c in (c1, c2):
        yield c, RDF.type, _cst("Claim")
        yield c, _cst("claimText"), Literal(f"claim {c.rsplit('/', 1)[1]}", lang="en")
        yield c, _cst("about"), t
        yield from w.cite(c)
    yield c1, _cst("contradicts"), c2


def triples(n: int, *, seed: int = 1, violations: int = 0) -> Iterator[Triple]:
    """About ``n`` triples of synthetic data (deterministic for a given ``seed``)."""
    units = max(1, n // 130)  # per unit of the mix below, about 130 triples
    w = _World(units, seed)
    yield from _fixed(w, violations)
    for u in range(units):
        yield from _memberships(w, u)
        yield from _events(w, u)
        yield from _treaty(w, u)


def generate(n: int, *, seed: int = 1, violations: int = 0) -> Graph:
    """A graph of about ``n`` synthetic triples."""
    g = Graph()
    for t in triples(n, seed=seed, violations=violations):
        g.add(t)  # type: ignore[arg-type]
    return g


def write_ntriples(n: int, path: Path, *, seed: int = 1, violations: int = 0) -> int:
    """Stream about ``n`` triples to ``path`` as N-Triples (nothing held in memory); returns the count."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for s, p, o in triples(n, seed=seed, violations=violations):
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")  # type: ignore[attr-defined]
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("size", type=int, help="approximate number of triples")
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Triples file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", type=int, default=0, help="seed exactly this many SHACL violations")
    args = parser.parse_args()
    count = write_ntriples(args.size, args.output, seed=args.seed, violations=args.violations)
    print(f"{count} triples written to {args.output}")


if __name__ == "__main__":
    main()
