// What the page needs to know about a query's text, read by a real SPARQL 1.1 parser (sparqljs): its form
// (SELECT/ASK → results formats, CONSTRUCT/DESCRIBE → RDF formats), its declared prefixes, and its syntax
// errors as positions for the editor's error markers. Pure functions (tested with node --test).
import sparqljs from "sparqljs";

const { Parser } = sparqljs;

/** The query form from the text alone (used while the text does not parse): the first form keyword
 * outside comments, strings and IRIs. */
export function queryForm(text) {
  const stripped = text.replace(/#[^\n]*/g, " ").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^\s>]*>/g, " ");
  const m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
  return m ? m[1].toUpperCase() : "SELECT";
}

export const isGraphForm = (form) => form === "CONSTRUCT" || form === "DESCRIBE";

/** ``{prefix: namespace}`` of the PREFIX declarations in the text. */
export function declaredPrefixes(text) {
  const out = {};
  const re = /(?:^|\s)PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gi;
  const clean = text.replace(/#[^\n]*/g, "");
  let m;
  while ((m = re.exec(clean))) out[m[1] || ""] = m[2];
  return out;
}

/** Offset in ``text`` of 1-based ``line`` and 0-based ``column``. */
export function offsetOf(text, line, column) {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return Math.min(text.length, at + column);
}

/** The syntax errors of ``text`` as ``[{from, to, message}]`` (empty when it parses). */
export function syntaxErrors(text) {
  if (!text.trim()) return [];
  try {
    new Parser({ sparqlStar: true }).parse(text);
    return [];
  } catch (err) {
    return [diagnosticOf(text, err)];
  }
}

function diagnosticOf(text, err) {
  const message = String(err && err.message || err);
  const loc = err && err.hash && err.hash.loc;
  if (loc) {
    // Jison's loc is that of the last token read before the offending one: the offending token (hash.text)
    // is the next one after it, past any whitespace and comments.
    let from = offsetOf(text, loc.first_line, loc.first_column);
    let to = Math.max(from + 1, offsetOf(text, loc.last_line, loc.last_column));
    const token = err.hash.text;
    if (token && text.slice(from, to) !== token) {
      const next = text.indexOf(token, to);
      if (next >= 0 && !text.slice(to, next).replace(/#[^\n]*/g, "").trim()) { from = next; to = next + token.length; }
    } else if (!token) {
      from = Math.max(0, text.trimEnd().length - 1);
      to = from + 1;
    }
    const got = err.hash.token ? `unexpected ${err.hash.text ? JSON.stringify(err.hash.text) : err.hash.token}` : "";
    const expected = (err.hash.expected || []).map((e) => e.replace(/'/g, "")).slice(0, 8);
    const hint = expected.length ? `; expected ${expected.join(", ")}${err.hash.expected.length > 8 ? "…" : ""}` : "";
    return { from, to: Math.min(to, text.length), message: (got || "syntax error") + hint, severity: "error" };
  }
  const prefix = /Unknown prefix: (\S*)/.exec(message);
  if (prefix) {
    const name = prefix[1];
    const re = new RegExp(`(^|[\\s(,;/^|{}\\[\\]!])(${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}):`, "g");
    const code = text.replace(/#[^\n]*/g, (c) => " ".repeat(c.length));
    const m = re.exec(code);
    const from = m ? m.index + m[1].length : 0;
    return { from, to: from + name.length + 1, message: `the prefix '${name}:' is not declared`, prefix: name,
      severity: "error" };
  }
  return { from: 0, to: Math.min(text.length, 1), message, severity: "error" };
}

/** A server error message's position as an offset, or null: the endpoint reports a syntax error as
 * ``malformed query: 3:14: …`` and a refused part of a valid query as ``… (line 1, column 35)``; both 1-based. */
export function serverErrorOffset(text, message) {
  const m = /(?:^|\s)(\d+):(\d+):\s/.exec(message || "") || /\(line (\d+), column (\d+)\)/.exec(message || "");
  if (!m) return null;
  return offsetOf(text, Number(m[1]), Number(m[2]) - 1);
}

/** The text with ``PREFIX p: <ns>`` added on the first line, unless it is declared. */
export function withPrefix(text, prefix, namespace) {
  if (prefix in declaredPrefixes(text)) return { text, added: "" };
  const added = `PREFIX ${prefix}: <${namespace}>\n`;
  return { text: added + text, added };
}
