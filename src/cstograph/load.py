"""Load RDF files into an rdflib Dataset, one named graph per file, with precise syntax errors."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import InputError, RDFSyntaxError
from .namespaces import GRAPH, ONTOLOGY_GRAPH, bind_prefixes

__all__ = ["FORMATS", "graph_name_for", "load_dataset", "load_graph", "new_dataset", "parse_file"]

#: RDF serialisations read by file suffix.
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
    ".rdf": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
}
QUAD_FORMATS = frozenset({"trig", "nquads"})


def graph_name_for(path: Path, *, data_dir: Path | None = None) -> URIRef:
    """The named graph of a project file: ``data/states.ttl`` → ``…/graph/states``,
    ``data/links/wikidata.ttl`` → ``…/graph/links/wikidata``, the ontology → ``…/graph/ontology``."""
    if path.name == "cstograph.ttl" and path.parent.name == "ontology":
        return ONTOLOGY_GRAPH
    if data_dir is not None:
        try:
            rel = path.resolve().relative_to(data_dir.resolve())
            return GRAPH[str(rel.with_suffix("")).replace("\\", "/")]
        except ValueError:
            pass
    return GRAPH[path.stem]


def _format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {', '.join(FORMATS)})") from None


def _syntax_error(path: Path, exc: Exception) -> RDFSyntaxError:
    """Turn a parser exception into an error naming file, line and column (1-based)."""
    if isinstance(exc, BadSyntax):
        text: bytes | str = exc._str  # noqa: SLF001 - rdflib keeps the input and offset here
        offset: int = exc._i  # noqa: SLF001
        before = text[:offset]
        newline = b"\n" if isinstance(before, bytes) else "\n"
        line = before.count(newline) + 1  # type: ignore[arg-type]
        column = offset - (before.rfind(newline) + 1)  # type: ignore[arg-type]
        return RDFSyntaxError(path, line, column + 1, str(exc._why))  # noqa: SLF001
    lineno = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    return RDFSyntaxError(path, lineno if isinstance(lineno, int) else None, None, str(exc))


def parse_file(path: Path, graph: Graph | Dataset, *, format: str | None = None) -> None:
    """Parse ``path`` into ``graph``; raise :class:`RDFSyntaxError` naming file/line/column."""
    fmt = format or _format_of(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except (BadSyntax, SyntaxError, ValueError, TypeError) as exc:
        raise _syntax_error(path, exc) from exc
    except Exception as exc:  # rdflib raises several unrelated types for bad input
        raise _syntax_error(path, exc) from exc


def new_dataset() -> Dataset:
    return bind_prefixes(Dataset(default_union=True))


def load_graph(paths: Iterable[Path]) -> Graph:
    """Parse several files into one plain graph (for shapes, fixtures)."""
    g = bind_prefixes(Graph())
    for path in paths:
        parse_file(Path(path), g)
    return g


def load_dataset(paths: Iterable[Path], *, data_dir: Path | None = None) -> Dataset:
    """Parse files into a Dataset: triple files each into its own named graph, quad files as they are.

    Parsing is all-or-nothing: on the first syntax error nothing is returned.
    """
    ds = new_dataset()
    for raw in paths:
        path = Path(raw)
        fmt = _format_of(path)
        if fmt in QUAD_FORMATS:
            parse_file(path, ds, format=fmt)
        else:
            parse_file(path, ds.graph(graph_name_for(path, data_dir=data_dir)), format=fmt)
    return ds
