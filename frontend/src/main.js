// The query page (templates/query.html): editor, tabs and history, named queries with typed parameter
// forms, results as a paged/sortable/filterable table or a timeline or chart, downloads, share links and
// code snippets. Served as a file (the page's CSP allows no inline script); talks only to this server.
import "./query.css";

import { el } from "./dom.js";
import { createEditor } from "./editor.js";
import { isGraphForm, queryForm, serverErrorOffset } from "./sparqlinfo.js";
import { namedSnippets, snippets } from "./snippets.js";
import { addHistory, clearHistory, loadHistory, loadTabs, newId, saveTabs } from "./store.js";
import { ResultTable } from "./table.js";
import { parseNTriples } from "./terms.js";
import { chart, columnKinds, timeline } from "./views.js";

const $ = (id) => document.getElementById(id);
const json = (id) => JSON.parse($(id).textContent);

const RESULT_FORMATS = [["json", "JSON (SPARQL results)", "json"], ["csv", "CSV", "csv"], ["tsv", "TSV", "tsv"],
  ["xml", "XML (SPARQL results)", "srx"]];
const GRAPH_FORMATS = [["turtle", "Turtle", "ttl"], ["ntriples", "N-Triples", "nt"], ["rdfxml", "RDF/XML", "rdf"],
  ["jsonld", "JSON-LD", "jsonld"], ["trig", "TriG", "trig"], ["nquads", "N-Quads", "nq"]];
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";

