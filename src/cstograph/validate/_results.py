"""SHACL §3.6, the validation report: its results read into Python values, in a stable order."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import RDF, SH, bind_prefixes

__all__ = [
    "SEVERITY_ORDER", "ValidationOutcome", "ValidationResult", "read_outcome", "read_results", "severity_name",
    "write_outcome",
]

#: Violations first, then warnings, then infos.
SEVERITY_ORDER: dict[Node, int] = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


def severity_name(severity: Node) -> str:
    """``sh:Violation`` → ``"Violation"``."""
    return str(severity).rsplit("#", 1)[-1]


@dataclass(frozen=True, slots=True)
class ValidationResult:
    focus_node: Node
    source_shape: Node
    severity: URIRef
    message: str  #: the English message (or the only one)
    path: Node | None
    value: Node | None
    messages: tuple[Literal, ...] = ()  #: every sh:resultMessage, all languages
    node: Node | None = None  #: the sh:ValidationResult node in the report graph

    def message_in(self, language: str) -> str | None:
        for m in self.messages:
            if m.language == language:
                return str(m)
        return None


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    conforms: bool  #: no result of severity sh:Violation
    report: Graph
    text: str
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Violation)


def _result(report: Graph, r: Node) -> ValidationResult:
    messages = tuple(sorted((m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal)),
                            key=lambda m: (m.language or "", str(m))))
    # English, else without a language tag (the least, whatever the report graph's order: pyshacl-turbo's own
    # SPARQL-constraint results carry every language's message untagged)
    english = [m for m in messages if m.language == "en"] or [m for m in messages if m.language is None]
    return ValidationResult(
        focus_node=report.value(r, SH.focusNode),  # type: ignore[arg-type]
        source_shape=report.value(r, SH.sourceShape),  # type: ignore[arg-type]
        severity=report.value(r, SH.resultSeverity),  # type: ignore[arg-type]
        message=str((english or list(messages) or [Literal("")])[0]),
        path=report.value(r, SH.resultPath),
        value=report.value(r, SH.value),
        messages=messages,
        node=r,
    )


def read_results(report: Graph) -> tuple[ValidationResult, ...]:
    """The results of a report graph: by severity, then shape, focus node and value."""
    out = [_result(report, r) for r in report.subjects(SH.resultSeverity, None)]
    return tuple(sorted(out, key=lambda x: (SEVERITY_ORDER.get(x.severity, 9), str(x.source_shape),
                                            str(x.focus_node), str(x.value))))


def conclude(report: Graph, text: str) -> ValidationOutcome:
    """The outcome of a finished report: ``sh:conforms`` set from the results (no sh:Violation)."""
    results = read_results(report)
    conforms = not any(r.severity == SH.Violation for r in results)
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    if report_node is not None:
        report.set((report_node, SH.conforms, Literal(conforms)))
    return ValidationOutcome(conforms=conforms, report=report, text=text, results=results)


def write_outcome(outcome: ValidationOutcome, folder: Path) -> None:
    """Keep an outcome (its report in Turtle and its text) in ``folder``, written whole or not at all."""
    tmp = folder.with_name(f".{folder.name}-{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    outcome.report.serialize(tmp / "report.ttl", format="turtle")
    (tmp / "report.txt").write_text(outcome.text, encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)


def read_outcome(folder: Path) -> ValidationOutcome:
    """An outcome kept by :func:`write_outcome`."""
    from ..bridge import graph_of, triples_of
    from ..store import MemoryStore

    store = MemoryStore()
    store.load_file(folder / "report.ttl", graph_name="urn:cstograph:report")
    report = bind_prefixes(graph_of(triples_of(store.oxigraph)))
    return conclude(report, (folder / "report.txt").read_text(encoding="utf-8"))
