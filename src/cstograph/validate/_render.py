"""A dataset's validation report for people and programs: text grouped by severity and shape, JSON, and
the ``sh:ValidationReport`` in Turtle (SHACL §3.6) with the named graph of each result's triples."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.term import Node

from ..namespaces import RDFS, bind_prefixes, n3
from ._results import SEVERITY_ORDER, severity_name

if TYPE_CHECKING:
    from ._locate import LocatedResult, ValidationReport

__all__ = ["render_text", "render_turtle", "to_json"]


def _name(n: Node | None) -> str:
    return "-" if n is None else n3(n)


def _header(report: ValidationReport, shown: tuple[LocatedResult, ...], everything: bool) -> list[str]:
    c, all_c = report.counts(shown), report.counts()
    lines = [f"SHACL validation: {c['violations']} violation(s), {c['warnings']} warning(s), "
             f"{c['infos']} info(s) — {'conforms' if report.conforms else 'DOES NOT CONFORM'}"]
    if report.user_graphs and not everything:
        files = ", ".join(sorted(report.file_of(u) for u in report.user_graphs))
        hidden = len(report.located) - len(shown)
        lines.append(f"validated together with the project; showing the results that involve {files}"
                     + (f" ({hidden} other result(s) of the project not shown: --all)" if hidden else ""))
        if all_c["violations"] != c["violations"]:
            lines.append(f"the project itself has {all_c['violations'] - c['violations']} violation(s)")
    return lines


def _result_lines(report: ValidationReport, r: LocatedResult) -> list[str]:
    label = f' "{r.focus_label}"' if r.focus_label else ""
    files = ", ".join(report.file_of(gr) for gr in r.graphs) or "(no source triple)"
    yours = "  ← yours" if r.yours and report.user_graphs else ""
    lines = [f"  - {_name(r.result.focus_node)}{label}  [{files}]{yours}", f"      {r.result.message}"]
    ru = r.result.message_in("ru")
    if ru:
        lines.append(f"      {ru}")
    if r.result.path is not None or r.result.value is not None:
        lines.append(f"      path {_name(r.result.path)}  value {_name(r.result.value)}")
    if report.user_graphs and r.yours:
        lines += [f"      your triple: {_name(s)} {_name(p)} {_name(o)} ." for s, p, o in r.triples]
    return lines


def render_text(report: ValidationReport, *, everything: bool = False) -> str:
    """Counts, then the results grouped by severity and shape, each with its focus node's label, files,
    messages (English and Russian), path and value, and the user's own triples when there are any."""
    shown = report.shown(everything=everything)
    lines = _header(report, shown, everything)
    groups: dict[tuple[Node, Node], list[LocatedResult]] = defaultdict(list)
    for r in shown:
        groups[(r.result.severity, r.result.source_shape)].append(r)
    for (severity, shape), rs in sorted(groups.items(), key=lambda kv: (
            SEVERITY_ORDER.get(kv[0][0], 9), str(kv[0][1]))):
        lines += ["", f"{severity_name(severity)} · {_name(shape)} ({len(rs)})"]
        for r in rs:
            lines += _result_lines(report, r)
    return "\n".join(lines) + "\n"


def to_json(report: ValidationReport, *, everything: bool = False) -> dict[str, object]:
    shown = report.shown(everything=everything)
    return {
        "conforms": report.conforms,
        "counts": report.counts(shown),
        "results": [
            {
                "focusNode": str(r.result.focus_node),
                "focusLabel": r.focus_label,
                "sourceShape": str(r.result.source_shape),
                "severity": str(r.result.severity),
                "message": r.result.message,
                "messages": {m.language or "": str(m) for m in r.result.messages},
                "path": None if r.result.path is None else str(r.result.path),
                "value": None if r.result.value is None else str(r.result.value),
                "files": [report.file_of(g) for g in r.graphs],
                "graphs": [str(g) for g in r.graphs],
                "yours": r.yours,
                "triples": [[t.n3() for t in triple] for triple in r.triples] if r.yours else [],
            }
            for r in shown
        ],
    }


def render_turtle(report: ValidationReport) -> str:
    """The sh:ValidationReport, each result with ``rdfs:seeAlso`` the named graph(s) of its triples."""
    g = bind_prefixes(Graph())
    for t in report.outcome.report:
        g.add(t)
    for r in report.located:
        if r.result.node is not None:
            for gr in r.graphs:
                g.add((r.result.node, RDFS.seeAlso, gr))
    return g.serialize(format="turtle")
