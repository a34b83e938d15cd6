"""What the routers share: answers that are a function of the snapshot, with entity tags, ``304``s and the
rendered-answer cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import werkzeug.wrappers
from flask import Response, request

from ..caching import etag_for, not_modified, with_validators
from ..errors import ProtocolError
from ..negotiation import Format
from ..state import get_state

__all__ = ["cached", "requested_language", "vary"]


R = TypeVar("R", bound=werkzeug.wrappers.Response)


def vary(response: R) -> R:
    """Mark ``response`` as chosen by content negotiation (RFC 9110 §12.5.5)."""
    response.vary.add("Accept")
    return response


def cached(fmt: Format | str, make: Callable[[], bytes], *parts: object, status: int = 200) -> Response:
    """The answer ``make()`` in ``fmt``, identified by the request path, ``parts`` and the snapshot: ``304``
    when the client has it, else from the rendered-answer cache or made once and kept."""
    state = get_state()
    media = fmt if isinstance(fmt, str) else fmt.content_type
    etag = etag_for(state.snapshot.id, request.path, media, *parts)
    unchanged = not_modified(etag)
    if unchanged is not None:
        return unchanged

    def render() -> tuple[bytes, int]:
        body = make()
        return body, len(body) + 128

    body = state.rendered.get_or_make(etag, render)
    assert isinstance(body, bytes)
    return with_validators(Response(body, status=status, content_type=media), etag)


def requested_language() -> str:
    """The ``lang`` parameter of pages and APIs: ``en`` (the default) or ``ru``; anything else is a 400."""
    lang = request.args.get("lang", "en")
    if lang not in ("en", "ru"):
        raise ProtocolError(400, f"'lang' must be en or ru, got {lang!r}")
    return lang
