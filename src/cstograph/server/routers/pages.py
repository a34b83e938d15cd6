"""Linked-data pages: dereferenceable IRIs, the home page, the ontology documentation, the membership timeline.

Dereferencing (the "303 See Other" pattern of "Cool URIs for the Semantic Web", W3C IG Note 2008, §4.3):
an IRI of a thing, ``/id/<type>/<slug>``, answers ``303`` to the document describing it in the negotiated
format, ``/id/<type>/<slug>.<ext>`` (``html``, ``ttl``, ``jsonld``, ``nt``, ``rdf``), which answers ``200``.
The ontology IRI ``/ontology`` names a document (the ontology), so it answers ``200`` directly by
content negotiation (``Vary: Accept``); a term ``/ontology/<Term>`` answers ``303`` to ``/ontology#Term``
for browsers, or ``200`` with the term's description in RDF. A request path maps onto the IRI base
(``ServerConfig.iri_base``), whatever host the server is reached on.

Every answer is a function of the snapshot and the request: it carries an entity tag, may be answered
``304``, and is rendered once per process (see :mod:`._http`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import werkzeug.wrappers
from flask import Blueprint, Response, redirect, render_template, request
from markupsafe import Markup

from ...namespaces import CST
from ..errors import ProtocolError
from ..negotiation import DOCUMENT_SUFFIXES, GRAPH_FORMATS, HTML_FORMAT, Format, NotAcceptable, negotiate
from ..services.timeline import TimelineData, timeline_data
from ..state import get_state
from ..views.rdf import serialize_triples
from ..views.timeline_svg import render_svg
from ._http import cached, requested_language, vary

__all__ = ["bp"]

bp = Blueprint("pages", __name__, template_folder=str(Path(__file__).parent.parent / "templates"),
               static_folder=str(Path(__file__).parent.parent / "static"), static_url_path="/static")

_OFFERED = (HTML_FORMAT, *GRAPH_FORMATS[:4])  # what a resource or the ontology can be had as
_SUFFIXES = [s for s in DOCUMENT_SUFFIXES if s != "html"]
_SVG = "image/svg+xml"
_SVG_FORMAT = Format(_SVG, "svg", None, (), (), "svg")
#: The timeline as a picture first: a client stating no preference (or ``*/*``) gets the SVG, as it always did.
_TIMELINE_OFFERED = (_SVG_FORMAT, HTML_FORMAT)


def _iri(text: str) -> str:
    """``text`` if it is a valid IRI; otherwise a 400 that says why (a NUL, a space, a line break…)."""
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise ProtocolError(400, f"not a valid IRI: {text!r} ({exc})") from None
    return text


def _negotiate() -> Format:
    try:
        return negotiate(request.headers.get("Accept"), _OFFERED)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc


def _split_suffix(rest: str) -> tuple[str, str | None]:
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in DOCUMENT_SUFFIXES:
        return stem, ext
    return rest, None


@bp.route("/id/")
def kinds() -> Response:
    """Every kind of resource, with how many there are."""
    state = get_state()
    return cached("text/html; charset=utf-8",
                  lambda: render_template("kinds.html", kinds=state.kinds.kinds()).encode("utf-8"))


@bp.route("/id/<kind>/")
def kind_list(kind: str) -> Response:
    """The resources of one kind, by label; events by year."""
    state = get_state()
    lang = requested_language()
    views = state.kinds.members(kind, lang=lang)
    if not views:
        raise ProtocolError(404, f"no resources of kind {kind!r}; see /id/ for the kinds")
    groups = state.kinds.by_year(views) if kind == "event" else []
    return cached("text/html; charset=utf-8", lambda: render_template(
        "list.html", slug=kind, count=len(views), views=views, groups=groups).encode("utf-8"), lang)


@bp.route("/search")
def search_page() -> Response:
    """Search by label (English, Russian, alternative labels): the page behind the header's search box."""
    state = get_state()
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        raise ProtocolError(400, "the search text is longer than 200 characters")
    lang = requested_language()
    hits = state.search.search(q, language=lang, limit=50) if q else []
    base = state.config.iri_base
    from ..views.links import link_target

    results = [{"label": h.labels.get(lang) or h.label, "matched": h.label, "href": link_target(h.iri, base)[0],
                "types": h.types} for h in hits]
    return cached("text/html; charset=utf-8", lambda: render_template(
        "search.html", q=q, lang=lang, results=results).encode("utf-8"), q, lang)


@bp.route("/id/<kind>/<path:rest>")
def resource(kind: str, rest: str) -> werkzeug.wrappers.Response:
    state = get_state()
    slug, ext = _split_suffix(rest)
    iri = _iri(f"{state.config.iri_base}id/{kind}/{slug}")
    resources = state.resources
    if ext is None:
        fmt = _negotiate()  # Content negotiation, then 303 See Other to the describing document
        if not resources.exists(iri):
            raise ProtocolError(404, f"no resource {iri}")
        return vary(redirect(f"/id/{kind}/{slug}.{fmt.suffix}", code=303))
    if not resources.exists(iri):
        raise ProtocolError(404, f"no resource {iri}")
    fmt = DOCUMENT_SUFFIXES[ext]
    if fmt is HTML_FORMAT:
        lang = requested_language()
        return cached("text/html; charset=utf-8", lambda: _resource_page(iri, lang), lang)
    response = cached(fmt, lambda: serialize_triples(resources.bounded_description(iri), fmt))
    response.headers["Content-Location"] = f"/id/{kind}/{slug}.{ext}"
    return response


