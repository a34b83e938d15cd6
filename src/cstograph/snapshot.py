"""The published snapshot: everything a server needs that cannot change until the next build, computed once.

The build writes it into ``<build>/snapshot/`` (:func:`write_snapshot`); ``cstograph serve`` opens it at
start-up (:meth:`Snapshot.open`) before it forks, and requests only read it. Serving plain files
(``serve --data``) computes the same snapshot in memory at start-up (:meth:`Snapshot.compute`).

::

    snapshot/snapshot.json   id (the build), sizes, VoID statistics, the site settings (from the data's
                             void:Dataset), the compliance report, the named queries (parsed)
    snapshot/labels.sqlite   every label (en, ru, alternative, with its search key) and the types of each
                             resource: the search and label index, read in place (SQLite, opened read-only)
                             so that a server starts without loading it and its processes share its pages
    snapshot/results/…       the answers of the named queries with their default parameters, per format
    snapshot/dataset.*.gz    the dumps, compressed

The snapshot is derived from the published dataset only (plus ``queries/``), so it describes exactly what
is served.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .compliance import COMPLIANCE_QUERY, Finding, compliance_report
from .namespaces import BASE, CST, DCTERMS, RDF, VOID, VOID_BASE, sparql_prefixes, to_ox
from .queries import NamedQuery, Param, load_queries
from .store import GraphStore, Store, named_substitutions

__all__ = [
    "FORMAT", "LABELS", "PUBLICATION_GRAPH", "QUERY_GROUPS", "RESULT_FORMATS", "SiteSettings", "Snapshot",
    "normalise", "publication_record", "published_snapshot", "write_labels", "write_snapshot",
]

#: Version of the snapshot's layout (2: the label index as SQLite, ``labels.sqlite``).
FORMAT = 2
FOLDER = "snapshot"
#: The label index's file name in a snapshot folder.
LABELS = "labels.sqlite"
QUERY_GROUPS = ("examples", "checks")
#: The graph ``cstograph publish`` writes into a remote server beside the project's graphs (outside
#: ``graph/``, so that no query of the front sees it): which build's snapshot the server holds.
PUBLICATION_GRAPH = BASE + "publication"
_PUBLISHED = str(DCTERMS.identifier)
#: Result formats precomputed for the named queries: short name → (Oxigraph format, file suffix).
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
#: The dataset's IRI (its VoID description's subject).
DATASET_IRI = str(VOID_BASE["cstograph"])
_RDF_FIRST = to_ox(RDF.first)
_RDF_REST = to_ox(RDF.rest)

_PER_GRAPH = """
SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?o) AS ?objects)
WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"""
_TOTALS = """
SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
_TYPED = "SELECT DISTINCT ?s WHERE { ?s a ?c . FILTER(isIRI(?s)) }"
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
_VOCABULARIES = "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }"
_LINKS = sparql_prefixes("skos") + """SELECT ?target (COUNT(*) AS ?n) WHERE {
  ?s skos:exactMatch ?o . BIND(REPLACE(STR(?o), "^(https?://[^/]+/).*$", "$1") AS ?target)
} GROUP BY ?target ORDER BY ?target"""
_LABELS = sparql_prefixes("rdfs", "skos") + """SELECT ?s ?label ?alt WHERE {
  { ?s rdfs:label ?label BIND(false AS ?alt) }
  UNION { ?s skos:prefLabel ?label BIND(false AS ?alt) }
  UNION { ?s skos:altLabel ?label BIND(true AS ?alt) }
}"""
_TYPES = "SELECT DISTINCT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s) && isIRI(?t)) }"


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """What the pages show first, read from the data's ``void:Dataset`` (``data/dataset.ttl``)."""

    dataset: str = DATASET_IRI
    title: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    license: str | None = None
    root: str | None = None
    examples: tuple[str, ...] = ()
    featured: tuple[str, ...] = ()
    timeline: tuple[str, ...] = ()

    @classmethod
    def read(cls, store: GraphStore) -> SiteSettings:
        node = ox.NamedNode(DATASET_IRI)

        def objects(prop: str) -> list[ox.NamedNode | ox.Literal]:
            return [q.object for q in store.quads(node, ox.NamedNode(prop), None, None)
                    if isinstance(q.object, ox.NamedNode | ox.Literal)]

        def texts(prop: str) -> dict[str, str]:
            return {o.language or "": o.value for o in objects(prop) if isinstance(o, ox.Literal)}

        def iris(prop: str) -> tuple[str, ...]:
            return tuple(sorted({o.value for o in objects(prop) if isinstance(o, ox.NamedNode)}))

        licence = iris(str(DCTERMS.license))
        root = iris(str(VOID.rootResource))
        return cls(title=texts(str(DCTERMS.title)), description=texts(str(DCTERMS.description)),
                   license=licence[0] if licence else None, root=root[0] if root else None,
                   examples=iris(str(VOID.exampleResource)),
                   featured=_list(store, node, str(CST.featuredResource)),
                   timeline=_list(store, node, str(CST.timelineSubject)))


