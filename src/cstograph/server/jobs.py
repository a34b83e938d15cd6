"""The two kinds of untrusted work the server does, as sandbox jobs: evaluating a client's query, and
parsing and validating posted data. Each has a request (built by a serving worker, sent as a frame) and a
handler (run in a sandbox process, see :mod:`.sandbox`).

Nothing here fetches anything: queries are refused before they get here if they call a ``SERVICE`` that is
not allow-listed, and posted data is parsed by Oxigraph's parsers, which never load remote documents
(JSON-LD contexts are refused, RDF/XML document type declarations are refused before parsing).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QuerySyntaxError
from ..store import GraphStore, ProcessLocalStore, RemoteError, RemoteStore, RemoteTriples
from .limits import CappedWriter, ResultTooLarge, check_answer
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS
from .sandbox import Frame, Handler, Kind

if TYPE_CHECKING:
    from ..validate import ValidationReport

__all__ = [
    "POSTED_FORMATS",
    "POSTED_GRAPH",
    "QueryJob",
    "ValidationJob",
    "decode_term",
    "encode_term",
    "query_handler",
    "validation_handler",
]

_FORMATS = {f.short: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}


def encode_term(term: ox.NamedNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"iri": term.value}
    out = {"literal": term.value}
    if term.language:
        out["language"] = term.language
    else:
        out["datatype"] = term.datatype.value
    return out


def decode_term(data: Mapping[str, str]) -> ox.NamedNode | ox.Literal:
    if "iri" in data:
        return ox.NamedNode(data["iri"])
    if "language" in data:
        return ox.Literal(data["literal"], language=data["language"])
    return ox.Literal(data["literal"], datatype=ox.NamedNode(data["datatype"]))


@dataclass(frozen=True, slots=True)
class QueryJob:
    """One query to evaluate and serialise (format chosen by the serving worker, before evaluation)."""

    query: str
    format: str  #: short name of a results or graph format (``json``, ``turtle``…)
    max_rows: int
    max_bytes: int
    default_graphs: Sequence[str] | None = None
    named_graphs: Sequence[str] | None = None
    substitutions: Mapping[str, Mapping[str, str]] | None = None
    base_iri: str | None = None
    #: Whether the default graph is the union of all graphs (no dataset given by the request or the query).
    union: bool = True

    def header(self) -> dict[str, object]:
        # (not dataclasses.asdict: it deep-copies, and this runs on every query)
        return {"job": "query", "query": self.query, "format": self.format, "max_rows": self.max_rows,
                "max_bytes": self.max_bytes, "default_graphs": self.default_graphs, "named_graphs": self.named_graphs,
                "substitutions": self.substitutions, "base_iri": self.base_iri, "union": self.union}

    def key(self) -> tuple[object, ...]:
        """What identifies the answer (for caches)."""
        graphs = (tuple(self.default_graphs or ()), tuple(self.named_graphs or ()))
        subs = tuple(sorted((k, tuple(sorted(v.items()))) for k, v in (self.substitutions or {}).items()))
        return (self.query, self.format, self.max_rows, self.max_bytes, graphs, subs, self.base_iri, self.union)


def _remote(store: GraphStore) -> RemoteStore | None:
    """The remote store behind ``store`` (a server's stores are opened per process), if that is what it is."""
    target = store.current if isinstance(store, ProcessLocalStore) else store
    return target if isinstance(target, RemoteStore) else None


def _run_query(store: GraphStore, job: QueryJob, deadline: float) -> Frame:
    subs = {name: decode_term(term) for name, term in (job.substitutions or {}).items()}
    fmt = _FORMATS[job.format]
    remote = _remote(store)
    if remote is not None:  # the server evaluates; the time left bounds the exchange with it
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the job's time was up before it began")
        if isinstance(fmt.oxigraph, ox.QueryResultsFormat):
            # the server's own serialisation, passed through (not read and written again), under the same caps
            body = remote.query_results(job.query, format=fmt.oxigraph, max_bytes=job.max_bytes,
                                        default_graph=job.default_graphs, named_graphs=job.named_graphs,
                                        substitutions=subs or None, base_iri=job.base_iri,
                                        union_default_graph=job.union, timeout=left)
            check_answer(body, fmt.short, max_bytes=job.max_bytes, max_rows=job.max_rows)
            return Frame(Kind.OK, {"content_type": fmt.content_type}, body)
        result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | RemoteTriples = remote.query(
            job.query, default_graph=job.default_graphs, named_graphs=job.named_graphs, substitutions=subs or None,
            base_iri=job.base_iri, union_default_graph=job.union, timeout=left)
    else:
        result = store.query(job.query, default_graph=job.default_graphs, named_graphs=job.named_graphs,
                             substitutions=subs or None, base_iri=job.base_iri, union_default_graph=job.union)
    if isinstance(result, (ox.QueryTriples, RemoteTriples)):
        writer = CappedWriter(max_bytes=job.max_bytes)
    else:
        writer = CappedWriter(max_bytes=job.max_bytes, max_rows=job.max_rows, results_format=fmt.short)
    result.serialize(writer, format=fmt.oxigraph)  # type: ignore[arg-type]
    return Frame(Kind.OK, {"content_type": fmt.content_type}, writer.getvalue())


def _refused(status: int, message: str) -> Frame:
    return Frame(Kind.REFUSED, {"status": status, "message": message})


def query_handler(store: GraphStore) -> Handler:
    """The handler of query jobs on ``store`` (errors become REFUSED frames with an HTTP status)."""

    def handle(frame: Frame) -> Frame:
        fields = {k: v for k, v in frame.header.items() if k not in ("job", "deadline")}
        deadline = float(frame.header.get("deadline", time.monotonic() + 60.0))  # type: ignore[arg-type]
        try:
            return _run_query(store, QueryJob(**fields), deadline)  # type: ignore[arg-type]
        except TimeoutError:  # a remote store's server did not answer in time (before OSError: it is one)
            return Frame(Kind.STOPPED, {"reason": "timeout", "message": "the job ran past its time limit"})
        except QuerySyntaxError as exc:
            return _refused(400, f"malformed query: {exc}")
        except ResultTooLarge as exc:
            return _refused(422, f"result too large: {exc}")
        except (ValueError, TypeError) as exc:  # a bad graph IRI, a bad substitution
            return _refused(400, f"bad request: {exc}")
        except RuntimeError as exc:  # Oxigraph: e.g. a substituted variable that the query does not project
            return _refused(400, f"query failed: {exc}")
        except (OSError, RemoteError) as exc:  # an allow-listed SERVICE or the remote store's server failed
            return _refused(502, f"query failed: {exc}")

    return handle


# --- validation of posted data ----------------------------------------------------------------------------
#: Media types ``POST /shacl`` accepts, with the Oxigraph parser for each.
POSTED_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: Report formats of ``POST /shacl``.
REPORT_TYPES = ("text/turtle", "application/json", "text/plain")


@dataclass(frozen=True, slots=True)
class ValidationJob:
    media_type: str
    report_type: str
    with_project: bool

    def header(self) -> dict[str, object]:
        return {"job": "validate", **asdict(self)}


class PostedDataError(ValueError):
    """Posted data that cannot be read (the message says where)."""


def parse_posted(body: bytes, media_type: str) -> list[ox.Quad]:
    """Quads of a posted document; never loads anything but ``body``. Raises :class:`PostedDataError`."""
    fmt = POSTED_FORMATS[media_type]
    if fmt is ox.RdfFormat.RDF_XML and b"<!DOCTYPE" in body.upper():
        # document type declarations bring external and recursive entities: refused outright (cf. defusedxml)
        raise PostedDataError("RDF/XML with a document type declaration (<!DOCTYPE …>) is not accepted")
    try:
        # blank nodes renamed: a posted _:label never joins a blank node of the project's (their labels are public)
        quads = list(ox.parse(body, format=fmt, base_iri="urn:cstograph:posted:", rename_blank_nodes=True))
    except SyntaxError as exc:
        raise PostedDataError(f"the posted data does not parse: {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise PostedDataError(f"the posted data cannot be read: {exc}") from exc
    if any(isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple) for q in quads):
        raise PostedDataError("RDF 1.2 triple terms (<<( … )>>) are not accepted: SHACL validates plain triples")
    return quads


#: The graph the posted triples are validated in (named "posted data" in reports).
POSTED_GRAPH = "urn:cstograph:posted"


def _report_frame(report: ValidationReport, report_type: str) -> Frame:
    headers = {"conforms": report.conforms, "content_type": report_type}
    if report_type == "application/json":
        body = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif report_type == "text/plain":
        body = report.render_text()
    else:
        body = report.render_turtle()
    return Frame(Kind.OK, headers, body.encode("utf-8"))


def validation_handler(store: GraphStore, shapes_dir: Path) -> Callable[[], Handler]:
    """A ``prepare`` for the validation pool. Once, in the pool's supervisor before it forks its processes:
    reads the shapes and the served asserted graphs and compiles everything a validation needs
    (:class:`~cstograph.validate.ProjectValidator`, with the project and with the ontology alone), so that the
    processes inherit it and a job only parses, validates and renders. A process runs one job at a time; the
    posted triples it adds to its own copy of the project are removed when the job ends (and a process stopped
    in the middle of a job ends with it)."""

    def prepare() -> Handler:
        from rdflib import URIRef

        from ..load import load_graph
        from ..namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH
        from ..validate import ProjectValidator

        shapes = load_graph(sorted(shapes_dir.glob("*.ttl")))
        asserted = [q for q in store.oxigraph.quads_for_pattern(None, None, None, None)
                    if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != str(INFERRED_GRAPH)]
        ontology = [q for q in asserted if q.graph_name.value == str(ONTOLOGY_GRAPH)]  # type: ignore[union-attr]
        validators = {True: ProjectValidator(shapes, asserted), False: ProjectValidator(shapes, ontology)}
        posted = URIRef(POSTED_GRAPH)
        sources = {posted: "posted data"}

        def handle(frame: Frame) -> Frame:
            job = ValidationJob(**{k: v for k, v in frame.header.items() if k not in ("job", "deadline")})  # type: ignore[arg-type]
            try:
                quads = parse_posted(frame.body, job.media_type)
            except PostedDataError as exc:
                return _refused(400, str(exc))
            report = validators[job.with_project].validate(quads, graph=posted, sources=sources)
            return _report_frame(report, job.report_type)

        return handle

    return prepare
