"""The dataset as documents: VoID (``/.well-known/void``, ``/void``), the dumps (``/dumps/…``), and the
obligation-compliance report (``/compliance``) — all from the published snapshot, none computed per request."""

from __future__ import annotations

from flask import Blueprint, Response, request, send_file

from ...compliance import render
from ..errors import ProtocolError
from ..negotiation import GRAPH_FORMATS, NotAcceptable, negotiate
from ..services.catalog import void_triples
from ..state import get_state
from ..views.rdf import serialize_triples
from ._http import cached, vary

__all__ = ["bp"]

bp = Blueprint("data", __name__)

_DUMP_TYPES = {"cstograph.nq": "application/n-quads", "cstograph.trig": "application/trig"}
_REPORTS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "text": "text/plain; charset=utf-8"}


def public_url() -> str:
    return get_state().config.public_url or request.host_url.rstrip("/")


@bp.route("/.well-known/void")
@bp.route("/void")
def void() -> Response:
    state = get_state()
    try:
        fmt = negotiate(request.headers.get("Accept"), GRAPH_FORMATS[:4])
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    url = public_url()
    return vary(cached(fmt, lambda: serialize_triples(
        void_triples(state.snapshot, public_url=url, base=state.config.iri_base), fmt), url))


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    """The served dataset as a file (gzip-encoded when the client accepts it); range requests supported."""
    state = get_state()
    media = _DUMP_TYPES.get(name)
    path = state.snapshot.dumps.get(name)
    if media is None or path is None:
        raise ProtocolError(404, f"no dump {name!r}; offered: {', '.join(sorted(_DUMP_TYPES))}")
    packed = state.snapshot.dumps.get(name + ".gz")
    gzip = packed is not None and request.accept_encodings["gzip"] > 0
    source = packed if gzip and packed is not None else path
    response = send_file(source, mimetype=media, as_attachment=True, download_name=name, conditional=True,
                         etag=f"{state.snapshot.id}-{name}{'-gz' if gzip else ''}", max_age=300)
    if gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


@bp.route("/compliance", methods=["GET"])
def compliance() -> Response:
    state = get_state()
    fmt = request.args.get("format")
    if fmt is None:
        best = request.accept_mimetypes.best_match(["application/json", "text/csv", "text/plain"],
                                                   default="application/json") or "application/json"
        fmt = {"text/csv": "csv", "text/plain": "text"}.get(best, "json")
    if fmt not in _REPORTS:
        raise ProtocolError(400, f"unknown format {fmt!r}: use json, csv or text")
    findings = list(state.snapshot.compliance)
    return vary(cached(_REPORTS[fmt], lambda: render(findings, fmt).encode("utf-8"), fmt))
