"""Operations: ``/health`` (liveness and the size of what is served) and ``/metrics`` (counters of all
serving processes)."""

from __future__ import annotations

import json

from flask import Blueprint, Response

from ..state import get_state

__all__ = ["bp"]

bp = Blueprint("ops", __name__)


@bp.route("/health")
def health() -> Response:
    """This process answers; the snapshot it serves and its size (known since start-up)."""
    state = get_state()
    return Response(json.dumps({"status": "ok", "snapshot": state.snapshot.id, "triples": state.snapshot.triples,
                                "graphs": len(state.snapshot.sizes)}), content_type="application/json")


@bp.route("/metrics")
def metrics() -> Response:
    return Response(json.dumps(get_state().metrics.snapshot(), indent=1), content_type="application/json")
