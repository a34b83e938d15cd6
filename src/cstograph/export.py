"""Tidy tables for researchers who do not write SPARQL: ``cstograph export``.

Each table is a named query ``queries/export/<table>.rq`` (``#+ summary:``, ``#+ description:`` and one
``#+ column: <name> <description>`` line per column) run on the built dataset. It is written as CSV (RFC 4180,
UTF-8, a header row; empty cell = no value) with a Frictionless Data Package descriptor (``datapackage.json``,
Table Schema: field names, types, descriptions, primary key) beside them. Every row keeps the IRI of the node it
describes and the IRIs of its sources; multi-valued cells hold IRIs separated by single spaces, sorted.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import XSD
from .queries import NamedQuery, load_queries

__all__ = ["Table", "export", "export_tables", "read_tables"]

#: Table Schema types of the XSD datatypes the tables hold; a column whose values mix types is a string.
TYPES = {str(XSD.date): "date", str(XSD.integer): "integer", str(XSD.decimal): "number",
         str(XSD.boolean): "boolean", str(XSD.gYear): "year", str(XSD.duration): "duration"}
PACKAGE = "datapackage.json"


@dataclass(frozen=True, slots=True)
class Table:
    """One exported table: its query, column descriptions, Table Schema types and rows (text cells)."""

    query: NamedQuery
    columns: tuple[tuple[str, str], ...]
    types: dict[str, str]
    rows: tuple[tuple[str, ...], ...]

    @property
    def name(self) -> str:
        return self.query.name

    @property
    def key(self) -> list[str]:
        """The columns that identify a row: the IRI(s) the row is about."""
        iris = [c for c, _ in self.columns if c == "iri" or c.startswith("iri_")]
        if self.name == "requests":
            return ["iri", "response"]
        if self.name == "obligations":
            return ["iri", "membership"]
        return iris


def _columns(query: NamedQuery) -> tuple[tuple[str, str], ...]:
    out = []
    for line in query.text.splitlines():
        if line.startswith("#+ column:"):
            name, _, description = line.removeprefix("#+ column:").strip().partition(" ")
            out.append((name, description.strip()))
    if not out:
        raise ValueError(f"{query.path}: no '#+ column:' lines")
    return tuple(out)


def _cell(term: object) -> tuple[str, str]:
    """The text of a result term and its Table Schema type."""
    if term is None:
        return "", ""
    if isinstance(term, ox.Literal):
        value = term.value
        text = " ".join(sorted(value.split(" "))) if _is_iri_list(value) else value
        return text, TYPES.get(term.datatype.value, "string")
    if isinstance(term, ox.NamedNode):
        return term.value, "iri"
    return str(term), "string"


def _is_iri_list(value: str) -> bool:
    parts = value.split(" ")
    return len(parts) > 1 and all(p.startswith(("http://", "https://")) for p in parts)


def export_tables(store: ox.Store, queries_dir: Path) -> list[Table]:
    """Run every ``queries/export/*.rq`` on ``store`` (default graph = union of the named graphs)."""
    tables = []
    for query in load_queries(queries_dir, "export").values():
        columns = _columns(query)
        names = [c for c, _ in columns]
        solutions = store.query(query.text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions), f"{query.path}: an export is a SELECT query"
        projected = [v.value for v in solutions.variables]
        if projected != names:
            raise ValueError(f"{query.path}: '#+ column:' lines {names} do not match the projection {projected}")
        seen: dict[str, set[str]] = {n: set() for n in names}
        rows = []
        for solution in solutions:
            row = []
            for n in names:
                text, kind = _cell(solution[n])
                if text:
                    seen[n].add(kind)
                row.append(text)
            rows.append(tuple(row))
        types = {n: _field_type(kinds) for n, kinds in seen.items()}
        tables.append(Table(query, columns, types, tuple(rows)))
    return tables


def _field_type(kinds: set[str]) -> str:
    if kinds == {"iri"}:
        return "iri"
    if len(kinds) == 1:
        return next(iter(kinds))
    return "string"


def _schema_field(name: str, description: str, kind: str) -> dict[str, object]:
    field: dict[str, object] = {"name": name, "description": description}
    if kind == "iri":
        field.update(type="string", format="uri")
    elif kind in ("", "duration"):
        field["type"] = "string"
    else:
        field["type"] = kind
    return field


def export(store: ox.Store, queries_dir: Path, out_dir: Path) -> list[Path]:
    """Write one CSV per table and ``datapackage.json`` into ``out_dir``; return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = export_tables(store, queries_dir)
    written = []
    resources = []
    for table in tables:
        path = out_dir / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c for c, _ in table.columns])
            writer.writerows(table.rows)
        written.append(path)
        resources.append({
            "name": table.name.replace("_", "-"),
            "path": path.name,
            "title": table.query.summary,
            "description": table.query.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [_schema_field(c, d, table.types[c]) for c, d in table.columns],
                "primaryKey": table.key,
                "missingValues": [""],
            },
        })
    package = {
        "name": "cstograph",
        "title": "cstograph: the Collective Security Treaty Organization as tidy tables",
        "description": "Tables exported from the cstograph knowledge graph (`cstograph export`). Each row keeps the "
                       "IRI of the node it describes and the IRIs of the documents read that support it.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "profile": "tabular-data-package",
        "resources": resources,
    }
    package_path = out_dir / PACKAGE
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [*written, package_path]


def read_tables(out_dir: Path) -> dict[str, list[dict[str, str]]]:
    """The tables of an export folder, as rows of text cells (for tests and notebooks)."""
    package = json.loads((out_dir / PACKAGE).read_text(encoding="utf-8"))
    out = {}
    for resource in package["resources"]:
        with (out_dir / resource["path"]).open(encoding="utf-8", newline="") as handle:
            out[Path(resource["path"]).stem] = list(csv.DictReader(handle))
    return out
