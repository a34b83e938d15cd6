"""SHACL validation with pySHACL: the data (with the ontology mixed in, so sh:targetClass sees
subclasses) against the project's shapes. One functional entry point, like pySHACL's own."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import SH

__all__ = ["ValidationResult", "ValidationOutcome", "validate_graph"]


@dataclass(frozen=True, slots=True)
class ValidationResult:
    focus_node: Node
    source_shape: Node
    severity: URIRef
    message: str
    path: Node | None
    value: Node | None


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    conforms: bool  #: no result of severity sh:Violation
    report: Graph
    text: str
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Violation)


def _results(report: Graph) -> tuple[ValidationResult, ...]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        messages = [m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")]
        msg = str((english or messages or [Literal("")])[0])
        out.append(
            ValidationResult(
                focus_node=report.value(r, SH.focusNode),  # type: ignore[arg-type]
                source_shape=report.value(r, SH.sourceShape),  # type: ignore[arg-type]
                severity=report.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                message=msg,
                path=report.value(r, SH.resultPath),
                value=report.value(r, SH.value),
            )
        )
    return tuple(sorted(out, key=lambda x: (str(x.severity), str(x.source_shape), str(x.focus_node))))


def validate_graph(data: Graph, shapes: Graph, *, ontology: Graph | None = None) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``; ``ontology`` is mixed in for class hierarchy lookups.

    ``conforms`` is True when there is no sh:Violation (Warnings and Infos are findings, not failures).
    """
    _, report, text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
    )
    results = _results(report)
    conforms = not any(r.severity == SH.Violation for r in results)
    return ValidationOutcome(conforms=conforms, report=report, text=text, results=results)
