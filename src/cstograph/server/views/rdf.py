"""RDF documents: triples → bytes of a negotiated format, with the project's prefixes where the format has them."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ...namespaces import PREFIXES
from ..negotiation import Format

__all__ = ["serialize_triples"]

_PREFIXES = {k: str(v) for k, v in PREFIXES.items()}


def serialize_triples(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    rdf = fmt.rdf
    if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG):
        return ox.serialize(list(triples), format=rdf, prefixes=_PREFIXES) or b""
    return ox.serialize(list(triples), format=rdf) or b""
