"""The closure cache and the published dataset: asserted graphs plus the inferred graph, stored as
N-Quads under a key of everything the closure depends on."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from importlib.metadata import version as _dist_version
from pathlib import Path

from rdflib import BNode, Dataset, URIRef

from ..namespaces import INFERRED_GRAPH, bind_prefixes
from ._engine import Engine, Reasoning, reason, union
from ._profile import profile_warnings
from ._scm import is_schema_triple

__all__ = ["closure_key", "read_nquads", "reason_dataset"]

#: The reasoning code: a change to any of its modules changes the key.
_CODE = tuple(sorted(Path(__file__).resolve().parent.glob("*.py")))


def closure_key(files: Sequence[Path], *, engine: Engine = "fast") -> str:
    """A hash of what the closure depends on: the ontology and data files, the reasoning code, owlrl's
    version and the engine; not the shapes, so a shapes-only change reuses the closure."""
    h = hashlib.sha256(f"{engine}\0owlrl {_dist_version('owlrl')}\0".encode())
    for code in _CODE:
        h.update(code.read_bytes())
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def read_nquads(path: Path) -> Dataset:
    """Read N-Quads written by :func:`reason_dataset` (one IRI-named graph per line), keeping blank nodes
    shared across graphs; rdflib's own N-Quads parser goes through deprecated Dataset APIs."""
    lines: defaultdict[str, list[bytes]] = defaultdict(list)
    with path.open("rb") as f:
        for line in f:
            body, _, rest = line.rstrip().rpartition(b" <")
            if body:
                lines[rest[:-3].decode() if rest.endswith(b"> .") else rest.decode()].append(body + b" .")
    published = bind_prefixes(Dataset(default_union=True))
    bnodes: dict[str, BNode] = {}
    for name, nt in lines.items():
        published.graph(URIRef(name)).parse(data=b"\n".join(nt).decode("utf-8"), format="nt", bnode_context=bnodes)
    return published


def _write_nquads(published: Dataset, cache_dir: Path, cached: Path, key: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{key}-", suffix=".nq", dir=cache_dir)
    with open(fd, "wb") as out:  # N-Triples of each graph + its name (Dataset.serialize is deprecated-API)
        for ctx in published.graphs():
            if not len(ctx) or not isinstance(ctx.identifier, URIRef):
                continue
            suffix = f" <{ctx.identifier}> .\n".encode()
            for line in ctx.serialize(format="nt", encoding="utf-8").splitlines():
                if line.endswith(b" ."):
                    out.write(line[:-2] + suffix)
    shutil.move(tmp, cached)


def _publishable(ds: Dataset, result: Reasoning) -> Dataset:
    published = bind_prefixes(Dataset(default_union=True))
    for ctx in ds.graphs():
        if len(ctx) and ctx.identifier != INFERRED_GRAPH:
            g = published.graph(ctx.identifier)
            for t in ctx:
                g.add(t)
    g_inf = published.graph(INFERRED_GRAPH)
    for t in result.inferred:
        g_inf.add(t)
    return published


def reason_dataset(ds: Dataset, *, cache_dir: Path | None = None, key: str | None = None,
                   engine: Engine = "fast") -> Reasoning:
    """Reason over every graph of ``ds``; the result's ``dataset`` holds the asserted graphs and the
    inferred graph (``INFERRED_GRAPH``) with consistent blank nodes, ready to publish.

    With ``cache_dir`` and ``key`` (see :func:`closure_key`), a previous result for the same key is
    reused: it is stored as N-Quads of asserted + inferred graphs, because blank-node labels differ
    between two parses of the same Turtle and the inferred triples must share the asserted ones.
    """
    cached = cache_dir / f"{key}.nq" if cache_dir is not None and key else None
    if cached is not None and cached.is_file():
        published = read_nquads(cached)
        inferred = union([published.graph(INFERRED_GRAPH)])
        return Reasoning(inferred=inferred, engine=engine, reused=True, key=key, dataset=published,
                         warnings=tuple(profile_warnings(union(ds.graphs(), only=is_schema_triple))))
    result = reason(list(ds.graphs()), engine=engine)
    published = _publishable(ds, result)
    if cached is not None and cache_dir is not None and key:
        _write_nquads(published, cache_dir, cached, key)
    return Reasoning(inferred=result.inferred, engine=result.engine, fallback=result.fallback,
                     warnings=result.warnings, reused=False, key=key, dataset=published)
