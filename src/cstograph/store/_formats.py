"""The one RDF format table: file suffixes and media types to Oxigraph's formats, and the one file reader.

Every RDF file cstograph reads (project data, ``--data`` files, link inputs, build caches) goes through
:func:`load_file`; every dataset it writes goes through :meth:`Store.dump` with a format from here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, RDFSyntaxError

__all__ = ["FORMATS", "MEDIA_TYPES", "load_file", "rdf_format"]

#: RDF serialisations read by file suffix.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: Media type of each format (SPARQL 1.1 Graph Store Protocol bodies, dumps).
MEDIA_TYPES: dict[ox.RdfFormat, str] = {fmt: fmt.media_type for fmt in FORMATS.values()}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of a file by its suffix. Raises :class:`InputError` for an unknown suffix."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {', '.join(FORMATS)})") from None


def load_file(store: ox.Store, path: Path, *, graph: str | None = None) -> None:
    """Bulk-load ``path`` into ``store``: a triple file into the named graph ``graph`` (default: the
    store's default graph), a quad file (TriG, N-Quads) with its own graphs.

    Raises :class:`RDFSyntaxError` naming ``file:line:column`` for bad syntax, :class:`InputError` when
    the file cannot be read. Relative IRIs resolve against the file's URI.
    """
    fmt = rdf_format(path)
    kwargs: dict[str, object] = {"format": fmt, "base_iri": path.resolve().as_uri()}
    if graph is not None and not fmt.supports_datasets:
        kwargs["to_graph"] = ox.NamedNode(graph)
    try:
        store.bulk_load(path=str(path), **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise syntax_error(path, exc) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:  # e.g. invalid UTF-8
        raise RDFSyntaxError(path, None, None, str(exc)) from exc


def syntax_error(path: Path, exc: SyntaxError) -> RDFSyntaxError:
    """Oxigraph's parser error as ``file:line:column: message`` (its position is 1-based)."""
    message = str(exc.msg if exc.msg else exc)
    if message.startswith("Parser error "):  # "Parser error at line 3 column 11: …" / "… between … and …: …"
        _, _, message = message.partition(": ")
    return RDFSyntaxError(path, exc.lineno, exc.offset, message)
