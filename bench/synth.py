"""Synthetic data of the cstograph ontology's shape, for reasoning benchmarks.

The generator mimics the real data's patterns, scaled up: states (with borders), organizations,
memberships linking them (``cst:member`` / ``cst:memberOf``, so that inverses and the
``cst:isMemberOf`` chain fire), events of many subclasses with participants (subproperties of
``cst:participant``, domains and ranges), treaties with articles and paragraphs (``cst:isPartOf``,
transitive), article versions, claims that contradict each other (symmetric), and on every fact a
``cst:citation`` blank node with ``cst:citedSource`` (the ``cst:source`` property chain).

    python bench/synth.py 100000 -o /tmp/synth-100k.ttl

The output is N-Triples; the size is approximate (within a few percent).
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

_EVENT_CLASSES = ("Deployment", "ArmedConflict", "BorderClash", "Exercise", "Meeting", "Statement",
                  "RequestForAssistance", "Mission", "Unrest", "Signing", "Accession", "Operation")
_PARTICIPANT_PROPS = ("participant", "agent", "contributor", "conductedBy", "participantAsMember")


def _cst(name: str) -> URIRef:
    return URIRef(CST + name)


def _id(kind: str, slug: str) -> URIRef:
    return URIRef(f"{BASE}id/{kind}/{slug}")


def triples(n: int, *, seed: int = 1) -> Iterator[tuple[object, object, object]]:
    """About ``n`` triples of synthetic data (deterministic for a given ``seed``)."""
    rnd = random.Random(seed)
    # Per "unit" of the mix below we emit roughly 100 triples.
    units = max(1, n // 100)
    n_states = max(4, units * 2)
    n_orgs = max(2, units // 2)
    n_sources = max(2, units)
    states = [_id("state", f"S{i:06d}") for i in range(n_states)]
    orgs = [_id("organization", f"org-{i}") for i in range(n_orgs)]
    sources = [_id("source", f"src-{i}") for i in range(n_sources)]

    def cite(subject: URIRef) -> Iterator[tuple[object, object, object]]:
        c = BNode()
        yield subject, _cst("citation"), c
        yield c, RDF.type, _cst("Citation")
        yield c, _cst("citedSource"), rnd.choice(sources)
        yield c, _cst("locator"), Literal(f"p. {rnd.randint(1, 300)}")

    for s in sources:
        yield s, RDF.type, _cst("SourceDocument")
        yield s, RDFS.label, Literal(f"source {s.rsplit('/', 1)[1]}", lang="en")
    for i, s in enumerate(states):
        yield s, RDF.type, _cst("State")
        yield s, RDFS.label, Literal(f"state {i}", lang="en")
        yield s, _cst("borders"), states[(i + 1) % n_states]
    for i, o in enumerate(orgs):
        yield o, RDF.type, _cst("InternationalOrganization")
        yield o, RDFS.label, Literal(f"organization {i}", lang="en")
        yield from cite(o)

    for u in range(units):
        # memberships (2 per unit): member / memberOf → inverses, chain isMemberOf, domains/ranges
        for k in range(2):
            m = _id("membership", f"m-{u}-{k}")
            yield m, RDF.type, _cst("Membership")
            yield m, _cst("member"), rnd.choice(states)
            yield m, _cst("memberOf"), rnd.choice(orgs)
            yield m, _cst("startDate"), Literal(f"{1992 + rnd.randint(0, 30)}-01-01", datatype=XSD.date)
            yield from cite(m)
        # events (3 per unit) with participants (subproperties of cst:participant)
        for k in range(3):
            e = _id("event", f"e-{u}-{k}")
            yield e, RDF.type, _cst(rnd.choice(_EVENT_CLASSES))
            yield e, RDFS.label, Literal(f"event {u}-{k}", lang="en")
            yield e, _cst("date"), Literal(f"{2000 + rnd.randint(0, 24)}-0{rnd.randint(1, 9)}-1{k}", datatype=XSD.date)
            for _ in range(rnd.randint(1, 3)):
                yield e, _cst(rnd.choice(_PARTICIPANT_PROPS)), rnd.choice(states + orgs)
            if k:
                yield e, _cst("subEventOf"), _id("event", f"e-{u}-0")
            yield from cite(e)
        # one treaty, two articles, each with two paragraphs (transitive isPartOf), one version each
        t = _id("treaty", f"t-{u}")
        yield t, RDF.type, _cst("Treaty")
        yield t, RDFS.label, Literal(f"treaty {u}", lang="en")
        yield from cite(t)
        for a in range(2):
            art = _id("article", f"t-{u}-{a}")
            yield art, RDF.type, _cst("Article")
            yield art, _cst("isPartOf"), t
            yield art, _cst("articleNumber"), Literal(str(a + 1))
            for p in range(2):
                par = _id("article", f"t-{u}-{a}-{p}")
                yield par, RDF.type, _cst("Paragraph")
                yield par, _cst("isPartOf"), art
            v = _id("article-version", f"t-{u}-{a}-v1")
            yield v, RDF.type, _cst("ArticleVersion")
            yield v, _cst("versionOf"), art
            yield v, _cst("validFrom"), Literal("2002-10-07", datatype=XSD.date)
            yield from cite(v)
        # two claims that contradict each other (symmetric)
        c1, c2 = _id("claim", f"c-{u}-a"), _id("claim", f"c-{u}-b")
        for c in (c1, c2):
            yield c, RDF.type, _cst("Claim")
            yield c, _cst("claimText"), Literal(f"claim {c.rsplit('/', 1)[1]}", lang="en")
            yield c, _cst("about"), t
            yield from cite(c)
        yield c1, _cst("contradicts"), c2


def generate(n: int, *, seed: int = 1) -> Graph:
    """A graph of about ``n`` synthetic triples."""
    g = Graph()
    for t in triples(n, seed=seed):
        g.add(t)  # type: ignore[arg-type]
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="approximate number of triples")
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Triples file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{write_ntriples(args.size, args.output, seed=args.seed)} triples written to {args.output}")


def write_ntriples(n: int, path: Path, *, seed: int = 1) -> int:
    """Stream about ``n`` triples to ``path`` as N-Triples (no graph in memory); returns the count."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for s, p, o in triples(n, seed=seed):
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")  # type: ignore[attr-defined]
            count += 1
    return count


if __name__ == "__main__":
    main()
