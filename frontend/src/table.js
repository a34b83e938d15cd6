// The results table: paged, sortable by any column (click its heading), filtered by a text box; IRIs shown
// by label (or prefixed name) and linking to the local page; literals with their language or datatype.
import { el } from "./dom.js";
import { compareTerms, datatypeName, displayText, linkTarget, rowMatches, shorten } from "./terms.js";

export const PAGE_SIZES = [25, 50, 100, 500];

/** A cell's content for ``term``; ``ctx`` = {prefixes, labels, base}. */
export function termNode(term, ctx) {
  if (!term) return "";
  if (term.type === "uri") {
    const href = linkTarget(term.value, ctx);
    const label = ctx.labels && ctx.labels[term.value] && ctx.labels[term.value].label;
    const curie = shorten(term.value, ctx.prefixes);
    const text = label || curie || term.value;
    const body = href ? el("a", { href, title: term.value, class: "iri" }, text) : el("span", { title: term.value }, text);
    return label && curie ? el("span", {}, body, " ", el("code", { class: "curie" }, curie)) : body;
  }
  if (term.type === "bnode") return el("span", { class: "bnode" }, displayText(term, ctx));
  const parts = [term.value];
  if (term["xml:lang"]) parts.push(" ", el("span", { class: "lang" }, "@" + term["xml:lang"]));
  const dt = datatypeName(term, ctx.prefixes);
  if (dt) parts.push(" ", el("span", { class: "dtype", title: term.datatype }, dt));
  return el("span", { class: "literal" }, ...parts);
}

export class ResultTable {
  /** ``vars``: column names; ``rows``: [{var: term}]; ``ctx()``: {prefixes, labels, base} (read at each render). */
  constructor(container, vars, rows, ctx, { pageSize = 50 } = {}) {
    Object.assign(this, { container, vars, rows, ctx, pageSize, page: 0, sortVar: null, sortDir: 1, filter: "" });
    this.render();
  }

  visibleRows() {
    const ctx = this.ctx();
    let rows = this.rows.filter((r) => rowMatches(r, this.vars, this.filter, ctx));
    if (this.sortVar) {
      const v = this.sortVar;
      rows = rows.map((r, i) => [r, i]).sort((a, b) => compareTerms(a[0][v], b[0][v], ctx) * this.sortDir || a[1] - b[1])
        .map((x) => x[0]);
    }
    return rows;
  }

  sortBy(v) {
    if (this.sortVar === v) this.sortDir = -this.sortDir;
    else { this.sortVar = v; this.sortDir = 1; }
    this.page = 0;
    this.render();
  }

  render() {
    const ctx = this.ctx();
    const rows = this.visibleRows();
    const pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * this.pageSize;
    const shown = rows.slice(start, start + this.pageSize);
    const focused = document.activeElement && document.activeElement.id === "filter";
    const filter = el("input", { type: "search", id: "filter", placeholder: "filter rows", value: this.filter,
      "aria-label": "filter rows", oninput: (e) => { this.filter = e.target.value; this.page = 0; this.render(); } });
    const size = el("select", { id: "page-size", "aria-label": "rows per page",
      onchange: (e) => { this.pageSize = Number(e.target.value); this.page = 0; this.render(); } },
    PAGE_SIZES.map((n) => el("option", { value: String(n), selected: n === this.pageSize }, `${n} per page`)));
    const go = (p) => () => { this.page = p; this.render(); };
    const nav = el("div", { class: "bar pager" }, filter, size,
      el("button", { type: "button", id: "prev-page", disabled: this.page === 0, onclick: go(this.page - 1) }, "‹ previous"),
      el("span", { id: "page-info" }, rows.length
        ? `rows ${start + 1}–${start + shown.length} of ${rows.length}` + (rows.length < this.rows.length
          ? ` (filtered from ${this.rows.length})` : "")
        : (this.rows.length ? "no row matches the filter" : "no rows")),
      el("button", { type: "button", id: "next-page", disabled: this.page >= pages - 1, onclick: go(this.page + 1) },
        "next ›"));
    const head = el("tr", {}, this.vars.map((v) => {
      const state = this.sortVar === v ? (this.sortDir > 0 ? "ascending" : "descending") : "none";
      return el("th", { "aria-sort": state, dataset: { var: v } },
        el("button", { type: "button", class: "sort", title: "sort by ?" + v, onclick: () => this.sortBy(v) },
          "?" + v, state === "ascending" ? " ▲" : state === "descending" ? " ▼" : ""));
    }));
    const body = shown.map((r) => el("tr", {}, this.vars.map((v) => el("td", {}, termNode(r[v], ctx)))));
    this.container.replaceChildren(nav, el("table", { class: "results" }, el("thead", {}, head), el("tbody", {}, body)));
    if (focused) {
      filter.focus();
      filter.setSelectionRange(filter.value.length, filter.value.length);
    }
  }
}
