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


def triples(n: int, *, seed: int = 1, violations: int = 0) -> Iterator[Triple]:
    """About ``n`` triples of synthetic data (deterministic for a given ``seed``)."""
    rnd = random.Random(seed)
    units = max(1, n // 130)  # per unit of the mix below, about 130 triples
    n_states = min(max(4, units), 3 * 676)
    n_orgs = max(2, units // 4)
    states = [_id("state", _code(i)) for i in range(n_states)]
    orgs = [_id("organization", f"synth-org-{i}") for i in range(n_orgs)]
    sources = [_id("source", f"synth-src-{i}") for i in range(max(2, units // 2))]
    agents = states + orgs

    def labels(node: URIRef, text: str, *, ru: bool = True) -> Iterator[Triple]:
        yield node, RDFS.label, Literal(text, lang="en")
        if ru:
            yield node, RDFS.label, Literal(f"{text} (ru)", lang="ru")

    def cite(subject: URIRef) -> Iterator[Triple]:
        c = BNode()
        yield subject, _cst("citation"), c
        yield c, RDF.type, _cst("Citation")
        yield c, _cst("citedSource"), rnd.choice(sources)
        yield c, _cst("locator"), Literal(f"p. {rnd.randint(1, 300)}")

    def dated(node: URIRef, prop: str, day: Literal, *, point: bool) -> Iterator[Triple]:
        yield node, _cst(prop), day
        yield node, _cst("earliestStart"), day
        yield node, _cst("latestStart"), day
        if point:
            yield node, _cst("earliestEnd"), day
            yield node, _cst("latestEnd"), day

    for s in sources:
        yield s, RDF.type, _cst("SourceDocument")
        yield from labels(s, f"source {s.rsplit('/', 1)[1]}")
    for i, s in enumerate(states):
        yield s, RDF.type, _cst("State")
        yield from labels(s, f"state {i}", ru=i >= violations)
        yield s, _cst("iso3166Alpha3"), Literal(_code(i))
        yield s, _cst("borders"), states[(i + 1) % n_states]
    for i, o in enumerate(orgs):
        yield o, RDF.type, _cst("InternationalOrganization")
        yield from labels(o, f"organization {i}")

    spell = 0
    for u in range(units):
        # memberships (2 per unit), one per (state, organization): member / memberOf → inverses, chain isMemberOf
        for k in range(2):
            m = _id("membership", f"synth-{u}-{k}")
            state, org = states[spell % n_states], orgs[(spell // n_states + spell) % n_orgs]
            spell += 1
            yield m, RDF.type, _cst("Membership")
            yield from labels(m, f"membership {u}-{k}")
            yield m, _cst("member"), state
            yield m, _cst("memberOf"), org
            yield from dated(m, "startDate", _date(1992 + rnd.randint(0, 30), 1, 1), point=False)
            yield from cite(m)
        # events (3 per unit) with participants (subproperties of cst:participant)
        for k in range(3):
            e = _id("event", f"synth-{u}-{k}")
            yield e, RDF.type, _cst(rnd.choice(_EVENT_CLASSES))
            yield from labels(e, f"event {u}-{k}")
            yield from dated(e, "date", _date(2000 + rnd.randint(0, 24), rnd.randint(1, 9), 10 + k), point=True)
            for who in rnd.sample(agents, rnd.randint(1, 3)):
                yield e, _cst(rnd.choice(_PARTICIPANT_PROPS)), who
            if k:
                yield e, _cst("subEventOf"), _id("event", f"synth-{u}-0")
            yield from cite(e)
        # one treaty, two articles, each with two paragraphs (transitive isPartOf), one version each
        t = _id("treaty", f"synth-{u}")
        yield t, RDF.type, _cst("Treaty")
        yield from labels(t, f"treaty {u}")
        yield from cite(t)
        for a in range(2):
            art = _id("article", f"synth-{u}-{a}")
            yield art, RDF.type, _cst("Article")
            yield from labels(art, f"treaty {u} article {a + 1}")
            yield art, _cst("isPartOf"), t
            yield art, _cst("articleNumber"), Literal(str(a + 1))
            for p in range(2):
                par = _id("article", f"synth-{u}-{a}-{p}")
                yield par, RDF.type, _cst("Paragraph")
                yield from labels(par, f"treaty {u} article {a + 1} paragraph {p + 1}")
                yield par, _cst("isPartOf"), art
            v = _id("article-version", f"synth-{u}-{a}-v1")
            yield v, RDF.type, _cst("ArticleVersion")
            yield from labels(v, f"treaty {u} article {a + 1}, version 1")
            yield v, _cst("versionOf"), art
            yield v, _cst("validFrom"), _date(2002, 10, 7)
            yield from cite(v)
        # two claims that contradict each other (symmetric)
        c1, c2 = _id("claim", f"synth-{u}-a"), _id("claim", f"synth-{u}-b")
        for c in (c1, c2):
            yield c, RDF.type, _cst("Claim")
            yield c, _cst("claimText"), Literal(f"claim {c.rsplit('/', 1)[1]}", lang="en")
            yield c, _cst("about"), t
            yield from cite(c)
        yield c1, _cst("contradicts"), c2


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
