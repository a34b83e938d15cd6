"""Which IRIs may become links on a page, and where they point."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["LINK_SCHEMES", "link_target", "local_path"]

#: The only schemes that become links on pages; anything else (``javascript:``, ``data:``…) is shown as text.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def local_path(iri: str, base: str) -> str | None:
    """The path on this server for an IRI under the base (``/id/state/ARM``, ``/ontology#State``),
    percent-encoded so that it can only be a path on this server (never ``//host`` or a scheme)."""
    if not iri.startswith(base):
        return None
    path = "/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~%#?")
    if path.startswith("//"):
        path = "/%2F" + path[2:]
    return path


def link_target(iri: str, base: str) -> tuple[str | None, bool]:
    """``(href, external)`` for an IRI shown on a page: a local path for IRIs under the base, the IRI itself
    for an ``http``/``https``/``mailto`` IRI elsewhere, and ``None`` — no link — for any other scheme."""
    local = local_path(iri, base)
    if local is not None:
        return local, False
    if iri.lower().startswith(LINK_SCHEMES) and not any(c in iri for c in "\x00\t\n\r"):
        return iri, True
    return None, False
