"""Links between our resources and external open data: compute, check, record, compare.

Three external datasets:

* **Wikidata** — from an export file (Turtle / N-Triples in Wikidata's own RDF shape: ``wdt:P298`` ISO
  codes, ``rdfs:label``, ``p:P463``/``ps:P463`` member-of statements with ``pq:P580``/``pq:P582``
  qualifiers), or, only when asked (``online=True``), from the live service at ``query.wikidata.org``
  (the only host allowed). Only the QIDs of the verified table below are ever written as links; what the
  export suggests beyond them is reported as a candidate, never asserted.
* **ISO 3166-1** — our ``cst:iso3166Alpha2/Alpha3/Numeric`` codes and names checked against ``pycountry``.
* **COW / ATOP** — our ``cst:cowCode`` (states) and ``cst:atopId`` / ``cst:cowAllianceId`` (the Treaty)
  checked against the verified table.

The verified tables are copied from ``shared/reference/README.md`` ("Identifiers for linking" and
"Alliance datasets"), which lists each identifier as verified in several independent public files.

Output: ``data/links/linkset.ttl`` — one ``void:Linkset`` per external dataset with its method, tool,
date (``dcterms:created``) and provenance (``prov:wasGeneratedBy``), and one reified record per link or
checked code (``rdf:Statement`` + ``dcterms:created`` + the method). The ``skos:exactMatch`` triples
themselves live in ``data/links/wikidata.ttl`` (hand-written from the same table); :func:`link` checks
that file against the table and reports any difference.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .config import Settings
from .errors import InputError
from .namespaces import BASE, CST, ID

__all__ = [
    "COW_STATES",
    "TREATY_CODES",
    "VERIFIED_WIKIDATA",
    "Finding",
    "LinkReport",
    "compare_memberships",
    "fetch_wikidata",
    "link",
]

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
P = "http://www.wikidata.org/prop/"
PS = "http://www.wikidata.org/prop/statement/"
PQ = "http://www.wikidata.org/prop/qualifier/"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Verified Wikidata items (shared/reference/README.md, "Identifiers for linking"): our IRI path → QID.
VERIFIED_WIKIDATA: Mapping[str, str] = {
    "organization/csto": "Q318693", "treaty/cst": "Q110445240",
    "state/RUS": "Q159", "state/BLR": "Q184", "state/ARM": "Q399", "state/GEO": "Q230", "state/AZE": "Q227",
    "state/TJK": "Q863", "state/KGZ": "Q813", "state/UZB": "Q265", "state/KAZ": "Q232", "state/UKR": "Q212",
    "state/AFG": "Q889", "state/SYR": "Q858",
    "organization/nato": "Q7184", "organization/sco": "Q485207", "organization/cis": "Q7779",
    "place/moscow": "Q649",
    "person/nikol-pashinyan": "Q7035479", "person/kassym-jomart-tokayev": "Q200881",
    "person/alexander-lukashenko": "Q2866", "person/shavkat-mirziyoyev": "Q57808",
    "person/imangali-tasmagambetov": "Q1377525",
    "event/russian-invasion-of-ukraine-2022": "Q110999040",
}
#: Correlates of War state numbers (same table).
COW_STATES: Mapping[str, str] = {
    "RUS": "365", "BLR": "370", "ARM": "371", "GEO": "372", "AZE": "373",
    "TJK": "702", "KGZ": "703", "UZB": "704", "KAZ": "705",
}
#: The Tashkent treaty in the alliance datasets (same file, "Alliance datasets"): ATOP 4220, COW 350.
TREATY_CODES: Mapping[str, Mapping[str, str]] = {"treaty/cst": {"atopId": "4220", "cowAllianceId": "350"}}
#: Wikidata conflates the CSTO with the 1992 Treaty it grew from (membership dates from 1992): when
#: comparing memberships of the CSTO item, our spells of both count.
PREDECESSORS: Mapping[str, tuple[str, ...]] = {"organization/csto": ("treaty/cst",)}

ALLOWED_ONLINE_HOST = "query.wikidata.org"
WIKIDATA_SPARQL = f"https://{ALLOWED_ONLINE_HOST}/sparql"
LINKSET_FILE = "linkset.ttl"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of linking or comparison. ``kind`` is one of: confirmed, candidate, unmatched,
    ambiguous, conflict (links); mismatch, missing (codes); member-not-in-graph, member-not-in-export,
    date-differs, missing-spell, extra-spell (memberships)."""

    dataset: str
    kind: str
    subject: str
    detail: str
    ours: str = ""
    theirs: str = ""


