// Pictures of a result where they help: a timeline when a column holds dates, a bar chart when a column
// holds numbers. Drawn as SVG with attributes only (the page's CSP allows no inline style).
import { el, svg } from "./dom.js";
import { displayText, isDate, isNumeric } from "./terms.js";

/** Columns whose bound values are (mostly) of one kind: ``{dates: [var], numbers: [var], labels: [var]}``. */
export function columnKinds(vars, rows) {
  const kinds = { dates: [], numbers: [], labels: [] };
  for (const v of vars) {
    const bound = rows.map((r) => r[v]).filter(Boolean);
    if (!bound.length) continue;
    if (bound.filter(isDate).length >= bound.length * 0.8) kinds.dates.push(v);
    else if (bound.filter(isNumeric).length >= bound.length * 0.8) kinds.numbers.push(v);
    else kinds.labels.push(v);
  }
  return kinds;
}

/** A date term as a fractional year (``1992-05-15`` → 1992.37); null when it is not a date. */
export function yearOf(term) {
  const m = term && /^(-?\d{4})(?:-(\d\d))?(?:-(\d\d))?/.exec(term.value);
  if (!m) return null;
  return Number(m[1]) + ((Number(m[2] || 1) - 1) + (Number(m[3] || 1) - 1) / 31) / 12;
}

const W = 900;

/** Of ``vars``, the one with the most distinct values (the best label for one mark per row). */
export function mostVaried(vars, rows) {
  let best = null, most = -1;
  for (const v of vars) {
    const n = new Set(rows.map((r) => r[v] && r[v].value)).size;
    if (n > most) { best = v; most = n; }
  }
  return best;
}

/** The timeline: one row per result row, a bar from the first date column to the second (when there is
 * one), else a point; labelled by the first non-date column. */
export function timeline(vars, rows, ctx, kinds = columnKinds(vars, rows)) {
  const [startVar, endVar] = kinds.dates;
  const labelVar = mostVaried(kinds.labels, rows) || vars.find((v) => v !== startVar && v !== endVar);
  const items = rows.map((r) => ({ start: yearOf(r[startVar]), end: endVar ? yearOf(r[endVar]) : null, row: r }))
    .filter((i) => i.start != null || i.end != null).slice(0, 400);
  if (!items.length) return el("p", {}, "no dates to draw");
  items.sort((a, b) => (a.start ?? a.end) - (b.start ?? b.end));
  const years = items.flatMap((i) => [i.start, i.end]).filter((y) => y != null);
  const min = Math.floor(Math.min(...years)), max = Math.ceil(Math.max(...years)) + 1;
  const left = 260, right = W - 20, rowH = 18, top = 24;
  const x = (y) => left + (y - min) / (max - min) * (right - left);
  const height = top + items.length * rowH + 10;
  const step = Math.max(1, Math.ceil((max - min) / 12));
  const ticks = [];
  for (let y = min; y <= max; y += step) {
    ticks.push(svg("line", { x1: x(y), x2: x(y), y1: top - 6, y2: height, class: "tick" }),
      svg("text", { x: x(y), y: top - 10, "text-anchor": "middle", class: "axis" }, y));
  }
  const marks = items.map((item, i) => {
    const y = top + i * rowH;
    const label = labelVar ? displayText(item.row[labelVar], ctx) : "";
    const title = `${label}: ${item.row[startVar] ? item.row[startVar].value : "?"}` +
      (endVar ? ` – ${item.row[endVar] ? item.row[endVar].value : "…"}` : "");
    const start = item.start ?? item.end;
    const mark = endVar
      ? svg("rect", { x: x(start), y: y + 3, width: Math.max(3, x(item.end ?? max) - x(start)), height: rowH - 6,
        class: item.end == null ? "bar open" : "bar", dataset: null })
      : svg("circle", { cx: x(start), cy: y + rowH / 2, r: 5, class: "point" });
    return svg("g", { class: "item" }, svg("title", {}, title),
      svg("text", { x: left - 8, y: y + rowH - 5, "text-anchor": "end", class: "label" },
        label.length > 40 ? label.slice(0, 39) + "…" : label), mark);
  });
  return svg("svg", { class: "timeline-view", viewBox: `0 0 ${W} ${height}`, width: W, height, role: "img",
    "aria-label": `timeline of ?${startVar}` + (endVar ? ` to ?${endVar}` : "") }, ticks, marks);
}

/** A horizontal bar chart of the first numeric column, labelled by the first label column. */
export function chart(vars, rows, ctx, kinds = columnKinds(vars, rows)) {
  const valueVar = kinds.numbers[0];
  const labelVar = kinds.labels[0] || kinds.dates[0];
  const items = rows.filter((r) => r[valueVar]).map((r) => ({ value: Number(r[valueVar].value),
    label: labelVar ? displayText(r[labelVar], ctx) : "" })).filter((i) => Number.isFinite(i.value));
  items.sort((a, b) => b.value - a.value);
  const shown = items.slice(0, 60);
  if (!shown.length) return el("p", {}, "no numbers to draw");
  const maxValue = Math.max(...shown.map((i) => Math.abs(i.value))) || 1;
  const left = 260, right = W - 70, rowH = 20, top = 8;
  const height = top + shown.length * rowH + 8;
  const bars = shown.map((item, i) => {
    const y = top + i * rowH;
    const width = Math.max(1, Math.abs(item.value) / maxValue * (right - left));
    return svg("g", { class: "item" },
      svg("text", { x: left - 8, y: y + rowH - 6, "text-anchor": "end", class: "label" },
        item.label.length > 40 ? item.label.slice(0, 39) + "…" : item.label),
      svg("rect", { x: left, y: y + 3, width, height: rowH - 6, class: "bar" }),
      svg("text", { x: left + width + 6, y: y + rowH - 6, class: "value" }, item.value.toLocaleString("en")));
  });
  return el("div", {}, svg("svg", { class: "chart-view", viewBox: `0 0 ${W} ${height}`, width: W, height,
    role: "img", "aria-label": `?${valueVar} by ?${labelVar}` }, bars),
  items.length > shown.length ? el("p", { class: "note" }, `the ${shown.length} largest of ${items.length}`) : null);
}
