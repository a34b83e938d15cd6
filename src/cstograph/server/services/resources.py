"""Describing a resource: its facts, its sources, the resources around it — for a page (a view model) or
for a program (its concise bounded description).

Reads the store through the Store protocol (quad patterns with terms: no IRI is ever formatted into a query)
and labels from the label index built at start-up. What one related resource looks like on a page (its
label, types, dates, status, sources) is computed once per process and kept (:class:`NodeViews`): the
dataset does not change while it is served.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ...namespaces import CST, INFERRED_GRAPH, OWL, RDF, RDFS, SKOS, curie, to_ox
from ...store import GraphStore
from ..caching import BytesCache
from ..views.links import link_target
from .search import SearchIndex

__all__ = ["CitationView", "Description", "NodeView", "ResourceService", "Value"]

_RDF_TYPE = to_ox(RDF.type)
_INFERRED = to_ox(INFERRED_GRAPH)
_HIDDEN = frozenset({str(RDF.type), str(RDFS.label), str(CST.citation), str(SKOS.exactMatch), str(SKOS.closeMatch),
                     str(SKOS.altLabel), str(SKOS.definition), str(CST.source)})
_EXTERNAL = frozenset({str(SKOS.exactMatch), str(SKOS.closeMatch), str(RDFS.seeAlso), str(OWL.sameAs)})
_SKIP_INCOMING = frozenset({str(CST.citedSource), str(CST.source)})
_SECTIONS = (  # (class, section title) for resources pointing at the page's resource
    (str(CST.Membership), "Memberships"),
    (str(CST.OfficeTerm), "Offices"),
    (str(CST.ArticleVersion), "Versions"),
    (str(CST.Obligation), "Obligations"),
    (str(CST.Event), "Events"),
    (str(CST.Claim), "Claims about it"),
    (str(CST.Statistic), "Statistics"),
)
_NODE_LINKS = (str(CST.memberOf), str(CST.member), str(CST.post), str(CST.holder))


@dataclass
class Value:
    """One object of a fact, ready for the template."""

    text: str
    href: str | None = None
    external: bool = False
    lang: str = ""
    datatype: str = ""
    inferred: bool = False


@dataclass
class CitationView:
    source: Value
    locator: str = ""
    quote: str = ""


@dataclass
class NodeView:
    iri: str
    href: str | None
    label: str
    types: list[Value] = field(default_factory=list)
    when: str = ""
    status: str = ""
    extra: list[tuple[str, Value]] = field(default_factory=list)
    citations: list[CitationView] = field(default_factory=list)
    inferred: bool = False
    relation: str = ""  # how it points at the page's resource ("responds to", "occasioned by" …)


@dataclass(frozen=True, slots=True)
class Fact:
    predicate: ox.NamedNode
    value: ox.NamedNode | ox.Literal | ox.BlankNode
    inferred: bool


@dataclass(slots=True)
class Description:
    """Every quad with the resource as subject (deduplicated over graphs) and every one pointing at it."""

    iri: str
    outgoing: list[Fact] = field(default_factory=list)
    incoming: list[tuple[ox.NamedNode, ox.NamedNode, bool]] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)


def local_name(iri: str) -> str:
    """``memberOf`` → ``member of``: a readable name for a term without a label here."""
    local = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in local).strip() or iri


class ResourceService:
    """Resource descriptions and page models over one store, with one label index."""

    def __init__(self, store: GraphStore, labels: SearchIndex, *, base: str) -> None:
        self.store = store
        self.labels = labels
        self.base = base
        self._closures = {cls: self._subclasses(cls) for cls, _ in _SECTIONS}
        self._nodes = BytesCache(max_bytes=20_000)  # counted in entries: each view weighs 1

    # --- labels and terms ---------------------------------------------------------------------------------
    def label(self, iri: str, lang: str = "en") -> str:
        found = self.labels.label(iri, lang)
        if found is not None:
            return found
        if iri.startswith(self.base):
            return curie(iri)
        return local_name(iri)

    def value(self, term: Any, *, inferred: bool = False, lang: str = "en") -> Value:
        if isinstance(term, ox.NamedNode):
            href, external = link_target(term.value, self.base)
            text = curie(term.value) if external or href is None else self.label(term.value, lang)
            return Value(text, href, external, inferred=inferred)
        if isinstance(term, ox.Literal):
            dtype = term.datatype.value if term.datatype else ""
            short = curie(dtype) if dtype and not dtype.endswith(("#string", "#langString")) else ""
            return Value(term.value, lang=term.language or "", datatype=short, inferred=inferred)
        return Value("(blank node)", inferred=inferred)

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(self.store.quads(node), None) is not None or next(
            self.store.quads(None, None, node), None) is not None

    def _subclasses(self, cls: str) -> set[str]:
        """``cls`` and its subclasses (asserted and inferred ``rdfs:subClassOf``), walked once at start-up."""
        found, todo = {cls}, [cls]
        sub = to_ox(RDFS.subClassOf)
        while todo:
            for q in self.store.quads(None, sub, ox.NamedNode(todo.pop())):
                if isinstance(q.subject, ox.NamedNode) and q.subject.value not in found:
                    found.add(q.subject.value)
                    todo.append(q.subject.value)
        return found

    # --- for programs -------------------------------------------------------------------------------------
    def describe(self, iri: str) -> Description:
        node = ox.NamedNode(iri)
        desc = Description(iri)
        seen: set[tuple[str, str]] = set()
        for q in sorted(self.store.quads(node), key=lambda q: q.graph_name == _INFERRED):
            key = (str(q.predicate), str(q.object))
            if key in seen:
                continue
            seen.add(key)
            desc.outgoing.append(Fact(q.predicate, q.object, q.graph_name == _INFERRED))  # type: ignore[arg-type]
        seen_in: set[tuple[str, str]] = set()
        for q in sorted(self.store.quads(None, None, node), key=lambda q: q.graph_name == _INFERRED):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            key = (str(q.subject), str(q.predicate))
            if key not in seen_in:
                seen_in.add(key)
                desc.incoming.append((q.subject, q.predicate, q.graph_name == _INFERRED))
        return desc

    def bounded_description(self, iri: str) -> list[ox.Triple]:
        """The resource's Concise Bounded Description (W3C Member Submission): its triples, and recursively
        those of the blank nodes they reach (citations), over all named graphs, deduplicated."""
        out: dict[ox.Triple, None] = {}
        todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        done: set[object] = set()
        while todo:
            node = todo.pop()
            if node in done:
                continue
            done.add(node)
            for q in self.store.quads(node):
                out[q.triple] = None
                if isinstance(q.object, ox.BlankNode):
                    todo.append(q.object)
        return list(out)

    # --- for people ---------------------------------------------------------------------------------------
    def _quads_by_predicate(self, node: ox.NamedNode | ox.BlankNode) -> dict[str, list[ox.Quad]]:
        grouped: dict[str, list[ox.Quad]] = {}
        for q in self.store.quads(node):
            grouped.setdefault(q.predicate.value, []).append(q)
        return grouped

    def citations(self, grouped: Mapping[str, list[ox.Quad]], lang: str) -> list[CitationView]:
        out = []
        for q in grouped.get(str(CST.citation), ()):
            if not isinstance(q.object, ox.BlankNode | ox.NamedNode):
                continue
            fields = self._quads_by_predicate(q.object)
            source = _first(fields, str(CST.citedSource))
            locator = _first(fields, str(CST.locator))
            quote = _first(fields, str(CST.quote))
            out.append(CitationView(self.value(source, lang=lang) if source is not None else Value("(unknown source)"),
                                    locator.value if locator is not None else "",
                                    quote.value if quote is not None else ""))
        unique = {(c.source.text, c.locator, c.quote): c for c in out}
        return sorted(unique.values(), key=lambda cv: (not cv.quote, cv.source.text))

    def types(self, grouped: Mapping[str, list[ox.Quad]], lang: str) -> list[Value]:
        seen: dict[str, Value] = {}
        for q in sorted(grouped.get(str(RDF.type), ()), key=lambda q: q.graph_name == _INFERRED):
            if not isinstance(q.object, ox.NamedNode) or q.object.value.startswith(str(OWL)):
                continue
            if q.object.value not in seen:
                seen[q.object.value] = self.value(q.object, inferred=q.graph_name == _INFERRED, lang=lang)
        return sorted(seen.values(), key=lambda v: (v.inferred, v.text))

    def node(self, iri: str, *, lang: str = "en") -> NodeView:
        """A compact view of a resource (label, asserted types, dates, status, links, sources), kept."""
        view = self._nodes.get_or_make((iri, lang), lambda: (self._node(iri, lang), 1))
        assert isinstance(view, NodeView)
        return view

    def _node(self, iri: str, lang: str) -> NodeView:
        grouped = self._quads_by_predicate(ox.NamedNode(iri))
        href, _ = link_target(iri, self.base)
        view = NodeView(iri, href, self.label(iri, lang))
        view.types = [t for t in self.types(grouped, lang) if not t.inferred]
        date = _first(grouped, str(CST.date))
        start = _first(grouped, str(CST.startDate)) or _first(grouped, str(CST.validFrom))
        end = _first(grouped, str(CST.endDate)) or _first(grouped, str(CST.validUntil))
        if date is not None:
            view.when = date.value
        elif start is not None:
            view.when = f"{start.value} – {end.value if end is not None else 'present'}"
        status = _first(grouped, str(CST.status))
        if isinstance(status, ox.NamedNode):
            view.status = self.label(status.value, lang)
        for prop in _NODE_LINKS:
            obj = _first(grouped, prop)
            if obj is not None:
                view.extra.append((self.label(prop, lang), self.value(obj, lang=lang)))
        view.citations = self.citations(grouped, lang)
        return view

    def related(self, iri: str, *, context: str, inferred: bool, relation: str, lang: str) -> NodeView:
        """A node seen from the page of ``context``: a copy without the facts that point back at it."""
        base = self.node(iri, lang=lang)
        return NodeView(base.iri, base.href, base.label, list(base.types), base.when, base.status,
                        [(k, v) for k, v in base.extra if not (v.href and _same(v, context, self.base))],
                        base.citations, inferred, relation)

    def page(self, iri: str, *, lang: str = "en") -> dict[str, Any] | None:
        """The view model of ``templates/resource.html`` (None: no such resource)."""
        desc = self.describe(iri)
        if not desc.exists:
            return None
        grouped = self._quads_by_predicate(ox.NamedNode(iri))
        facts, external, alt = self._facts(desc, lang)
        sections, referenced = self._related(desc, lang)
        type_iris = {q.object.value for q in grouped.get(str(RDF.type), ()) if isinstance(q.object, ox.NamedNode)}
        versions = self._versions(sections, lang) if type_iris & {str(CST.Article), str(CST.LegalDocumentPart)} else []
        return {
            "iri": iri,
            "label": self.label(iri, lang),
            "labels": self.labels.labels_of(iri),
            "alt": alt,
            "types": self.types(grouped, lang),
            "facts": facts,
            "external": external,
            "citations": self.citations(grouped, lang),
            "sections": [(t, v) for t, v in sections.items() if v],
            "versions": versions,
            "referenced": sorted(referenced, key=lambda x: (x[0], x[1].label)),
            "type_iris": type_iris,
        }

    def _facts(self, desc: Description, lang: str) -> tuple[OrderedDict[str, list[Value]], list[Value], list[str]]:
        facts: OrderedDict[str, list[Value]] = OrderedDict()
        external: list[Value] = []
        alt: list[str] = []
        for f in sorted(desc.outgoing, key=lambda f: (f.inferred, self.label(f.predicate.value, lang))):
            p = f.predicate.value
            if p in _EXTERNAL and isinstance(f.value, ox.NamedNode):
                href, is_external = link_target(f.value.value, self.base)
                external.append(Value(f.value.value, href, is_external, inferred=f.inferred))
            elif p == str(SKOS.altLabel):
                alt.append(f.value.value)
            elif p not in _HIDDEN and not isinstance(f.value, ox.BlankNode):
                facts.setdefault(self.label(p, lang), []).append(self.value(f.value, inferred=f.inferred, lang=lang))
        return facts, external, alt

    def _related(self, desc: Description, lang: str) -> tuple[OrderedDict[str, list[NodeView]],
                                                                list[tuple[str, NodeView]]]:
        sections: OrderedDict[str, list[NodeView]] = OrderedDict((title, []) for _, title in _SECTIONS)
        referenced: list[tuple[str, NodeView]] = []
        for subject, predicate, inferred in desc.incoming:
            if predicate.value in _SKIP_INCOMING or subject.value == desc.iri:
                continue
            types = {q.object.value for q in self.store.quads(subject, _RDF_TYPE) if isinstance(q.object, ox.NamedNode)}
            title = next((t for c, t in _SECTIONS if types & self._closures[c]), None)
            relation = self.label(predicate.value, lang) if title in ("Events", "Claims about it", None) else ""
            view = self.related(subject.value, context=desc.iri, inferred=inferred, relation=relation, lang=lang)
            if title is None:
                referenced.append((self.label(predicate.value, lang), view))
                continue
            if title != "Events":  # the section names the class; an event's kind stays
                section_class = next(c for c, t in _SECTIONS if t == title)
                view.types = [t for t in view.types if not (t.href and _same(t, section_class, self.base))]
            if all(v.iri != view.iri for v in sections[title]):
                sections[title].append(view)
        for views in sections.values():
            views.sort(key=lambda v: (v.when or "9999", v.label))
        return sections, referenced

    def _versions(self, sections: OrderedDict[str, list[NodeView]], lang: str) -> list[dict[str, Any]]:
        """An article: its text by version and the obligations each version imposes."""
        out = []
        for v in sections.pop("Versions", []):
            grouped = self._quads_by_predicate(ox.NamedNode(v.iri))
            texts = [self.value(q.object, lang=lang) for q in grouped.get(str(CST.text), ())]
            obligations = [self.node(q.object.value, lang=lang) for q in grouped.get(str(CST.imposes), ())
                           if isinstance(q.object, ox.NamedNode)]
            out.append({"view": v, "texts": texts, "obligations": obligations})
        return out

    def memberships_of(self, iri: str) -> list[str]:
        """What a state is or was a member of (through its memberships)."""
        member = to_ox(CST.member)
        member_of = to_ox(CST.memberOf)
        return sorted({q.object.value for m in self.store.quads(None, member, ox.NamedNode(iri))
                       for q in self.store.quads(m.subject, member_of) if isinstance(q.object, ox.NamedNode)})

    def has_members(self, iri: str) -> bool:
        return next(self.store.quads(None, to_ox(CST.memberOf), ox.NamedNode(iri)), None) is not None

    def instances(self, cls: str, *, lang: str = "en", asserted: bool = False) -> list[NodeView]:
        """Views of the instances of ``cls`` (only those typed so in the data, with ``asserted``), by label."""
        found = {q.subject.value for q in self.store.quads(None, _RDF_TYPE, ox.NamedNode(cls))
                 if isinstance(q.subject, ox.NamedNode) and not (asserted and q.graph_name == _INFERRED)}
        return sorted((self.node(iri, lang=lang) for iri in found), key=lambda v: v.label)


def _first(grouped: Mapping[str, Iterable[ox.Quad]], prop: str) -> Any:
    for q in grouped.get(prop, ()):
        return q.object
    return None


def _same(value: Value | NodeView, iri: str, base: str) -> bool:
    href, _ = link_target(iri, base)
    return value.href == href