def _list(store: GraphStore, node: ox.NamedNode, prop: str) -> tuple[str, ...]:
    """The members of the RDF list that is the value of ``prop`` (in order), or its plain values."""
    out: list[str] = []
    for quad in store.quads(node, ox.NamedNode(prop), None, None):
        head: object = quad.object
        seen: set[object] = set()
        while isinstance(head, ox.BlankNode) and head not in seen:
            seen.add(head)
            first = next(store.quads(head, _RDF_FIRST, None, None), None)
            if first is not None and isinstance(first.object, ox.NamedNode):
                out.append(first.object.value)
            rest = next(store.quads(head, _RDF_REST, None, None), None)
            head = rest.object if rest is not None else None
        if isinstance(quad.object, ox.NamedNode):
            out.append(quad.object.value)
    return tuple(dict.fromkeys(out))


def _int(term: object) -> int:
    return int(getattr(term, "value", 0))


def _statistics(store: GraphStore, base: str) -> dict[str, object]:
    totals = store.select(_TOTALS)[0]
    entities = sum(1 for r in store.select(_TYPED) if r["s"].value.startswith(base + "id/"))
    return {
        "subjects": _int(totals["subjects"]), "properties": _int(totals["properties"]),
        "objects": _int(totals["objects"]), "entities": entities,
        "classes": [[r["c"].value, _int(r["n"])] for r in store.select(_CLASSES)
                    if isinstance(r.get("c"), ox.NamedNode)],
        "property_partitions": [[r["p"].value, _int(r["n"])] for r in store.select(_PROPERTIES)],
        "graphs": [{"graph": r["g"].value, "triples": _int(r["triples"]), "subjects": _int(r["subjects"]),
                    "properties": _int(r["properties"]), "objects": _int(r["objects"])}
                   for r in store.select(_PER_GRAPH) if isinstance(r.get("g"), ox.NamedNode)],
        "vocabularies": sorted({_vocabulary_of(r["t"].value) for r in store.select(_VOCABULARIES)
                                if isinstance(r.get("t"), ox.NamedNode)}),
        "linksets": [[r["target"].value, _int(r["n"])] for r in store.select(_LINKS)],
    }