@dataclass(slots=True)
class LinkReport:
    date: str
    findings: list[Finding] = field(default_factory=list)
    links: list[tuple[str, str, str, str]] = field(default_factory=list)  # (dataset, subject, property, object)
    written: list[str] = field(default_factory=list)

    def of(self, kind: str, dataset: str | None = None) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind and (dataset is None or f.dataset == dataset)]

    @property
    def conflicts(self) -> list[Finding]:
        return [f for f in self.findings if f.kind in ("conflict", "mismatch")]

    def to_json(self) -> str:
        return json.dumps({"date": self.date, "written": self.written,
                           "findings": [asdict(f) for f in self.findings],
                           "links": [dict(zip(("dataset", "subject", "property", "object"), link, strict=True))
                                     for link in self.links]}, indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"cstograph link — {self.date}"]
        order = ["conflict", "mismatch", "ambiguous", "unmatched", "missing", "candidate",
                 "member-not-in-graph", "member-not-in-export", "date-differs", "missing-spell", "extra-spell",
                 "confirmed"]
        for kind in order:
            found = self.of(kind)
            if not found:
                continue
            lines.append(f"\n{kind} ({len(found)}):")
            for f in found:
                extra = f" [ours: {f.ours or '—'}; theirs: {f.theirs or '—'}]" if (f.ours or f.theirs) else ""
                lines.append(f"  {f.dataset:9} {short(f.subject):28} {f.detail}{extra}")
        n = {d: sum(1 for link in self.links if link[0] == d) for d in ("wikidata", "iso3166", "cow-atop")}
        lines.append(f"\nlinks recorded: {n['wikidata']} Wikidata, {n['iso3166']} ISO 3166, {n['cow-atop']} COW/ATOP")
        lines += [f"wrote {p}" for p in self.written]
        return "\n".join(lines)


def short(iri: str) -> str:
    if iri.startswith(str(ID)):
        return iri[len(str(ID)):]
    if iri.startswith(WD):
        return "wd:" + iri[len(WD):]
    return iri


