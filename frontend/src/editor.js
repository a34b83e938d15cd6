// The SPARQL editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes, error markers from a
// real parser (sparqljs), and completion of keywords, variables, prefixes, the graph's classes and
// properties (/api/vocabulary) and any labelled resource by its label (/api/search). Styles that
// CodeMirror injects carry the page's CSP nonce (EditorView.cspNonce).
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { linter, lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers }
  from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

import { declaredPrefixes, syntaxErrors, withPrefix } from "./sparqlinfo.js";
import { shorten } from "./terms.js";

const KEYWORDS = ["SELECT", "DISTINCT", "REDUCED", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
  "BIND", "VALUES", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE",
  "PREFIX", "BASE", "FROM", "FROM NAMED", "AS", "ASC", "DESC", "NOT EXISTS", "EXISTS", "IN", "NOT IN",
  "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES",
  "DATATYPE", "BOUND", "IRI", "COALESCE", "IF", "REGEX", "CONTAINS", "STRSTARTS", "LCASE", "UCASE", "YEAR",
  "MONTH", "DAY", "NOW", "isIRI", "isLiteral", "isBlank"];

/** Put ``text`` at [from, to) and declare ``prefix`` at the top if the query does not declare it. */
function insertTerm(view, from, to, text, prefix, namespace) {
  const doc = view.state.doc.toString();
  const { added } = prefix ? withPrefix(doc, prefix, namespace) : { added: "" };
  const changes = [{ from, to, insert: text }];
  if (added) changes.push({ from: 0, insert: added });
  view.dispatch({ changes, selection: { anchor: from + added.length + text.length }, scrollIntoView: true,
    userEvent: "input.complete" });
}

function termOption(term, kind, prefixes, language) {
  const [prefix] = term.curie.split(":");
  const label = term.labels && (term.labels[language] || term.labels.en);
  return {
    label: term.curie, detail: label || "", type: kind, boost: label ? 1 : 0,
    apply: (view, _c, from, to) => insertTerm(view, from, to, term.curie, prefix, prefixes[prefix]),
  };
}

/** The completion sources. ``vocabulary()`` returns the /api/vocabulary answer (or null while loading);
 * ``search(text)`` resolves to /api/search results. */
export function completionSources({ vocabulary, search, language = "en" }) {
  function prefixedNames(ctx) {
    const word = ctx.matchBefore(/[A-Za-z][\w.-]*:[\w.-]*/);
    if (!word) return null;
    const vocab = vocabulary();
    if (!vocab) return null;
    const prefixes = vocab.prefixes;
    const options = [...vocab.classes.map((t) => termOption(t, "class", prefixes, language)),
      ...vocab.properties.map((t) => termOption(t, "property", prefixes, language))];
    return { from: word.from, options, validFor: /^[A-Za-z][\w.-]*:[\w.-]*$/ };
  }

  function prefixDeclarations(ctx) {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const m = /^\s*PREFIX\s+([\w.-]*:?)$/i.exec(before);
    const vocab = vocabulary();
    if (!m || !vocab) return null;
    return {
      from: ctx.pos - m[1].length,
      options: Object.entries(vocab.prefixes).map(([p, ns]) => ({ label: `${p}: <${ns}>`, type: "namespace" })),
    };
  }

  function variables(ctx) {
    const word = ctx.matchBefore(/[?$][\w]*/);
    if (!word) return null;
    const names = new Set(ctx.state.doc.toString().match(/[?$][A-Za-z_][\w]*/g) || []);
    names.delete(word.text);
    return { from: word.from, options: [...names].map((n) => ({ label: n, type: "variable" })) };
  }

  async function wordsAndLabels(ctx) {
    const word = ctx.matchBefore(/[\p{L}\p{N}_-]+/u);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const before = ctx.state.sliceDoc(Math.max(0, word.from - 1), word.from);
    if (/[?$:<"'@]/.test(before)) return null;
    const options = KEYWORDS.filter((k) => k.toLowerCase().startsWith(word.text.toLowerCase()))
      .map((k) => ({ label: k, type: "keyword", boost: -1 }));
    if (word.text.length >= 3) {
      const vocab = vocabulary();
      const prefixes = vocab ? vocab.prefixes : {};
      let hits = [];
      try { hits = await search(word.text); } catch (_) { hits = []; }
      if (ctx.aborted) return null;
      for (const hit of hits) {
        const curie = shorten(hit.iri, prefixes);
        const text = curie || `<${hit.iri}>`;
        const prefix = curie ? curie.split(":")[0] : null;
        options.push({
          label: hit.label, detail: text, type: "text", boost: 2,
          info: hit.types && hit.types.length ? hit.types.map((t) => shorten(t, prefixes) || t).join(", ") : undefined,
          apply: (view, _c, from, to) => insertTerm(view, from, to, text, prefix, prefix && prefixes[prefix]),
        });
      }
    }
    return options.length ? { from: word.from, options, filter: false } : null;
  }

  return [prefixDeclarations, prefixedNames, variables, wordsAndLabels];
}

/** Error markers: the parser's first error, with a fix for an undeclared prefix the vocabulary knows. */
export function sparqlLinter(vocabulary) {
  return linter((view) => {
    const text = view.state.doc.toString();
    return syntaxErrors(text).map((d) => {
      const vocab = vocabulary();
      const ns = d.prefix && vocab && vocab.prefixes[d.prefix];
      if (ns) {
        d.actions = [{ name: `declare ${d.prefix}:`, apply: (v) => {
          const { added } = withPrefix(v.state.doc.toString(), d.prefix, ns);
          if (added) v.dispatch({ changes: { from: 0, insert: added } });
        } }];
      }
      return d;
    });
  }, { delay: 300 });
}

/** An editor in ``parent`` whose text mirrors into ``textarea`` (which the form still submits). */
export function createEditor({ parent, textarea, nonce, onRun, onChange, vocabulary, search }) {
  const extensions = [
    EditorView.cspNonce.of(nonce || ""),
    lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(), bracketMatching(),
    closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
    StreamLanguage.define(sparql), syntaxHighlighting(classHighlighter),
    autocompletion({ override: completionSources({ vocabulary, search }), activateOnTyping: true,
      maxRenderedOptions: 60 }),
    sparqlLinter(vocabulary), lintGutter(),
    keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }, ...closeBracketsKeymap,
      ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) {
        textarea.value = update.state.doc.toString();
        onChange(textarea.value);
      }
    }),
    EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
  ];
  const makeState = (doc) => EditorState.create({ doc, extensions });
  const view = new EditorView({ state: makeState(textarea.value), parent });
  textarea.hidden = true;
  return {
    view,
    makeState,
    text: () => view.state.doc.toString(),
    /** Swap in another tab's state (its own undo history), or a new state for ``doc``. */
    setState(state) {
      view.setState(state);
      textarea.value = view.state.doc.toString();
    },
    setText(doc) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
    },
    /** Mark a server-reported error at ``offset`` (the text as run). */
    markError(offset, message) {
      const len = view.state.doc.length;
      const from = Math.max(0, Math.min(offset, len));
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.min(len, from + 1), severity: "error", message }]));
    },
    prefixes: () => declaredPrefixes(view.state.doc.toString()),
    focus: () => view.focus(),
  };
}