def _vocabulary_of(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri[8:]:
            return iri[: iri.rfind(sep) + 1]
    return iri


def normalise(text: str) -> str:
    """A label's search key: case-folded, accents removed (NFKD minus combining marks), ``ё`` → ``е``, spaces
    collapsed. The build writes it beside each label; the server applies it to what is searched for."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


_LABEL_SCHEMA = """
CREATE TABLE label (iri TEXT NOT NULL, language TEXT NOT NULL, text TEXT NOT NULL, alternative INTEGER NOT NULL,
                    key TEXT NOT NULL);
CREATE TABLE type (iri TEXT NOT NULL, type TEXT NOT NULL);
"""
_LABEL_INDEXES = "CREATE INDEX label_iri ON label (iri); CREATE INDEX type_iri ON type (iri);"


def write_labels(store: GraphStore, path: Path, *, base: str = BASE) -> Path:
    """Write the label index of ``store``'s resources under ``base`` into the SQLite file ``path``: per
    resource, its first label in each language (``alternative = 0``, in the order found), its alternative
    labels (``skos:altLabel``, ``alternative = 1``), each with its search key (:func:`normalise`), and its
    types. Returns ``path``."""
    labels: dict[str, dict[str, str]] = {}
    alternatives: dict[str, list[tuple[str, str]]] = {}
    for row in store.select(_LABELS):
        subject, label = row.get("s"), row.get("label")
        if not (isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)):
            continue
        if not subject.value.startswith(base):
            continue
        if row["alt"].value == "true":
            pair = (label.language or "", label.value)
            if pair not in alternatives.setdefault(subject.value, []):
                alternatives[subject.value].append(pair)
        else:
            labels.setdefault(subject.value, {}).setdefault(label.language or "", label.value)
    types: dict[str, set[str]] = {}
    for row in store.select(_TYPES):
        if row["s"].value.startswith(base):
            types.setdefault(row["s"].value, set()).add(row["t"].value)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _LABEL_SCHEMA)
        db.executemany("INSERT INTO label VALUES (?, ?, ?, 0, ?)",
                       ((iri, lang, text, normalise(text)) for iri, by in labels.items() for lang, text in by.items()))
        db.executemany("INSERT INTO label VALUES (?, ?, ?, 1, ?)",
                       ((iri, lang, text, normalise(text)) for iri, pairs in alternatives.items()
                        for lang, text in pairs))
        db.executemany("INSERT INTO type VALUES (?, ?)",
                       ((iri, t) for iri in sorted(types) for t in sorted(types[iri])))
        db.executescript(_LABEL_INDEXES)
        db.commit()
    finally:
        db.close()
    return path


def _query_json(q: NamedQuery) -> dict[str, object]:
    return {"group": q.group, "name": q.name, "summary": q.summary, "description": q.description,
            "tags": list(q.tags), "text": q.text,
            "params": [{"name": p.name, "datatype": p.datatype, "default": p.default} for p in q.params]}


def _query_from_json(data: Mapping[str, Any]) -> NamedQuery:
    params = tuple(Param(str(p["name"]), str(p["datatype"]), p.get("default")) for p in data["params"])
    return NamedQuery(name=str(data["name"]), group=str(data["group"]),
                      path=Path(f"{data['group']}/{data['name']}.rq"), text=str(data["text"]),
                      summary=str(data["summary"]), description=str(data["description"]), params=params,
                      tags=tuple(data["tags"]))


def _tuples(data: Mapping[str, Any]) -> dict[str, Any]:
    """JSON lists back to the tuples the frozen dataclasses hold."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def _cacheable(q: NamedQuery) -> bool:
    """Whether the answer with default parameters cannot change until the next build (no ``today``)."""
    return all(p.default != "today" for p in q.params)


@dataclass(frozen=True, slots=True)
class Snapshot:
    id: str
    triples: int
    sizes: Mapping[str, int]
    statistics: Mapping[str, object]
    site: SiteSettings
    compliance: tuple[Finding, ...]
    queries: tuple[NamedQuery, ...]
    #: The label index (SQLite, see :func:`write_labels`).
    labels: Path
    #: ``group/name`` → format → answer bytes, for the named queries with fixed defaults.
    results: Mapping[str, Mapping[str, bytes]]
    #: Dump files by name (``cstograph.nq``…), and their gzip copies, when the snapshot was written.
    dumps: Mapping[str, Path] = field(default_factory=dict)

    @classmethod
    def compute(cls, store: GraphStore, *, queries_dir: Path | None, snapshot_id: str, folder: Path,
                base: str = BASE) -> Snapshot:
        """Compute the snapshot from a store (and ``queries/``) — what :func:`write_snapshot` writes; the label
        index is written into ``folder``."""
        queries: list[NamedQuery] = []
        if queries_dir is not None:
            for group in QUERY_GROUPS:
                if (queries_dir / group).is_dir():
                    queries += [q for q in load_queries(queries_dir, group).values() if q.served]
        compliance: tuple[Finding, ...] = ()
        if queries_dir is not None and (queries_dir / COMPLIANCE_QUERY).is_file():
            compliance = tuple(compliance_report(store, queries_dir))
        results = {f"{q.group}/{q.name}": _answers(store, q) for q in queries if _cacheable(q)}
        return cls(id=snapshot_id, triples=len(store), sizes=store.sizes(), statistics=_statistics(store, base),
                   site=SiteSettings.read(store), compliance=compliance, queries=tuple(queries),
                   labels=write_labels(store, folder / LABELS, base=base),
                   results=results)

    @classmethod
    def open(cls, folder: Path) -> Snapshot:
        """Read a snapshot written by :func:`write_snapshot` (``<build>/snapshot``)."""
        data = json.loads((folder / "snapshot.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{folder}: snapshot format {data.get('format')!r}, expected {FORMAT}: rebuild")
        results = {key: {fmt: (folder / path).read_bytes() for fmt, path in formats.items()}
                   for key, formats in data["results"].items()}
        dumps = {name: folder / path for name, path in data["dumps"].items() if (folder / path).is_file()}
        return cls(id=data["id"], triples=data["triples"], sizes=data["sizes"], statistics=data["statistics"],
                   site=SiteSettings(**_tuples(data["site"])),
                   compliance=tuple(Finding(**_tuples(f)) for f in data["compliance"]),
                   queries=tuple(_query_from_json(q) for q in data["queries"]),
                   labels=folder / LABELS,
                   results=results, dumps=dumps)

    def named(self) -> dict[str, dict[str, NamedQuery]]:
        out: dict[str, dict[str, NamedQuery]] = {}
        for q in self.queries:
            out.setdefault(q.group, {})[q.name] = q
        return out


def _answers(store: GraphStore, q: NamedQuery) -> dict[str, bytes]:
    """The answer of ``q`` with its default parameters in every results format: evaluated once (the checks'
    queries take seconds at 1M triples), written in the first format, and the other formats written from
    that (SPARQL JSON keeps every term: the same bytes as writing each from a new evaluation)."""
    subs = named_substitutions(q, {})
    (first, first_format), *others = RESULT_FORMATS.items()
    result = store.query(q.text, substitutions=subs or None)
    out = {first: result.serialize(format=first_format) or b""}  # type: ignore[arg-type]
    for short, fmt in others:
        again = ox.parse_query_results(out[first], format=first_format)
        out[short] = again.serialize(format=fmt) or b""
    return out


def snapshot_id(paths: Iterable[Path]) -> str:
    """The identifier of served data: a hash of the files' bytes. The same files give the same identifier on
    every replica (and so the same ETags); any change gives another."""
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()[:16]


def write_snapshot(build: Path, store: GraphStore, *, queries_dir: Path | None, dumps: Mapping[str, Path]) -> Path:
    """Compute the snapshot of ``store`` and write it into ``build/snapshot``. ``dumps`` names the dataset
    files the build wrote into ``build`` (``cstograph.nq`` → ``build/dataset.nq``…): they identify the
    snapshot (:func:`snapshot_id`) and are compressed here. Returns the snapshot folder."""
    folder = build / FOLDER
    (folder / "results").mkdir(parents=True, exist_ok=True)
    snapshot = Snapshot.compute(store, queries_dir=queries_dir, snapshot_id=snapshot_id(dumps.values()),
                                folder=folder)
    results: dict[str, dict[str, str]] = {}
    for key, answers in snapshot.results.items():
        for fmt, body in answers.items():
            path = Path("results") / f"{key.replace('/', '--')}.{fmt}"
            (folder / path).write_bytes(body)
            results.setdefault(key, {})[fmt] = str(path)
    dump_paths: dict[str, str] = {}
    for name, source in dumps.items():
        dump_paths[name] = str(Path("..") / source.relative_to(build))
        with source.open("rb") as raw, gzip.open(folder / f"{source.name}.gz", "wb", compresslevel=6) as packed:
            shutil.copyfileobj(raw, packed)
        dump_paths[name + ".gz"] = f"{source.name}.gz"
    data = {
        "format": FORMAT, "id": snapshot.id, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "triples": snapshot.triples, "sizes": dict(snapshot.sizes), "statistics": snapshot.statistics,
        "site": {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(snapshot.site).items()},
        "compliance": [asdict(f) for f in snapshot.compliance],
        "queries": [_query_json(q) for q in snapshot.queries],
        "results": results, "dumps": dump_paths,
    }
    (folder / "snapshot.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def publication_record(snapshot_id: str) -> bytes:
    """The N-Triples of :data:`PUBLICATION_GRAPH`: the dataset is the build whose snapshot is ``snapshot_id``."""
    triple = ox.Triple(to_ox(VOID_BASE.dataset), ox.NamedNode(_PUBLISHED), ox.Literal(snapshot_id))
    return ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES) or b""


def published_snapshot(server: Store) -> str | None:
    """The snapshot id ``cstograph publish`` recorded in a server (``None`` if it recorded none): a store
    scoped to nothing, asked about :data:`PUBLICATION_GRAPH` alone."""
    rows = server.select(f"SELECT ?id WHERE {{ <{VOID_BASE.dataset}> <{_PUBLISHED}> ?id }}",
                         default_graph=[PUBLICATION_GRAPH], named_graphs=[])
    return rows[0]["id"].value if rows else None