# --- reading -------------------------------------------------------------------------------------------
def _load(paths: Iterable[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        kwargs: dict[str, object] = {"format": fmt, "base_iri": path.resolve().as_uri()}
        if not fmt.supports_datasets:
            kwargs["to_graph"] = ox.NamedNode(path.resolve().as_uri())
        try:
            store.bulk_load(path=str(path), **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise InputError(f"{path}: {exc}") from exc
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc
    return store


def _objects(store: ox.Store, s: ox.NamedNode | ox.BlankNode, p: str) -> list[ox.NamedNode | ox.Literal | ox.BlankNode]:
    return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)]  # type: ignore[misc]


def _literal(store: ox.Store, s: ox.NamedNode | ox.BlankNode, p: str) -> str | None:
    for o in _objects(store, s, p):
        if isinstance(o, ox.Literal):
            return o.value
    return None


def _label(store: ox.Store, s: ox.NamedNode, lang: str = "en") -> str | None:
    labels = [o for o in _objects(store, s, RDFS_LABEL) if isinstance(o, ox.Literal)]
    for o in labels:
        if o.language == lang:
            return o.value
    return labels[0].value if labels else None


def _subjects(store: ox.Store, p: str, o: ox.NamedNode | ox.Literal | None = None) -> list[ox.NamedNode]:
    return sorted({q.subject for q in store.quads_for_pattern(None, ox.NamedNode(p), o, None)
                   if isinstance(q.subject, ox.NamedNode)}, key=lambda n: n.value)


# --- Wikidata ------------------------------------------------------------------------------------------
def _wikidata_links(ours: ox.Store, export: ox.Store | None, report: LinkReport, verified: Mapping[str, str]) -> None:
    existing: dict[str, set[str]] = {}
    for q in ours.quads_for_pattern(None, ox.NamedNode(SKOS_EXACT), None, None):
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(WD):
            existing.setdefault(q.subject.value, set()).add(q.object.value)  # type: ignore[union-attr]
    by_code: dict[str, list[str]] = {}
    by_label: dict[str, list[str]] = {}
    if export is not None:
        for q in export.quads_for_pattern(None, ox.NamedNode(WDT + "P298"), None, None):
            by_code.setdefault(q.object.value, []).append(q.subject.value)  # type: ignore[union-attr]
        for q in export.quads_for_pattern(None, ox.NamedNode(RDFS_LABEL), None, None):
            if not (isinstance(q.object, ox.Literal) and q.object.language in ("en", None)):
                continue
            if q.subject.value.startswith(WD):  # type: ignore[union-attr]
                key = q.object.value.casefold()
                if q.subject.value not in by_label.setdefault(key, []):  # type: ignore[union-attr]
                    by_label[key].append(q.subject.value)  # type: ignore[union-attr]
    for path, qid in sorted(verified.items()):
        iri, item = str(ID) + path, WD + qid
        node = ox.NamedNode(iri)
        if next(ours.quads_for_pattern(node, None, None, None), None) is None:
            report.findings.append(Finding("wikidata", "unmatched", iri,
                                            "verified QID but no such resource in our graph", "", item))
            continue
        report.links.append(("wikidata", iri, SKOS_EXACT, item))
        have = existing.get(iri, set())
        if have and item not in have:
            report.findings.append(Finding("wikidata", "conflict", iri, "our graph links another item",
                                            ", ".join(sorted(have)), item))
        elif not have:
            report.findings.append(Finding("wikidata", "missing", iri,
                                            "verified link not in data/links/wikidata.ttl", "", item))
        if export is None:
            continue
        code = _literal(ours, node, str(CST.iso3166Alpha3))
        label = _label(ours, node)
        candidates = by_code.get(code, []) if code else []
        method = "ISO 3166-1 alpha-3 (wdt:P298)"
        if not candidates and label:
            candidates, method = by_label.get(label.casefold(), []), "English label"
        if not candidates:
            report.findings.append(Finding("wikidata", "unmatched", iri, "not found in the export", "", item))
        elif len(candidates) > 1:
            report.findings.append(Finding("wikidata", "ambiguous", iri, f"{len(candidates)} items by {method}",
                                            item, ", ".join(sorted(candidates))))
        elif candidates[0] != item:
            report.findings.append(Finding("wikidata", "conflict", iri, f"the export matches another item by {method}",
                                            item, candidates[0]))
        else:
            report.findings.append(Finding("wikidata", "confirmed", iri, f"export agrees by {method}", item, item))
    for iri, items in sorted(existing.items()):
        path = iri[len(str(ID)):] if iri.startswith(str(ID)) else iri
        for item in sorted(items):
            if verified.get(path) != item[len(WD):]:
                report.findings.append(Finding("wikidata", "conflict", iri,
                                                "link in our graph is not in the verified table", "", item))
    # Export items that name one of our unlinked states by ISO code: candidates only (never written).
    if export is not None:
        for state in _subjects(ours, str(CST.iso3166Alpha3)):
            path = state.value[len(str(ID)):]
            if path in verified:
                continue
            code = _literal(ours, state, str(CST.iso3166Alpha3))
            for item in by_code.get(code or "", []):
                report.findings.append(Finding("wikidata", "candidate", state.value,
                                                "export item with the same ISO code (unverified: not written)",
                                                "", item))


# --- ISO 3166 (pycountry) ------------------------------------------------------------------------------
def _iso_links(ours: ox.Store, report: LinkReport) -> None:
    import pycountry

    for state in _subjects(ours, RDF_TYPE, ox.NamedNode(str(CST.State))):
        a3 = _literal(ours, state, str(CST.iso3166Alpha3))
        a2 = _literal(ours, state, str(CST.iso3166Alpha2))
        num = _literal(ours, state, str(CST.iso3166Numeric))
        label = _label(ours, state) or ""
        if a3 is None:
            report.findings.append(Finding("iso3166", "missing", state.value, "no cst:iso3166Alpha3"))
            continue
        country = pycountry.countries.get(alpha_3=a3)
        historic = None
        if country is None:
            historic = pycountry.historic_countries.get(alpha_3=a3)
        entry = country or historic
        if entry is None:
            report.findings.append(Finding("iso3166", "unmatched", state.value,
                                            "alpha-3 code not in ISO 3166-1 or -3", a3))
            continue
        part = "ISO 3166-1" if country is not None else "ISO 3166-3 (former country)"
        ok = True
        if a2 is not None and getattr(entry, "alpha_2", a2) != a2:
            ok = False
            report.findings.append(Finding("iso3166", "mismatch", state.value, "alpha-2 code", a2, entry.alpha_2))
        if num is not None and getattr(entry, "numeric", num) != num:
            ok = False
            report.findings.append(Finding("iso3166", "mismatch", state.value, "numeric code", num, entry.numeric))
        names = {getattr(entry, n, "") for n in ("name", "common_name", "official_name")} - {""}
        if label and not any(label.casefold() in n.casefold() or n.casefold() in label.casefold() for n in names):
            report.findings.append(Finding("iso3166", "candidate", state.value,
                                            "English label differs from the ISO names (check, not an error)",
                                            label, " / ".join(sorted(names))))
        if ok:
            report.findings.append(Finding("iso3166", "confirmed", state.value, f"{part}: {entry.name}", a3, a3))
            report.links.append(("iso3166", state.value, str(CST.iso3166Alpha3), a3))


# --- COW / ATOP ----------------------------------------------------------------------------------------
def _cow_atop_links(ours: ox.Store, report: LinkReport) -> None:
    for a3, cow in sorted(COW_STATES.items()):
        iri = str(ID) + "state/" + a3
        have = _literal(ours, ox.NamedNode(iri), str(CST.cowCode))
        if have is None:
            report.findings.append(Finding("cow-atop", "missing", iri, "no cst:cowCode", "", cow))
        elif have != cow:
            report.findings.append(Finding("cow-atop", "mismatch", iri, "COW state number", have, cow))
        else:
            report.findings.append(Finding("cow-atop", "confirmed", iri, "COW state number", have, cow))
            report.links.append(("cow-atop", iri, str(CST.cowCode), cow))
    for state in _subjects(ours, str(CST.cowCode)):
        code = state.value.rsplit("/", 1)[-1]
        if code not in COW_STATES:
            report.findings.append(Finding("cow-atop", "unmatched", state.value, "COW code not in the verified table",
                                            _literal(ours, state, str(CST.cowCode)) or ""))
    for path, codes in TREATY_CODES.items():
        iri = str(ID) + path
        for prop, expected in codes.items():
            have = _literal(ours, ox.NamedNode(iri), str(CST) + prop)
            if have is None:
                report.findings.append(Finding("cow-atop", "missing", iri, f"no cst:{prop}", "", expected))
            elif have != expected:
                report.findings.append(Finding("cow-atop", "mismatch", iri, f"cst:{prop}", have, expected))
            else:
                report.findings.append(Finding("cow-atop", "confirmed", iri, f"cst:{prop}", have, expected))
                report.links.append(("cow-atop", iri, str(CST) + prop, expected))


# --- membership comparison -------------------------------------------------------------------------------
Spell = tuple[str, str]  # (start, end) as YYYY-MM-DD ("" when open or unknown)


def _merge(spells: Iterable[Spell]) -> list[Spell]:
    """Join spells that overlap or touch (a status change is not a new membership)."""
    out: list[list[str]] = []
    for start, end in sorted(spells):
        if out and (out[-1][1] == "" or start <= out[-1][1]):
            if out[-1][1] != "" and (end == "" or end > out[-1][1]):
                out[-1][1] = end
            continue
        out.append([start, end])
    return [(s, e) for s, e in out]


def _overlap(a: Spell, b: Spell) -> bool:
    a_end, b_end = a[1] or "9999", b[1] or "9999"
    return a[0] < b_end and b[0] < a_end


def compare_memberships(ours: ox.Store, export: ox.Store, report: LinkReport,
                        verified: Mapping[str, str] = VERIFIED_WIKIDATA) -> None:
    """Where the export's ``p:P463`` statements (with ``pq:P580``/``pq:P582``) disagree with our
    memberships of the organizations we link to Wikidata."""
    qid_to_ours = {WD + q: str(ID) + p for p, q in verified.items()}
    for org_path in ("organization/csto", "treaty/cst"):
        if org_path not in verified:
            continue
        org_item = WD + verified[org_path]
        lanes = (org_path, *PREDECESSORS.get(org_path, ()))
        mine: dict[str, list[Spell]] = {}
        for lane in lanes:
            for m in _subjects(ours, str(CST.memberOf), ox.NamedNode(str(ID) + lane)):
                member = _objects(ours, m, str(CST.member))
                start = _literal(ours, m, str(CST.startDate))
                if not member or start is None:
                    continue
                end = _literal(ours, m, str(CST.endDate)) or ""
                mine.setdefault(member[0].value, []).append((start[:10], end[:10]))
        theirs: dict[str, list[Spell]] = {}
        for q in export.quads_for_pattern(None, ox.NamedNode(PS + "P463"), ox.NamedNode(org_item), None):
            statement = q.subject
            for owner in export.quads_for_pattern(None, ox.NamedNode(P + "P463"), statement, None):
                item = owner.subject.value  # type: ignore[union-attr]
                start = (_literal(export, statement, PQ + "P580") or "")[:10]  # type: ignore[arg-type]
                end = (_literal(export, statement, PQ + "P582") or "")[:10]  # type: ignore[arg-type]
                theirs.setdefault(item, []).append((start, end))
        if not theirs:
            continue
        dataset = "wikidata"
        for item, spells in sorted(theirs.items()):
            state = qid_to_ours.get(item)
            if state is None or state not in mine:
                name = _label(export, ox.NamedNode(item)) or item
                report.findings.append(Finding(
                    dataset, "member-not-in-graph", state or item,
                    f"the export lists {name} as a member of {short(org_item)}; our graph does not",
                    "", ", ".join(f"{s}–{e}" if s or e else "(no dates)" for s, e in spells)))
                continue
            ours_m, theirs_m = _merge(mine[state]), _merge(spells)
            paired: set[int] = set()
            for spell in theirs_m:
                match = next((i for i, o in enumerate(ours_m) if i not in paired and _overlap(o, spell)), None)
                if match is None:
                    report.findings.append(Finding(dataset, "extra-spell", state,
                                                    f"a spell of {short(org_item)} we do not have",
                                                    "", f"{spell[0]}–{spell[1]}"))
                    continue
                paired.add(match)
                o = ours_m[match]
                for what, a, b in (("start", o[0], spell[0]), ("end", o[1], spell[1])):
                    if a != b:
                        report.findings.append(Finding(dataset, "date-differs", state,
                                                        f"{what} of membership of {short(org_item)}",
                                                        a or "(open)", b or "(none)"))
            for i, o in enumerate(ours_m):
                if i not in paired:
                    report.findings.append(Finding(dataset, "missing-spell", state,
                                                    f"our spell of {short(org_item)} is missing from the export",
                                                    f"{o[0]}–{o[1]}", ""))
        for state in sorted(set(mine) - {qid_to_ours.get(i) for i in theirs}):
            report.findings.append(Finding(dataset, "member-not-in-export", state,
                                            f"a member of {short(org_item)} in our graph, absent from the export",
                                            ", ".join(f"{s}–{e}" for s, e in _merge(mine[state])), ""))


# --- online (only on request) --------------------------------------------------------------------------
_ONLINE_QUERY = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?item wdt:P298 ?code ; rdfs:label ?label ; p:P463 ?st .
            ?st ps:P463 wd:Q318693 ; pq:P580 ?start ; pq:P582 ?end . }