def _resource_page(iri: str, lang: str) -> bytes:
    state = get_state()
    page = state.resources.page(iri, lang=lang)
    if page is None:
        raise ProtocolError(404, f"no resource {iri}")
    type_iris = page.pop("type_iris")
    timeline_svg = timeline_src = None
    member_of = state.resources.memberships_of(iri) if str(CST.State) in type_iris else []
    if member_of:
        defaults = state.site.timeline_subjects
        member_of.sort(key=lambda s: (defaults.index(s) if s in defaults else len(defaults), s))
        data = timeline_data(state.resources, member_of, states=[iri], lang=lang)
        timeline_svg = Markup(render_svg(data, width=900, base=state.config.iri_base))  # noqa: S704 - escaped by render_svg
    elif state.resources.has_members(iri):
        timeline_src = "/timeline?" + urlencode({"of": iri, "format": "svg"})
    return render_template("resource.html", **page, timeline_svg=timeline_svg, timeline_src=timeline_src,
                           formats=_SUFFIXES).encode("utf-8")


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    state = get_state()
    if ext is not None and ext not in DOCUMENT_SUFFIXES:
        raise ProtocolError(404, f"no ontology document .{ext}; offered: {', '.join(DOCUMENT_SUFFIXES)}")
    fmt = DOCUMENT_SUFFIXES[ext] if ext else _negotiate()
    if fmt is HTML_FORMAT:
        response = cached("text/html; charset=utf-8", lambda: render_template(
            "ontology.html", **state.ontology.page(), formats=_SUFFIXES).encode("utf-8"))
    else:
        response = cached(fmt, lambda: serialize_triples(state.ontology.triples(), fmt))
    return vary(response) if ext is None else response


@bp.route("/ontology/<term>")
def ontology_term(term: str) -> werkzeug.wrappers.Response:
    state = get_state()
    iri = _iri(str(CST) + term)
    if not state.resources.exists(iri):
        raise ProtocolError(404, f"no ontology term cst:{term}")
    fmt = _negotiate()
    if fmt is HTML_FORMAT:
        return vary(redirect(f"/ontology#{term}", code=303))
    return vary(cached(fmt, lambda: serialize_triples(state.resources.bounded_description(iri), fmt)))


@bp.route("/")
def home() -> Response:
    state = get_state()
    lang = requested_language()
    return cached("text/html; charset=utf-8",
                  lambda: render_template("home.html", **state.site.home(lang)).encode("utf-8"), lang)


@bp.route("/timeline")
def timeline() -> Response:
    """The membership timeline: an HTML page with the site's header around the picture for a browser
    (``Accept`` preferring ``text/html``, or ``?format=html``), the SVG picture itself for ``?format=svg``,
    for a client asking for ``image/svg+xml`` (an ``<img>``) and for one that states no preference."""
    state = get_state()
    subjects = tuple(request.args.getlist("of")) or state.site.timeline_subjects
    for s in subjects:
        if not s.startswith(("http://", "https://")):
            raise ProtocolError(400, f"'of' must be an absolute http(s) IRI, got {s!r}")
        _iri(s)
    today_arg = request.args.get("today")
    try:
        today = dt.date.fromisoformat(today_arg) if today_arg else dt.date.today()
    except ValueError:
        raise ProtocolError(400, f"'today' must be a date as YYYY-MM-DD, got {today_arg!r}") from None
    lang = requested_language()
    try:
        fmt = negotiate(request.headers.get("Accept"), _TIMELINE_OFFERED, fmt_param=request.args.get("format"))
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc

    def lanes_title(data: TimelineData) -> str:
        return "Membership timeline: " + " and ".join(label for _, label, _ in data.lanes)

    def draw() -> bytes:
        data = timeline_data(state.resources, subjects, today=today, lang=lang)
        return render_svg(data, title=lanes_title(data), base=state.config.iri_base).encode("utf-8")

    if fmt is _SVG_FORMAT:
        return vary(cached(_SVG, draw, subjects, today, lang))

    def page() -> bytes:
        data = timeline_data(state.resources, subjects, today=today, lang=lang)
        svg = Markup(render_svg(data, base=state.config.iri_base))  # noqa: S704 - escaped by render_svg
        # the same picture as SVG: only the parameters that are part of this answer's cache key
        args = [("of", s) for s in subjects] + [("today", today.isoformat()), ("lang", lang), ("format", "svg")]
        return render_template("timeline.html", title=lanes_title(data), svg=svg,
                               svg_href="/timeline?" + urlencode(args)).encode("utf-8")

    return vary(cached("text/html; charset=utf-8", page, subjects, today, lang))
