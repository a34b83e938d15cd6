"""SPARQL 1.1 Protocol query operation (§2.1): GET, POST form, POST application/sparql-query.

A first, plain version: the endpoint issue completes conneg, limits, timeouts and safety.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from ..errors import QuerySyntaxError
from ..store import GraphStore

bp = Blueprint("sparql", __name__)

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def get_store() -> GraphStore:
    return current_app.extensions["cstograph.store"]  # type: ignore[no-any-return]


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response | tuple[Response, int]:
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        query = request.get_data(as_text=True)
    else:
        query = request.values.get("query")
    if not query:
        return jsonify(error="missing 'query' parameter"), 400
    default = request.values.getlist("default-graph-uri") or None
    named = request.values.getlist("named-graph-uri") or None
    try:
        result = get_store().query(query, default_graph=default, named_graphs=named)
    except QuerySyntaxError as exc:
        return Response(f"malformed query: {exc}\n", status=400, mimetype="text/plain")
    if isinstance(result, ox.QueryTriples):
        mime = request.accept_mimetypes.best_match(list(_GRAPH_FORMATS), default="text/turtle") or "text/turtle"
        return Response(result.serialize(format=_GRAPH_FORMATS[mime]), mimetype=mime)
    mime = request.accept_mimetypes.best_match(list(_RESULT_FORMATS), default="application/sparql-results+json")
    mime = mime or "application/sparql-results+json"
    return Response(result.serialize(format=_RESULT_FORMATS[mime]), mimetype=mime)


@bp.route("/health")
def health() -> Response:
    return jsonify(status="ok", triples=len(get_store()))
