// RDF terms as SPARQL 1.1 Query Results JSON gives them ({type, value, datatype, "xml:lang"}): how the
// results table shows, links, sorts and filters them. Pure functions (tested with node --test).

export const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "short", "byte",
  "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
  "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => XSD + t));
const DATES = new Set(["date", "dateTime", "gYear", "gYearMonth", "dateTimeStamp"].map((t) => XSD + t));

/** The prefixed name of ``iri`` by the longest matching namespace of ``prefixes`` ({prefix: namespace}),
 * or null when none matches or the rest is not a valid local name. */
export function shorten(iri, prefixes) {
  let best = null;
  for (const [prefix, ns] of Object.entries(prefixes || {})) {
    if (ns && iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  if (!best) return null;
  const local = iri.slice(best[1].length);
  if (!/^([A-Za-z0-9_\u00C0-\uFFFD]([A-Za-z0-9_.\-\u00B7\u00C0-\uFFFD]*[A-Za-z0-9_\-\u00B7\u00C0-\uFFFD])?)?$/.test(local)) {
    return null;
  }
  return best[0] + ":" + local;
}

/** The local path of an IRI under the served base (``/id/state/ARM``), or null. */
export function localPath(iri, base) {
  if (!base || !iri.startsWith(base)) return null;
  const rest = iri.slice(base.length);
  if (!rest || /[\s<>"{}|\\^`]/.test(rest)) return null;
  // "/" + "/host…" would be "//host…": another server. As the server's local_path: "/%2F…", a path here.
  return rest.startsWith("/") ? "/%2F" + rest.slice(1) : "/" + rest;
}

/** Where a link to ``iri`` goes: the local page when the server knows one (``labels``) or the IRI is under
 * the base; the IRI itself for http(s); nothing for other schemes (never a javascript: link). */
export function linkTarget(iri, { base, labels } = {}) {
  const known = labels && labels[iri];
  if (known && known.href) return known.href;
  const local = localPath(iri, base);
  if (local) return local;
  return /^https?:\/\//i.test(iri) ? iri : null;
}

export const isNumeric = (term) => !!term && term.type !== "uri" && NUMERIC.has(term.datatype);
export const isDate = (term) => !!term && term.type !== "uri" && (DATES.has(term.datatype)
  || (!term.datatype && /^-?\d{4}(-\d\d(-\d\d)?)?$/.test(term.value)));

/** The text a reader sees for a term: the label of an IRI when known, else its prefixed name, else the IRI. */
export function displayText(term, { prefixes, labels } = {}) {
  if (!term) return "";
  if (term.type === "uri") {
    const known = labels && labels[term.value];
    return (known && known.label) || shorten(term.value, prefixes) || term.value;
  }
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}

/** A short name for a literal's datatype (``xsd:date``), or "" for plain strings. */
export function datatypeName(term, prefixes) {
  if (!term || !term.datatype || term.datatype === XSD + "string") return "";
  return shorten(term.datatype, prefixes) || term.datatype;
}

/** Order of two terms for sorting a column: unbound last, numbers by value, dates as ISO text, the rest by
 * the text shown (labels included), case- and accent-insensitively. */
export function compareTerms(a, b, ctx) {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) return Number(a.value) - Number(b.value);
  if (isDate(a) && isDate(b)) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return displayText(a, ctx).localeCompare(displayText(b, ctx), undefined, { sensitivity: "base", numeric: true });
}

/** Whether a row matches the filter text (in what is shown, or in the raw values). */
export function rowMatches(row, vars, needle, ctx) {
  if (!needle) return true;
  const n = needle.toLocaleLowerCase();
  return vars.some((v) => {
    const t = row[v];
    if (!t) return false;
    return displayText(t, ctx).toLocaleLowerCase().includes(n) || t.value.toLocaleLowerCase().includes(n);
  });
}

// --- N-Triples (a CONSTRUCT/DESCRIBE result), read into rows {subject, predicate, object} ---------------
const UNESCAPE = { t: "\t", b: "\b", n: "\n", r: "\r", f: "\f", '"': '"', "'": "'", "\\": "\\" };
function unescape(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"'\\])/g, (_, e) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : UNESCAPE[e]);
}
const TERM = /\s*(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;

function readTerm(line, at) {
  TERM.lastIndex = at;
  const m = TERM.exec(line);
  if (!m) return null;
  let term;
  if (m[1] !== undefined) term = { type: "uri", value: unescape(m[1]) };
  else if (m[2] !== undefined) term = { type: "bnode", value: m[2] };
  else {
    term = { type: "literal", value: unescape(m[3]) };
    if (m[4]) term["xml:lang"] = m[4];
    else if (m[5]) term.datatype = m[5];
  }
  return [term, TERM.lastIndex];
}

/** Rows of an N-Triples document; lines that do not parse are skipped. */
export function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const s = readTerm(line, 0);
    const p = s && readTerm(line, s[1]);
    const o = p && readTerm(line, p[1]);
    if (o) rows.push({ subject: s[0], predicate: p[0], object: o[0] });
  }
  return rows;
}
