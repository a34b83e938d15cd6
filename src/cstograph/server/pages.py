"""Linked-data pages: dereferenceable IRIs, the home page, the ontology documentation, the membership
timeline, the VoID description and the dumps.

Dereferencing (the "303 See Other" pattern of "Cool URIs for the Semantic Web", W3C IG Note 2008, §4.3):
an IRI of a thing, ``/id/<type>/<slug>``, answers ``303`` to the document describing it in the negotiated
format, ``/id/<type>/<slug>.<ext>`` (``html``, ``ttl``, ``jsonld``, ``nt``, ``rdf``), which answers ``200``.
The ontology IRI ``/ontology`` names a document (the ontology), so it answers ``200`` directly by
content negotiation (``Vary: Accept``); a term ``/ontology/<Term>`` answers ``303`` to ``/ontology#Term``
for browsers, or ``200`` with the term's description in RDF.
A request path maps onto the IRI base (``https://w3id.org/cstograph/`` unless the operator sets
``ServerConfig.extra["iri_base"]``), whatever host the server is reached on.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyoxigraph as ox
import werkzeug.wrappers
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup

from ..namespaces import BASE, CST, INFERRED_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_IRI
from ..store import GraphStore
from . import render as r
from .errors import ProtocolError
from .state import get_state
from .timeline import DEFAULT_SUBJECTS, render_svg, timeline_data
from .void import void_triples

__all__ = ["bp"]

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

RDF_TYPE = r.RDF_TYPE
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
_HIDDEN = {RDF_TYPE.value, RDFS + "label", str(CST.citation), SKOS + "exactMatch", SKOS + "closeMatch",
           SKOS + "altLabel", SKOS + "definition", str(CST.source)}
_EXTERNAL = (SKOS + "exactMatch", SKOS + "closeMatch", RDFS + "seeAlso", OWL + "sameAs")


def get_store() -> GraphStore:
    return get_state().store


def iri_base() -> str:
    return get_state().config.iri_base


def public_url() -> str:
    return get_state().config.public_url or request.host_url.rstrip("/")


def _iri(text: str) -> str:
    """``text`` if it is a valid IRI; otherwise a 400 that says why (a NUL, a space, a line break…)."""
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise ProtocolError(400, f"not a valid IRI: {text!r} ({exc})") from None
    return text


# --- view model --------------------------------------------------------------------------------------
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


def _href(iri: str) -> tuple[str | None, bool]:
    return r.link_target(iri, iri_base())


def value_view(store: GraphStore, term: Any, *, inferred: bool = False, lang: str = "en") -> Value:
    if isinstance(term, ox.NamedNode):
        href, external = _href(term.value)
        # an external IRI keeps its full link but shows its prefixed name (prov:Agent, wd:Q399) when known
        text = r.label_of(store, term, lang) if not external else r.short_iri(term.value)
        return Value(text, href, external, inferred=inferred)
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        short = r.short_iri(dtype) if dtype and not dtype.endswith(("#string", "#langString")) else ""
        return Value(term.value, lang=term.language or "", datatype=short, inferred=inferred)
    return Value("(blank node)", inferred=inferred)


def _objects(store: GraphStore, node: ox.NamedNode | ox.BlankNode, prop: str) -> list[Any]:
    return [q.object for q in store.oxigraph.quads_for_pattern(node, ox.NamedNode(prop), None, None)]


def _first(store: GraphStore, node: ox.NamedNode | ox.BlankNode, prop: str) -> Any:
    objs = _objects(store, node, prop)
    return objs[0] if objs else None


def citations_of(store: GraphStore, node: ox.NamedNode | ox.BlankNode, lang: str = "en") -> list[CitationView]:
    out = []
    for c in _objects(store, node, str(CST.citation)):
        if not isinstance(c, ox.BlankNode | ox.NamedNode):
            continue
        src = _first(store, c, str(CST.citedSource))
        loc = _first(store, c, str(CST.locator))
        quote = _first(store, c, str(CST.quote))
        out.append(CitationView(value_view(store, src, lang=lang) if src is not None else Value("(unknown source)"),
                                loc.value if loc is not None else "", quote.value if quote is not None else ""))
    out.sort(key=lambda cv: (not cv.quote, cv.source.text))
    return out


def _types(store: GraphStore, node: ox.NamedNode, lang: str) -> list[Value]:
    seen: dict[str, Value] = {}
    for q in store.oxigraph.quads_for_pattern(node, RDF_TYPE, None, None):
        if not isinstance(q.object, ox.NamedNode) or q.object.value.startswith(OWL):
            continue
        inferred = q.graph_name == ox.NamedNode(str(INFERRED_GRAPH))
        if q.object.value in seen and inferred:
            continue
        seen[q.object.value] = value_view(store, q.object, inferred=inferred, lang=lang)
    return sorted(seen.values(), key=lambda v: (v.inferred, v.text))


def _type_iris(store: GraphStore, node: ox.NamedNode) -> set[str]:
    return {q.object.value for q in store.oxigraph.quads_for_pattern(node, RDF_TYPE, None, None)
            if not isinstance(q.object, ox.Triple)}


def node_view(store: GraphStore, node: ox.NamedNode, *, lang: str = "en", inferred: bool = False,
              context: str = "", relation: str = "") -> NodeView:
    """A compact view of a related resource: label, dates, status and its sources. Facts that point back
    at ``context`` (the page's resource) are left out."""
    href, _ = _href(node.value)
    view = NodeView(node.value, href, r.label_of(store, node, lang), inferred=inferred, relation=relation)
    view.types = [t for t in _types(store, node, lang) if not t.inferred]
    date = _first(store, node, str(CST.date))
    start = _first(store, node, str(CST.startDate)) or _first(store, node, str(CST.validFrom))
    end = _first(store, node, str(CST.endDate)) or _first(store, node, str(CST.validUntil))
    if date is not None:
        view.when = date.value
    elif start is not None:
        view.when = f"{start.value} – {end.value if end is not None else 'present'}"
    status = _first(store, node, str(CST.status))
    if status is not None:
        view.status = r.label_of(store, status, lang)
    for prop in (str(CST.memberOf), str(CST.member), str(CST.post), str(CST.holder)):
        obj = _first(store, node, prop)
        if obj is not None and getattr(obj, "value", None) != context:
            view.extra.append((r.label_of(store, ox.NamedNode(prop), lang), value_view(store, obj, lang=lang)))
    view.citations = citations_of(store, node, lang)
    return view


_SECTIONS = (  # (class IRI, section title) for resources pointing at the page's resource
    (str(CST.Membership), "Memberships"),
    (str(CST.OfficeTerm), "Offices"),
    (str(CST.ArticleVersion), "Versions"),
    (str(CST.Obligation), "Obligations"),
    (str(CST.Event), "Events"),
    (str(CST.Claim), "Claims about it"),
    (str(CST.Statistic), "Statistics"),
)


def resource_page(store: GraphStore, iri: str, lang: str = "en") -> dict[str, Any] | None:
    desc = r.describe(store, iri)
    if not desc.exists:
        return None
    node = ox.NamedNode(iri)
    labels = r.labels_of(store, node)
    facts: OrderedDict[str, list[Value]] = OrderedDict()
    external: list[Value] = []
    alt: list[str] = []
    for f in sorted(desc.outgoing, key=lambda f: (f.inferred, r.label_of(store, f.predicate, lang))):
        p = f.predicate.value
        if p in _EXTERNAL and isinstance(f.value, ox.NamedNode):
            href, is_external = _href(f.value.value)
            external.append(Value(f.value.value, href, is_external, inferred=f.inferred))
            continue
        if p == SKOS + "altLabel":
            alt.append(f.value.value)
            continue
        if p in _HIDDEN or isinstance(f.value, ox.BlankNode):
            continue
        key = r.label_of(store, f.predicate, lang)
        facts.setdefault(key, []).append(value_view(store, f.value, inferred=f.inferred, lang=lang))
    sections: OrderedDict[str, list[NodeView]] = OrderedDict((title, []) for _, title in _SECTIONS)
    closures = {c: subclasses(store, c) for c, _ in _SECTIONS}
    referenced: list[tuple[str, NodeView]] = []
    for subj, pred, inferred in desc.incoming:
        if pred.value in (str(CST.citedSource), str(CST.source)) or subj.value == iri:
            continue
        types = _type_iris(store, subj)
        title = next((t for c, t in _SECTIONS if types & closures[c]), None)
        relation = r.label_of(store, pred, lang) if title in ("Events", "Claims about it", None) else ""
        view = node_view(store, subj, lang=lang, inferred=inferred, context=iri, relation=relation)
        if title is not None and title != "Events":  # the section names the class; an event's kind stays
            section_cls = next(c for c, t2 in _SECTIONS if t2 == title)
            view.types = [t for t in view.types if not (t.href and iri_base() + t.href.lstrip("/") == section_cls)]
        if title is not None:
            if all(v.iri != view.iri for v in sections[title]):
                sections[title].append(view)
        else:
            referenced.append((r.label_of(store, pred, lang), view))
    for views in sections.values():
        views.sort(key=lambda v: (v.when or "9999", v.label))
    # An article: its text by version and the obligations each version imposes.
    versions = []
    if str(CST.Article) in _type_iris(store, node) or str(CST.LegalDocumentPart) in _type_iris(store, node):
        for v in sections.pop("Versions", []):
            vnode = ox.NamedNode(v.iri)
            texts = [value_view(store, t, lang=lang) for t in _objects(store, vnode, str(CST.text))]
            obligations = [node_view(store, o, lang=lang) for o in _objects(store, vnode, str(CST.imposes))
                           if isinstance(o, ox.NamedNode)]
            versions.append({"view": v, "texts": texts, "obligations": obligations})
    member_of = sorted({q.object.value for m in sections.get("Memberships", [])
                        for q in store.oxigraph.quads_for_pattern(ox.NamedNode(m.iri), CST_MEMBER_OF, None, None)
                        if not isinstance(q.object, ox.Triple)})
    types = _type_iris(store, node)
    timeline_svg = None
    timeline_src = None
    if str(CST.State) in types and member_of:
        member_of.sort(key=lambda s: (DEFAULT_SUBJECTS.index(s) if s in DEFAULT_SUBJECTS else 9, s))
        data = timeline_data(store, member_of, states=[iri], lang=lang)
        timeline_svg = Markup(render_svg(data, width=900, title="", base=iri_base()))  # noqa: S704 - escaped by render_svg
    elif any(True for _ in store.oxigraph.quads_for_pattern(None, CST_MEMBER_OF, node, None)):
        timeline_src = url_for("pages.timeline", of=iri)
    return {
        "iri": iri,
        "label": r.label_of(store, node, lang),
        "labels": labels,
        "alt": alt,
        "types": _types(store, node, lang),
        "facts": facts,
        "external": external,
        "citations": citations_of(store, node, lang),
        "sections": [(t, v) for t, v in sections.items() if v],
        "versions": versions,
        "referenced": sorted(referenced, key=lambda x: (x[0], x[1].label)),
        "timeline_svg": timeline_svg,
        "timeline_src": timeline_src,
        "formats": list(r.SUFFIXES),
    }


CST_MEMBER_OF = ox.NamedNode(str(CST.memberOf))

_SUBCLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?root ?c WHERE { ?c rdfs:subClassOf* ?root }"""


def subclasses(store: GraphStore, cls: str) -> set[str]:
    """``cls`` and its subclasses (asserted hierarchy; pages work without the inferred graph too)."""
    rows = store.select(_SUBCLASSES, substitutions={"root": ox.NamedNode(cls)})
    return {cls} | {row["c"].value for row in rows}


# --- routes ------------------------------------------------------------------------------------------
#: a Flask response or werkzeug's, as ``redirect`` gives
_AnyResponse = TypeVar("_AnyResponse", bound=werkzeug.wrappers.Response)

def _vary(resp: _AnyResponse) -> _AnyResponse:
    """``resp`` with ``Vary: Accept``: it was chosen by content negotiation (RFC 9110 §12.5.5)."""
    resp.headers["Vary"] = "Accept"
    return resp


def _split_suffix(rest: str) -> tuple[str, str | None]:
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in r.SUFFIXES:
        return stem, ext
    return rest, None


@bp.route("/id/<kind>/<path:rest>")
def resource(kind: str, rest: str) -> werkzeug.wrappers.Response:
    slug, ext = _split_suffix(rest)
    base = iri_base()
    iri = _iri(f"{base}id/{kind}/{slug}")
    store = get_store()
    if ext is None:
        # Content negotiation, then 303 See Other to the describing document.
        mime = r.negotiate(request.accept_mimetypes)
        if mime is None:
            return _vary(Response("406 Not Acceptable: text/html, " + ", ".join(r.RDF_MEDIA_TYPES) + "\n",
                                  status=406, mimetype="text/plain"))
        if not r.describe(store, iri).exists:
            abort(404)
        target = f"/id/{kind}/{slug}.{r.MEDIA_SUFFIX[mime]}"
        return _vary(redirect(target, code=303))
    if ext == "html":
        page = resource_page(store, iri)
        if page is None:
            abort(404)
        return Response(render_template("resource.html", **page), mimetype="text/html")
    triples = r.concise_bounded_description(store, iri)
    if not triples:
        abort(404)
    mime = r.SUFFIXES[ext]
    resp = Response(r.serialize_triples(triples, mime), mimetype=mime)
    resp.headers["Content-Location"] = f"/id/{kind}/{slug}.{ext}"
    return resp


def _ontology_triples(store: GraphStore) -> list[ox.Triple]:
    triples = [q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH)))]
    if triples:
        return triples
    # Served from plain files: the ontology's terms, wherever they were loaded.
    out: dict[ox.Triple, None] = {}
    for q in store.oxigraph.quads_for_pattern(None, None, None, None):
        if isinstance(q.subject, ox.NamedNode) and (
                q.subject.value.startswith(str(CST)) or q.subject.value == ONTOLOGY_IRI):
            out[q.triple] = None
    return list(out)


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    store = get_store()
    if ext is not None and ext not in r.SUFFIXES:
        abort(404)
    mime = r.SUFFIXES[ext] if ext else r.negotiate(request.accept_mimetypes)
    if mime is None:
        return _vary(Response("406 Not Acceptable\n", status=406, mimetype="text/plain"))
    if mime == "text/html":
        return _vary(Response(render_template("ontology.html", **ontology_page(store)), mimetype="text/html"))
    return _vary(Response(r.serialize_triples(_ontology_triples(store), mime), mimetype=mime))


@bp.route("/ontology/<term>")
def ontology_term(term: str) -> werkzeug.wrappers.Response:
    store = get_store()
    iri = _iri(str(CST) + term)
    if not r.describe(store, iri).exists:
        abort(404)
    mime = r.negotiate(request.accept_mimetypes)
    if mime is None or mime == "text/html":
        return _vary(redirect(url_for("pages.ontology") + "#" + term, code=303))
    return _vary(Response(r.serialize_triples(r.concise_bounded_description(store, iri), mime), mimetype=mime))


def ontology_page(store: GraphStore, lang: str = "en") -> dict[str, Any]:
    """Classes and properties of the ontology graph with labels, definitions, hierarchy, domain/range."""
    g: ox.NamedNode | None = ox.NamedNode(str(ONTOLOGY_GRAPH))
    if next(store.oxigraph.quads_for_pattern(None, None, None, g), None) is None:
        g = None  # served from plain files (``serve --data``): the ontology is wherever it was loaded

    def objs(node: ox.NamedNode, prop: str) -> list[Any]:
        return [q.object for q in store.oxigraph.quads_for_pattern(node, ox.NamedNode(prop), None, g)]

    def lit(node: ox.NamedNode, prop: str, language: str) -> str:
        for o in objs(node, prop):
            if isinstance(o, ox.Literal) and o.language in (language, None):
                return o.value
        return ""

    def term_view(node: ox.NamedNode) -> dict[str, Any]:
        return {
            "iri": node.value,
            "name": node.value[len(str(CST)):] if node.value.startswith(str(CST)) else r.short_iri(node.value),
            "en": lit(node, RDFS + "label", "en"), "ru": lit(node, RDFS + "label", "ru"),
            "definition": lit(node, SKOS + "definition", "en"),
            "comment": lit(node, RDFS + "comment", "en"),
            "parents": [value_view(store, o)
                        for o in objs(node, RDFS + "subClassOf") + objs(node, RDFS + "subPropertyOf")
                        if isinstance(o, ox.NamedNode)],
            "domain": [value_view(store, o) for o in objs(node, RDFS + "domain") if isinstance(o, ox.NamedNode)],
            "range": [value_view(store, o) for o in objs(node, RDFS + "range") if isinstance(o, ox.NamedNode)],
            "inverse": [value_view(store, o) for o in objs(node, OWL + "inverseOf") if isinstance(o, ox.NamedNode)],
            "children": [],
        }

    def defined(kind: str) -> list[ox.NamedNode]:
        return sorted({q.subject for q in store.oxigraph.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(kind), g)
                       if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(CST))},
                      key=lambda n: n.value)

    classes = [term_view(n) for n in defined(OWL + "Class")]
    by_iri = {c["iri"]: c for c in classes}
    for c in classes:
        for p in c["parents"]:
            if p.href and (BASE + p.href.lstrip("/")) in by_iri:
                by_iri[BASE + p.href.lstrip("/")]["children"].append(c["name"])
    props = [term_view(n) for n in defined(OWL + "ObjectProperty")]
    dprops = [term_view(n) for n in defined(OWL + "DatatypeProperty")]
    concepts = [term_view(n) for n in defined(SKOS + "Concept")]
    onto = ox.NamedNode(ONTOLOGY_IRI)
    return {"classes": classes, "object_properties": props, "datatype_properties": dprops, "concepts": concepts,
            "title": lit(onto, "http://purl.org/dc/terms/title", "en") or "cstograph ontology",
            "description": lit(onto, "http://purl.org/dc/terms/description", "en"),
            "version": lit(onto, OWL + "versionInfo", "en"), "formats": list(r.SUFFIXES)}


@bp.route("/")
def home() -> str:
    store = get_store()
    states = sorted(
        (node_view(store, q.subject)
         for q in store.oxigraph.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(str(CST.State)), None)
         if isinstance(q.subject, ox.NamedNode) and q.graph_name != ox.NamedNode(str(INFERRED_GRAPH))),
        key=lambda v: v.label)
    seen: set[str] = set()
    unique_states = [s for s in states if not (s.iri in seen or seen.add(s.iri))]  # type: ignore[func-returns-value]
    requests = sorted(
        {q.subject.value: node_view(store, q.subject) for q in store.oxigraph.quads_for_pattern(
            None, RDF_TYPE, ox.NamedNode(str(CST.RequestForAssistance)), None)
         if isinstance(q.subject, ox.NamedNode)}.values(),
        key=lambda v: v.when)
    entry = [(label, path) for label, path in (
        ("The Collective Security Treaty Organization", "id/organization/csto"),
        ("The Collective Security Treaty (1992)", "id/treaty/cst"),
        ("Article 4 of the Treaty (collective defence)", "id/article/cst-4"),
        ("The CSTO Charter (2002)", "id/treaty/csto-charter"),
    ) if r.describe(store, iri_base() + path).exists]
    return render_template("home.html", states=unique_states, requests=requests, entry=entry,
                           triples=len(store), graphs=store.graph_names())


@bp.route("/timeline")
def timeline() -> Response:
    store = get_store()
    of = request.args.getlist("of")
    subjects = tuple(of) if of else DEFAULT_SUBJECTS
    for s in subjects:
        if not s.startswith(("http://", "https://")):
            raise ProtocolError(400, f"'of' must be an absolute http(s) IRI, got {s!r}")
        _iri(s)
    today_arg = request.args.get("today")
    try:
        today = dt.date.fromisoformat(today_arg) if today_arg else None
    except ValueError:
        raise ProtocolError(400, f"'today' must be a date as YYYY-MM-DD, got {today_arg!r}") from None
    data = timeline_data(store, subjects, today=today)
    title = "Membership timeline: " + " and ".join(label for _, label, _ in data.lanes)
    return Response(render_svg(data, title=title, base=iri_base()), mimetype="image/svg+xml")


@bp.route("/.well-known/void")
@bp.route("/void")
def void() -> Response:
    mime = r.negotiate(request.accept_mimetypes, html=False, default="text/turtle") or "text/turtle"
    triples = void_triples(get_store(), public_url=public_url(), base=iri_base())
    return _vary(Response(r.serialize_triples(triples, mime), mimetype=mime))


_DUMPS = {"cstograph.nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
          "cstograph.trig": (ox.RdfFormat.TRIG, "application/trig")}


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    if name not in _DUMPS:
        abort(404)
    fmt, mime = _DUMPS[name]
    from ..namespaces import PREFIXES

    kwargs: dict[str, Any] = {"format": fmt}
    if fmt is ox.RdfFormat.TRIG:
        kwargs["prefixes"] = {k: str(v) for k, v in PREFIXES.items()}
    body = get_store().oxigraph.dump(**kwargs)
    resp = Response(body, mimetype=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
