"""The HTTP API behind the pages and the query editor (JSON): ``/api/search``, ``/api/labels``,
``/api/vocabulary``. Read-only, computed from indexes built once at start-up."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from ..errors import ProtocolError
from ..state import get_state
from ..views.links import link_target
from ._http import requested_language

__all__ = ["bp"]

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_LIMIT = 100
MAX_LABELS = 500


def _json(value: object) -> Response:
    return Response(json.dumps(value, ensure_ascii=False), content_type="application/json")


@bp.route("/search")
def search() -> Response:
    """``?q=TEXT[&lang=en|ru][&limit=N][&type=IRI]…``: resources whose labels match, best first."""
    text = request.args.get("q", "")
    if not text.strip():
        raise ProtocolError(400, "'q' (the text to search for) is missing")
    if len(text) > 200:
        raise ProtocolError(400, "'q' is longer than 200 characters")
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        raise ProtocolError(400, "'limit' must be a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ProtocolError(400, f"'limit' must be between 1 and {MAX_LIMIT}")
    state = get_state()
    language = requested_language()
    hits = state.search.search(text, language=language, limit=limit, types=request.args.getlist("type"))
    base = state.config.iri_base
    return _json({"query": text, "results": [
        {"iri": h.iri, "href": link_target(h.iri, base)[0], "label": h.labels.get(language) or h.label,
         "matched": h.label, "labels": h.labels, "types": list(h.types), "score": h.score} for h in hits]})


@bp.route("/labels")
def labels() -> Response:
    """``?iri=…&iri=…``: the label (in ``lang``) and local link of each IRI that has one."""
    iris = request.args.getlist("iri")
    if len(iris) > MAX_LABELS:
        raise ProtocolError(400, f"at most {MAX_LABELS} 'iri' values at once")
    state = get_state()
    language = requested_language()
    base = state.config.iri_base
    out = {}
    for iri in iris:
        label = state.search.label(iri, language)
        if label is not None:
            out[iri] = {"label": label, "href": link_target(iri, base)[0]}
    return _json(out)


@bp.route("/vocabulary")
def vocabulary() -> Response:
    """The prefix table, and the classes and properties the graph uses (for query completion)."""
    return _json(get_state().vocabulary.to_json())