function boot() {
  const form = $("f");
  const config = json("page-config");
  const named = json("named");
  const endpoint = form.getAttribute("action");
  const origin = location.origin;
  const nonce = (document.querySelector('meta[name="csp-nonce"]') || {}).content || "";

  let vocabulary = null;
  const labels = {};
  const ctx = () => ({ prefixes: { ...(vocabulary ? vocabulary.prefixes : {}), ...editor.prefixes() }, labels,
    base: config.iri_base });

  // --- completion data from this server -------------------------------------------------------------
  fetch("/api/vocabulary", { headers: { Accept: "application/json" } }).then((r) => r.ok ? r.json() : null)
    .then((v) => { vocabulary = v; }).catch(() => {});
  const searchCache = new Map();
  function search(text) {
    const key = text.toLowerCase();
    if (!searchCache.has(key)) {
      searchCache.set(key, fetch(`/api/search?limit=12&q=${encodeURIComponent(text)}`)
        .then((r) => (r.ok ? r.json() : { results: [] })).then((x) => x.results || []));
    }
    return searchCache.get(key);
  }

  // --- tabs -----------------------------------------------------------------------------------------
  let tabs = loadTabs(config.default_query);
  const states = new Map();  // tab id → EditorState (its own undo history, this session)
  const activeTab = () => tabs.tabs.find((t) => t.id === tabs.active);
  let saveTimer = null;
  const save = () => { clearTimeout(saveTimer); saveTimer = setTimeout(() => saveTabs(tabs), 200); };
  addEventListener("pagehide", () => { clearTimeout(saveTimer); saveTabs(tabs); });

  const textarea = $("query");
  textarea.value = activeTab().query;
  const editor = createEditor({
    parent: $("editor"), textarea, nonce, vocabulary: () => vocabulary, search, onRun: () => run(),
    onChange: (text) => { activeTab().query = text; updateFormats(); stale(); save(); },
  });
  states.set(tabs.active, editor.view.state);

  function switchTo(id) {
    states.set(tabs.active, editor.view.state);
    tabs.active = id;
    const tab = activeTab();
    editor.setState(states.get(id) || editor.makeState(tab.query));
    $("examples").value = tab.example && named[tab.example] ? tab.example : "";
    showParams(tab);
    renderTabs();
    updateFormats();
    out.replaceChildren();
    views.replaceChildren();
    status.textContent = "";
    saveTabs(tabs);
  }

  function addTab({ query = config.default_query, title = null, example = null, params = {} } = {}) {
    const n = tabs.tabs.length + 1;
    const tab = { id: newId(), title: title || `Query ${n}`, query, example, params };
    tabs.tabs.push(tab);
    switchTo(tab.id);
    return tab;
  }

  function closeTab(id) {
    if (tabs.tabs.length === 1) return;
    const index = tabs.tabs.findIndex((t) => t.id === id);
    tabs.tabs.splice(index, 1);
    states.delete(id);
    if (tabs.active === id) {
      tabs.active = null;
      const next = tabs.tabs[Math.max(0, index - 1)].id;
      tabs.active = next;
      editor.setState(states.get(next) || editor.makeState(activeTab().query));
      showParams(activeTab());
      $("examples").value = activeTab().example || "";
    }
    renderTabs();
    saveTabs(tabs);
  }

  function renderTabs() {
    $("tabs").replaceChildren(...tabs.tabs.map((t) => el("span", { class: "tab" + (t.id === tabs.active ? " active" : "") },
      el("button", { type: "button", role: "tab", class: "tab-title", "aria-selected": String(t.id === tabs.active),
        onclick: () => t.id !== tabs.active && switchTo(t.id) }, t.title),
      tabs.tabs.length > 1 ? el("button", { type: "button", class: "tab-close", title: `close ${t.title}`,
        "aria-label": `close ${t.title}`, onclick: () => closeTab(t.id) }, "×") : null)),
    el("button", { type: "button", id: "new-tab", title: "new tab", onclick: () => addTab() }, "+"));
  }

  // --- named queries and their parameter forms --------------------------------------------------------
  const params = $("params");
  const INPUT_TYPES = { "http://www.w3.org/2001/XMLSchema#date": "date",
    "http://www.w3.org/2001/XMLSchema#integer": "number", "http://www.w3.org/2001/XMLSchema#decimal": "number" };

  function showParams(tab) {
    params.replaceChildren();
    const item = tab.example && named[tab.example];
    $("summary").textContent = item ? item.summary : "";
    if (!item) return;
    for (const p of item.params) {
      const type = INPUT_TYPES[p.datatype] || "text";
      const value = tab.params && p.name in tab.params ? tab.params[p.name] : (p.default || "");
      const input = el("input", { name: p.name, type, value, title: p.datatype === "iri"
        ? "an IRI or a prefixed name (e.g. state:ARM); type a name to search" : p.datatype,
      "data-datatype": p.datatype, step: p.datatype.endsWith("#decimal") ? "any" : null, required: true,
      size: p.datatype === "iri" ? 48 : null,
      oninput: (e) => { tab.params = { ...(tab.params || {}), [p.name]: e.target.value }; stale(); save(); } });
      const label = el("label", {}, "?" + p.name + " ", input);
      if (p.datatype === "iri") {
        const list = el("datalist", { id: `options-${p.name}` });
        input.setAttribute("list", list.id);
        input.addEventListener("input", () => {
          const text = input.value.trim();
          if (text.length < 3 || /^[a-z]+:/i.test(text)) return;
          search(text).then((hits) => list.replaceChildren(...hits.map((h) =>
            el("option", { value: h.iri }, h.label))));
        });
        label.append(list);
      }
      params.append(label);
    }
  }

  function choose(name, values = {}) {
    const item = named[name];
    const tab = activeTab();
    if (!item) { tab.example = null; showParams(tab); return; }
    tab.example = name;
    tab.params = { ...values };
    tab.title = name.split("/").pop();
    editor.setText(item.text);
    showParams(tab);
    renderTabs();
    stale();
    save();
  }
  $("examples").addEventListener("change", (e) => choose(e.target.value));

  function namedRun(tab, text) {
    const item = tab.example && named[tab.example];
    return item && text === item.text ? item : null;
  }

  function paramValues(item) {
    const args = new URLSearchParams();
    params.querySelectorAll("input[name]").forEach((i) => { if (i.value) args.append(i.name, i.value); });
    return item ? args : new URLSearchParams();
  }

  // --- formats, downloads, share links, code ---------------------------------------------------------
  /** The query or its parameters changed: a shown share link is no longer this query's, the code is redone. */
  function stale() {
    if ($("share-box")) $("share-box").hidden = true;
    if ($("code-box") && !$("code-box").hidden) showCode();
  }

  const formatSelect = $("format");
  function updateFormats() {
    const graph = isGraphForm(queryForm(editor.text()));
    if (formatSelect.dataset.kind === String(graph)) return;
    formatSelect.dataset.kind = String(graph);
    formatSelect.replaceChildren(...(graph ? GRAPH_FORMATS : RESULT_FORMATS).map(([value, label]) =>
      el("option", { value }, label)));
    if ($("code-box") && !$("code-box").hidden) showCode();
  }

  function request(text, format) {
    const tab = activeTab();
    const item = namedRun(tab, text);
    if (item) {
      const args = paramValues(item);
      if (format) args.set("format", format);
      return fetch(item.url + "?" + args.toString(), { headers: { Accept: ACCEPT } });
    }
    const body = new URLSearchParams({ query: text });
    if (format) body.set("format", format);
    return fetch(endpoint, { method: "POST", body, headers: { Accept: ACCEPT } });
  }

  async function download() {
    const format = formatSelect.value;
    const ext = [...RESULT_FORMATS, ...GRAPH_FORMATS].find((f) => f[0] === format)[2];
    status.textContent = "downloading…";
    try {
      const response = await request(editor.text(), format);
      if (!response.ok) {
        status.textContent = `download failed: HTTP ${response.status}`;
        showError(await response.text());
        return;
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const name = (activeTab().title || "query").replace(/[^\w.-]+/g, "-") + "." + ext;
      const a = el("a", { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = `downloaded ${name} (${blob.size.toLocaleString("en")} bytes)`;
    } catch (err) {
      status.textContent = "download failed: " + err;
    }
  }
  $("download").addEventListener("click", download);

  function permalink() {
    const tab = activeTab();
    const text = editor.text();
    const item = namedRun(tab, text);
    if (item) {
      const args = paramValues(item);
      return `${origin}${location.pathname}#example=${encodeURIComponent(tab.example)}` +
        (args.toString() ? "&" + args.toString() : "") + "&run";
    }
    return `${endpoint}?query=${encodeURIComponent(text)}`;
  }
  $("share").addEventListener("click", () => {
    $("share-box").hidden = false;
    $("share-url").value = permalink();
    $("share-url").select();
  });
  $("copy-share").addEventListener("click", () => copy($("share-url").value, $("copy-share")));

  function copy(text, button) {
    const done = () => { button.textContent = "copied"; setTimeout(() => { button.textContent = "Copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => {});
    else { button.textContent = "select and copy"; }
  }

  let language = "curl";
  function showCode() {
    const text = editor.text();
    const item = namedRun(activeTab(), text);
    const code = item ? namedSnippets(item.url + "?" + paramValues(item).toString(), queryForm(text))
      : snippets(endpoint, text, queryForm(text));
    $("snippet").textContent = code[language];
    document.querySelectorAll("#code-box [data-lang]").forEach((b) =>
      b.setAttribute("aria-selected", String(b.dataset.lang === language)));
  }
  $("code").addEventListener("click", () => { $("code-box").hidden = !$("code-box").hidden; showCode(); });
  document.querySelectorAll("#code-box [data-lang]").forEach((b) => b.addEventListener("click", () => {
    language = b.dataset.lang;
    showCode();
  }));
  $("copy-code").addEventListener("click", () => copy($("snippet").textContent, $("copy-code")));

  // --- running and showing results -------------------------------------------------------------------
  const out = $("out"), views = $("views"), status = $("status");

  function showError(body) {
    out.replaceChildren(el("p", { class: "err" }, body));
  }

  async function fetchLabels(iris) {
    const missing = [...iris].filter((i) => !(i in labels)).slice(0, 2000);
    for (let i = 0; i < missing.length; i += 100) {
      const args = new URLSearchParams();
      missing.slice(i, i + 100).forEach((iri) => args.append("iri", iri));
      try {
        const r = await fetch("/api/labels?" + args.toString());
        if (r.ok) Object.assign(labels, await r.json());
      } catch (_) { /* labels are a nicety */ }
      missing.slice(i, i + 100).forEach((iri) => { if (!(iri in labels)) labels[iri] = null; });
    }
  }

  let current = null;  // {vars, rows, raw, view, table}
  function showView(name) {
    if (!current) return;
    current.view = name;
    views.querySelectorAll("button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.view === name)));
    if (name === "table") {
      // one table per result: coming back to it (or labels arriving) keeps its page, order and filter
      if (current.table) current.table.render();
      else current.table = new ResultTable(out, current.vars, current.rows, ctx, { pageSize: 50 });
    } else if (name === "timeline") {
      out.replaceChildren(el("div", { class: "picture" }, timeline(current.vars, current.rows, ctx())));
    } else if (name === "chart") {
      out.replaceChildren(el("div", { class: "picture" }, chart(current.vars, current.rows, ctx())));
    } else {
      out.replaceChildren(el("pre", { class: "raw" }, current.raw));
    }
  }

  function showResults(vars, rows, raw) {
    const kinds = columnKinds(vars, rows);
    current = { vars, rows, raw, view: "table" };
    const buttons = [["table", "Table"]];
    if (kinds.dates.length) buttons.push(["timeline", "Timeline"]);
    if (kinds.numbers.length && rows.length > 1) buttons.push(["chart", "Chart"]);
    buttons.push(["raw", "Response"]);
    views.replaceChildren(...buttons.map(([name, label]) => el("button", { type: "button", role: "tab",
      dataset: { view: name }, onclick: () => showView(name) }, label)));
    showView("table");
    const iris = new Set();
    for (const r of rows) for (const v of vars) if (r[v] && r[v].type === "uri") iris.add(r[v].value);
    fetchLabels(iris).then(() => { if (current && current.rows === rows) showView(current.view); });
  }

  let running = 0;
  async function run(ev) {
    if (ev) ev.preventDefault();
    const text = editor.text();
    const tab = activeTab();
    const item = namedRun(tab, text);
    if (item) {
      const invalid = [...params.querySelectorAll("input[name]")].find((i) => !i.checkValidity());
      if (invalid) { invalid.reportValidity(); status.textContent = `?${invalid.name}: ${invalid.validationMessage}`; return; }
    }
    const ticket = ++running;
    saveTabs(tabs);
    status.textContent = "running…";
    out.replaceChildren();
    views.replaceChildren();
    current = null;
    const t0 = performance.now();
    let response, body;
    try {
      response = await request(text);
      body = await response.text();
    } catch (err) {
      status.textContent = "failed: " + err;
      return;
    }
    if (ticket !== running) return;
    const ms = Math.round(performance.now() - t0);
    const type = response.headers.get("Content-Type") || "";
    const entry = { query: text, example: item ? tab.example : null, params: item ? Object.fromEntries(paramValues(item))
      : {}, when: new Date().toISOString(), title: tab.title };
    if (!response.ok) {
      status.textContent = `HTTP ${response.status} (${ms} ms)`;
      showError(body);
      const at = response.status === 400 && !item ? serverErrorOffset(text, body) : null;
      if (at != null) editor.markError(at, body);
      renderHistory(addHistory({ ...entry, result: `HTTP ${response.status}` }));
      return;
    }
    let summary;
    if (type.includes("sparql-results+json")) {
      const res = JSON.parse(body);
      if ("boolean" in res) {
        summary = `ASK: ${res.boolean}`;
        status.textContent = `${summary}, ${ms} ms`;
        out.replaceChildren(el("p", { class: "ask" }, `ASK: ${res.boolean}`));
      } else {
        summary = `${res.results.bindings.length} rows`;
        status.textContent = `${summary}, ${ms} ms`;
        showResults(res.head.vars, res.results.bindings, body);
      }
    } else {
      const triples = parseNTriples(body);
      summary = `${triples.length} triples`;
      status.textContent = `${summary}, ${ms} ms`;
      showResults(["subject", "predicate", "object"], triples, body);
    }
    renderHistory(addHistory({ ...entry, result: summary }));
  }
  form.addEventListener("submit", run);

  // --- history -----------------------------------------------------------------------------------------
  function renderHistory(history) {
    $("history").replaceChildren(...history.map((h) => el("li", {},
      el("button", { type: "button", class: "history-item", title: h.query, onclick: () => {
        if (h.example && named[h.example] && h.query === named[h.example].text) {
          $("examples").value = h.example;
          choose(h.example, h.params || {});
        } else {
          activeTab().example = null;
          editor.setText(h.query);
          showParams(activeTab());
        }
      } }, h.title ? `${h.title}: ` : "", h.query.replace(/^(\s*(PREFIX|BASE)[^\n]*\n|\s*#[^\n]*\n)*/i, "")
        .replace(/\s+/g, " ").slice(0, 90)),
      el("span", { class: "when" }, ` ${new Date(h.when).toLocaleString()} — ${h.result || ""}`))));
    $("history-count").textContent = `(${history.length})`;
  }
  $("clear-history").addEventListener("click", () => renderHistory(clearHistory()));

  // --- start: a shared query (GET /sparql?query=… or #example=…), else the saved tabs --------------------
  renderTabs();
  showParams(activeTab());
  $("examples").value = activeTab().example && named[activeTab().example] ? activeTab().example : "";
  updateFormats();
  renderHistory(loadHistory());
  let runNow = false;
  if (config.query) {
    const same = tabs.tabs.find((t) => t.query === config.query);
    if (same) switchTo(same.id);
    else addTab({ query: config.query, title: "Shared query" });
    runNow = true;
  } else if (location.hash.startsWith("#example=")) {
    const args = new URLSearchParams(location.hash.slice(1));
    const name = args.get("example");
    if (named[name]) {
      const values = {};
      for (const p of named[name].params) if (args.has(p.name)) values[p.name] = args.get(p.name);
      const same = tabs.tabs.find((t) => t.example === name && t.query === named[name].text);
      if (same) { same.params = values; switchTo(same.id); }
      else addTab({ query: named[name].text, title: name.split("/").pop(), example: name, params: values });
      $("examples").value = name;
    }
    runNow = args.has("run");
  } else if (location.hash === "#run") {
    runNow = true;
  }
  if (runNow) run();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
