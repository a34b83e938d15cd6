"""The validation service: ``POST /shacl`` (like Fuseki's SHACL service).

``POST /shacl`` takes RDF in the body (Turtle, N-Triples, TriG, N-Quads, JSON-LD or RDF/XML, by
``Content-Type``) and answers with a ``sh:ValidationReport`` (Turtle, or our JSON report, or text; content
negotiation on ``Accept``; header ``X-Conforms``). The posted triples are validated together with the
served graph (``?with-project=false``: alone, with the ontology), and the report lists the results that
involve them. The posted data is parsed and validated in a sandbox process (:mod:`.sandbox`): never in a
serving worker, never into the store, never fetching anything (no remote JSON-LD contexts, no XML document
type declarations); bounded in size (413), time (503 after ``validation_timeout`` s), memory, and
concurrency (503 when all validation processes are busy).
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, request

from ..errors import ProtocolError, error_response
from ..jobs import POSTED_FORMATS, REPORT_TYPES, ValidationJob
from ..sandbox import JobCrashed, JobStopped, Kind, PoolUnavailable
from ..state import get_state

__all__ = ["bp"]

bp = Blueprint("validation", __name__)

_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


@bp.route("/shacl", methods=["POST"])
def shacl() -> Response:
    state = get_state()
    cfg = state.config
    limit = cfg.validation_body_limit
    if request.content_length is not None and request.content_length > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes")
    media_type = request.mimetype
    if media_type not in POSTED_FORMATS:
        raise ProtocolError(415, f"unsupported Content-Type {media_type or 'none'!r}; send one of "
                                 f"{', '.join(POSTED_FORMATS)}")
    body = request.get_data(cache=False)
    if len(body) > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes")
    flag = request.args.get("with-project", "true").lower()
    if flag not in _TRUE + _FALSE:
        raise ProtocolError(400, f"'with-project' must be true or false, got {flag!r}")
    report_type = request.accept_mimetypes.best_match(REPORT_TYPES, default="text/turtle") or "text/turtle"
    job = ValidationJob(media_type=media_type, report_type=report_type, with_project=flag in _TRUE)
    deadline = time.monotonic() + cfg.validation_timeout
    try:
        answer = state.validation.run(job.header(), body, deadline=deadline)
    except JobStopped as exc:
        if exc.reason == "busy":
            raise ProtocolError(503, "the validation service is busy; retry later", **{"Retry-After": "5"}) from exc
        raise ProtocolError(503, f"validation took longer than {cfg.validation_timeout:g} s") from exc
    except JobCrashed as exc:
        raise ProtocolError(503, f"validation stopped: {exc}") from exc
    except PoolUnavailable as exc:
        raise ProtocolError(503, f"validation not run: {exc}", **{"Retry-After": "5"}) from exc
    if answer.kind == Kind.REFUSED:
        status = int(answer.header.get("status", 400))  # type: ignore[call-overload]
        return error_response(status, "Bad posted data", str(answer.header.get("message", "")))
    headers = {"X-Conforms": "true" if answer.header.get("conforms") else "false"}
    return Response(answer.body, mimetype=str(answer.header["content_type"]), headers=headers)