WHERE {
  { ?item wdt:P298 ?code . OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") } }
  UNION
  { ?item p:P463 ?st . ?st ps:P463 wd:Q318693 .
    OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end }
    OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") } }
}"""


def fetch_wikidata(endpoint: str = WIKIDATA_SPARQL, *, timeout: float = 60) -> bytes:
    """N-Triples of Wikidata's country codes and CSTO member statements, from the live service.
    A fixed query (nothing formatted into it); only ``https://query.wikidata.org/`` is allowed."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme != "https" or parts.hostname != ALLOWED_ONLINE_HOST:
        raise InputError(f"online linking may only call https://{ALLOWED_ONLINE_HOST}/ (not {endpoint})")
    body = urllib.parse.urlencode({"query": _ONLINE_QUERY}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={
        "Accept": "application/n-triples", "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "cstograph-link/0.1 (https://w3id.org/cstograph/)"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - allow-listed https host
        return resp.read()  # type: ignore[no-any-return]


# --- writing -------------------------------------------------------------------------------------------
def _linkset_turtle(report: LinkReport, *, tool: str) -> str:
    """The link-set file: one void:Linkset per dataset and a reified record per link."""

    def lit(s: str) -> str:
        """A Turtle string literal."""
        return json.dumps(s, ensure_ascii=False)

    methods = {
        "wikidata": ("Links to Wikidata", "Связи с Викиданными",
                     "Verified table of shared/reference/README.md (Identifiers for linking), checked against a "
                     "Wikidata export by ISO 3166-1 alpha-3 (wdt:P298) or English label",
                     "http://www.wikidata.org/"),
        "iso3166": ("ISO 3166-1 codes", "Коды ISO 3166-1",
                    "cst:iso3166Alpha2/Alpha3/Numeric checked against pycountry (ISO 3166-1 and ISO 3166-3)",
                    "https://www.iso.org/iso-3166-country-codes.html"),
        "cow-atop": ("COW and ATOP codes", "Коды COW и ATOP",
                     "cst:cowCode / cst:atopId / cst:cowAllianceId checked against the verified table of "
                     "shared/reference/README.md (ATOP v4.01, COW)",
                     "http://www.atopdata.org/"),
    }
    lines = [f"# Written by `cstograph link` on {report.date}. Do not edit by hand: run `cstograph link` again.",
             "# The links themselves: skos:exactMatch in wikidata.ttl, codes in states.ttl / treaties.ttl.",
             *(f"@prefix {p}: <{ns}> ." for p, ns in (
                 ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
                 ("xsd", "http://www.w3.org/2001/XMLSchema#"), ("dcterms", "http://purl.org/dc/terms/"),
                 ("prov", "http://www.w3.org/ns/prov#"), ("void", "http://rdfs.org/ns/void#"),
                 ("skos", "http://www.w3.org/2004/02/skos/core#"), ("cst", str(CST)))),
             "",
             f"<{BASE}void#link-activity> a prov:Activity ;",
             '    rdfs:label "cstograph link run"@en , "запуск cstograph link"@ru ;',
             f"    prov:endedAtTime \"{report.date}\"^^xsd:date ;",
             f"    prov:used {lit(tool)} .", ""]
    for dataset, (en, ru, method, target) in methods.items():
        links = [link for link in report.links if link[0] == dataset]
        if not links:
            continue
        ls = f"<{BASE}void#linkset-{dataset}>"
        lines += [f"{ls} a void:Linkset ;",
                  f"    rdfs:label {lit(en)}@en , {lit(ru)}@ru ;",
                  f"    dcterms:description {lit(method)}@en ;",
                  f"    dcterms:created \"{report.date}\"^^xsd:date ;",
                  f"    prov:wasGeneratedBy <{BASE}void#link-activity> ;",
                  f"    void:subjectsTarget <{BASE}void#cstograph> ;",
                  f"    void:objectsTarget <{target}> ;",
                  f"    void:triples {len(links)} .", ""]
        for _, subject, prop, obj in sorted(links):
            obj_s = f"<{obj}>" if obj.startswith("http") else lit(obj)
            lines += [f"[] a rdf:Statement ; rdf:subject <{subject}> ; rdf:predicate <{prop}> ; rdf:object {obj_s} ;",
                      f"   dcterms:isPartOf {ls} ; dcterms:created \"{report.date}\"^^xsd:date ;",
                      f"   prov:wasGeneratedBy <{BASE}void#link-activity> .", ""]
    return "\n".join(lines)


def link(settings: Settings, *, wikidata_export: Path | None = None, online: bool = False,
         date: dt.date | None = None, write: bool = True) -> LinkReport:
    """Compute and check the links; write ``data/links/linkset.ttl`` unless ``write=False``."""
    from importlib.metadata import version

    data_files = [p for p in settings.data_files() if p.name != LINKSET_FILE or p.parent.name != "links"]
    ours = _load([settings.ontology_file, *data_files])
    export: ox.Store | None = None
    if wikidata_export is not None:
        export = _load([wikidata_export])
    if online:
        export = export or ox.Store()
        export.load(fetch_wikidata(), format=ox.RdfFormat.N_TRIPLES)
    report = LinkReport(date=(date or dt.date.today()).isoformat())
    _wikidata_links(ours, export, report, VERIFIED_WIKIDATA)
    _iso_links(ours, report)
    _cow_atop_links(ours, report)
    if export is not None:
        compare_memberships(ours, export, report)
    if write:
        out = settings.data_dir / "links" / LINKSET_FILE
        out.parent.mkdir(parents=True, exist_ok=True)
        text = _linkset_turtle(report, tool=f"cstograph link; pycountry {version('pycountry')}")
        list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))  # refuse to write what would not parse
        out.write_text(text + "\n", encoding="utf-8")
        report.written.append(str(out))
    return report

