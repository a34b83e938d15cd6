"""The one RDF format table: file suffixes and media types to Oxigraph's formats, and the one file reader.

Every RDF file cstograph reads (project data, ``--data`` files, link inputs, build caches) goes through
:func:`load_file`; every dataset it writes goes through :meth:`Store.dump` with a format from here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, RDFSyntaxError

__all__ = ["FORMATS", "MEDIA_TYPES", "check_file", "check_xml_entities", "load_file", "rdf_format"]

#: RDF serialisations read by file suffix.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
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
    if fmt is ox.RdfFormat.RDF_XML:
        check_xml_entities(path)
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


def check_file(path: Path) -> None:
    """Read ``path`` through once, as :func:`load_file` would, keeping nothing: the same checks and the same
    ``file:line:column`` errors, for commands that read a file the user gives before they start work."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = rdf_format(path)
    if fmt is ox.RdfFormat.RDF_XML:
        check_xml_entities(path)
    try:
        for _ in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise syntax_error(path, exc) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise RDFSyntaxError(path, None, None, str(exc)) from exc


def syntax_error(path: Path, exc: SyntaxError) -> RDFSyntaxError:
    """Oxigraph's parser error as ``file:line:column: message`` (its position is 1-based)."""
    message = str(exc.msg if exc.msg else exc)
    # "Parser error at line 3 column 11: …" / "Parser error between … and …: …"
    if message.startswith("Parser error ") and ": " in message:
        _, _, message = message.partition(": ")
    return RDFSyntaxError(path, exc.lineno, exc.offset, message)


#: How many bytes the entities of an RDF/XML file may expand to in all (the file itself is not counted).
MAX_ENTITY_EXPANSION = 16 * 1024 * 1024
# Linear patterns only (a file is hostile input): the head of every DOCTYPE up to its subset or its end, each
# entity declaration, each entity reference.
_DOCTYPE_HEAD = re.compile(rb"<!DOCTYPE\b[^\[>]*")
_ENTITY = re.compile(rb"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s\"'>]+)\s+"
                     rb"""(?:"(?P<v1>[^"]*)"|'(?P<v2>[^']*)'|(?P<ext>SYSTEM|PUBLIC)\b)""")
_REFERENCE = re.compile(rb"&([^\s;&<>\"']{1,256});")


def check_xml_entities(path: Path) -> None:
    """Refuse an RDF/XML file whose document type declaration could fetch or explode: an external DTD or
    external entities (``SYSTEM``/``PUBLIC``), parameter entities, entities that refer to other entities (the
    "billion laughs"), or internal entities whose references in the whole file would expand to more than
    :data:`MAX_ENTITY_EXPANSION` bytes. The short-name entities of hand-written OWL files
    (``<!ENTITY owl "http://…#">``) pass.

    The file is read the way a hostile one must be: every declaration and every reference anywhere in it counts
    (inside comments, text or a DOCTYPE alike), so that no difference between these patterns and the XML
    parser's reading can hide one. Raises :class:`RDFSyntaxError` naming the file and the line.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
        return
    for head in _DOCTYPE_HEAD.finditer(data):
        if re.search(rb"\b(?:SYSTEM|PUBLIC)\b", head.group()):
            raise RDFSyntaxError(path, data.count(b"\n", 0, head.start()) + 1, None,
                                 "a document type declaration naming an external DTD is not accepted (nothing is "
                                 "fetched or opened)")
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        name = match.group("name").decode(errors="replace")
        value = match.group("v1") if match.group("v1") is not None else match.group("v2")
        if match.group("pe") or match.group("ext") or value is None:
            raise RDFSyntaxError(path, line, None, f"entity {name!r}: external and parameter entities are not "
                                 "accepted (nothing is fetched or opened)")
        if b"&" in value or b"%" in value:
            raise RDFSyntaxError(path, line, None, f"entity {name!r} refers to another entity: nested entities "
                                 "are not accepted")
        values[match.group("name")] = value
    if len(values) != data.count(b"<!ENTITY"):  # declared twice, or in a form these patterns do not read
        raise RDFSyntaxError(path, None, None, "an entity declaration cstograph cannot read safely (declare each "
                             "entity once, as <!ENTITY name \"value\">)")
    expansion = 0
    for reference in _REFERENCE.finditer(data):
        expansion += len(values.get(reference.group(1), b""))
        if expansion > MAX_ENTITY_EXPANSION:
            raise RDFSyntaxError(path, data.count(b"\n", 0, reference.start()) + 1, None,
                                 f"its entities would expand to more than {MAX_ENTITY_EXPANSION} bytes")
