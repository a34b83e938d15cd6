"""How much of each seed document the graph holds: per seed, its statements structured / text-only / missing.

Usage: .venv/bin/python scripts/seed_coverage.py [--project DIR] [--seeds DIR] [--list missing|text-only|all]

A statement is a sentence of the seed's text (lines split at sentence ends; a numbered reference-list entry is
one statement; sentences of fewer than six words — headings, menus, cookie notices — are not counted). A
citation of the seed covers a statement when its quote lies in the statement, or the statement in the quote,
or they share a run of at least 40 characters (or half the statement). A covered statement is structured when
one node citing it carries typed data — a fact node (event, membership, statistic, work…), a claim with
cst:claimProperty, a recommendation — and text-only when every node citing it is a claim or assessment with
text alone. Missing: no citation covers it.
"""

from __future__ import annotations

import argparse
import re
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

CST = "https://w3id.org/cstograph/ontology#"
SEEDS = {"000": "000_bc88a2134bb8f35b.txt", "002": "002_f91b04b62670fa7f.txt",
         "003": "003_c2a6dec94f66bae9.txt", "004": "004_31ac2e71aae4dd18.txt"}
CHROME = ("cookie", "Cookie", "Cite item", "Cover Page", "RELATED POSTS", "Share", "Social networks")
TEXT_ONLY_TYPES = {URIRef(CST + "Claim"), URIRef(CST + "Assessment")}


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def statements(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = norm(line.strip("*# "))
        if not line or any(c in line for c in CHROME):
            continue
        if re.match(r"^\d+\.\s", line) and len(line.split()) >= 6:  # a reference-list entry
            out.append(line)
            continue
        for sentence in re.split(r"(?<=[.!?»])\s+(?=[A-ZА-Я«\"(])", line):
            if len(sentence.split()) >= 6:
                out.append(sentence)
    return out


def covers(quote: str, statement: str) -> bool:
    if quote in statement or statement in quote:
        return True
    match = SequenceMatcher(None, quote, statement, autojunk=False).find_longest_match(0, len(quote), 0, len(statement))
    return match.size >= min(40, len(statement) // 2)


def structured(g: Graph, node: URIRef) -> bool:
    types = set(g.objects(node, RDF.type))
    if types and types <= TEXT_ONLY_TYPES:
        return g.value(node, URIRef(CST + "claimProperty")) is not None
    return True


def coverage(project: Path, seeds_dir: Path) -> dict[str, dict[str, list[str]]]:
    g = Graph()
    for path in sorted((project / "data").rglob("*.ttl")):
        g.parse(path)
    result = {}
    for key, name in SEEDS.items():
        source = URIRef(f"https://w3id.org/cstograph/id/source/seed-{key}")
        quotes: list[tuple[str, URIRef]] = []
        for node, citation in g.subject_objects(URIRef(CST + "citation")):
            if g.value(citation, URIRef(CST + "citedSource")) == source:
                quote = g.value(citation, URIRef(CST + "quote"))
                if quote is not None:
                    quotes.append((norm(str(quote)), node))
        buckets: dict[str, list[str]] = {"structured": [], "text-only": [], "missing": []}
        for statement in statements((seeds_dir / name).read_text(encoding="utf-8")):
            nodes = {node for quote, node in quotes if covers(quote, statement)}
            if not nodes:
                buckets["missing"].append(statement)
            elif any(structured(g, n) for n in nodes):
                buckets["structured"].append(statement)
            else:
                buckets["text-only"].append(statement)
        result[key] = buckets
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--project", type=Path, default=here)
    parser.add_argument("--seeds", type=Path, default=here.parent / "shared" / "seeds")
    parser.add_argument("--list", choices=["missing", "text-only", "all"])
    args = parser.parse_args()
    result = coverage(args.project, args.seeds)
    print(f"{'seed':<6}{'statements':>11}{'structured':>12}{'text-only':>11}{'missing':>9}")
    for key, buckets in result.items():
        total = sum(len(v) for v in buckets.values())
        print(f"{key:<6}{total:>11}{len(buckets['structured']):>12}{len(buckets['text-only']):>11}{len(buckets['missing']):>9}")
    if args.list:
        for key, buckets in result.items():
            for kind, items in buckets.items():
                if args.list in (kind, "all"):
                    for item in items:
                        print(f"{key} {kind}: {item}")


if __name__ == "__main__":
    main()
