"""SHACL Core (SHACL §4), and whatever SHACL-SPARQL is left to it, by pySHACL."""

from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph

from ..errors import InputError

__all__ = ["core_report"]


def core_report(data: Graph, shapes: Graph) -> tuple[Graph, str]:
    """pySHACL's report graph and text for ``data`` against ``shapes`` (no inference: the ontology is
    already mixed into ``data``). Raises :class:`InputError` when the shapes cannot be used."""
    _, report, text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
    )
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure for unusable shapes
        raise InputError(f"the shapes cannot be used: {report}")
    return report, str(text)
